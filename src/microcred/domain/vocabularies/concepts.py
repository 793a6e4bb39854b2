"""A controlled vocabulary: a concept scheme and its concepts, each with labels per language."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Concept:
    """One value of a controlled vocabulary, identified by its URI."""

    uri: str
    labels: dict[str, str]
    notation: str  # the short code: "6" for EQF level 6, "0613" for ISCED-F, "DEU" for Germany

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Return the label in ``lang``, else in English, else the notation."""
        base = lang.split("-")[0].lower()
        return self.labels.get(base) or self.labels.get(DEFAULT_LANGUAGE) or self.notation


@dataclass(frozen=True)
class Vocabulary:
    """A concept scheme: its name in microcred, its scheme URI and its concepts by URI."""

    name: str  # microcred's short name: "eqf", "learning-mode", ...
    title: str  # what a designer calls it: "EQF", "learning modes"
    scheme: str  # the scheme URI, e.g. http://data.europa.eu/snb/eqf/25831c2
    concepts: dict[str, Concept]
    hint: str = ""  # an allowed value to show in error messages
    _by_notation: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for concept in self.concepts.values():
            self._by_notation.setdefault(concept.notation.lower(), concept.uri)

    def __contains__(self, uri: object) -> bool:
        return uri in self.concepts

    def __len__(self) -> int:
        return len(self.concepts)

    def label(self, uri: str, lang: str = DEFAULT_LANGUAGE) -> str:
        """Return the label of ``uri`` in ``lang`` (English fallback); the URI itself if unknown."""
        concept = self.concepts.get(uri)
        return concept.label(lang) if concept else uri

    def by_notation(self, notation: str) -> str | None:
        """Return the URI of the concept whose short code is ``notation`` (any case)."""
        return self._by_notation.get(notation.strip().lower())

    def by_label(self, text: str) -> str | None:
        """Return the URI of the one concept labelled ``text`` in any language (any case)."""
        wanted = " ".join(text.split()).casefold()
        matches = {
            concept.uri
            for concept in self.concepts.values()
            if any(label.casefold() == wanted for label in concept.labels.values())
        }
        return matches.pop() if len(matches) == 1 else None

    def choices(self, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
        """Return (uri, label) pairs in the scheme's order, labelled in ``lang``."""
        return [(concept.uri, concept.label(lang)) for concept in self.concepts.values()]


class UnknownConcept(ValueError):
    """Raised when a value is not in the vocabulary a field takes its values from."""

    def __init__(self, vocabulary: str, value: object, message: str) -> None:
        super().__init__(message)
        self.vocabulary = vocabulary
        self.value = value
        self.message = message


def not_in(vocabulary: Vocabulary, value: object) -> UnknownConcept:
    """Return the error for ``value`` missing from ``vocabulary``, naming the scheme and a hint."""
    message = f"'{value}' is not in {vocabulary.title} ({vocabulary.scheme}); {vocabulary.hint}"
    return UnknownConcept(vocabulary.name, value, message)
