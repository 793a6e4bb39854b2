"""Pure data and rules: the Specification, vocabularies, compliance, pathways, recognition."""
