"""Europass EDC (ELM v3): render an award (`render`), validate it with SHACL (`shacl`), read it
into a Specification (`importer`).

Import from the module that does the work: reading an ELM document needs neither the SHACL
engine nor the image library that rendering and validating load.
"""
