"""The institution's own word for a programme, grouped into the families a survey meets.

The MCE mapping (2023) found "micro-credential" beside "certificate", "short learning
programme", "professional course", "diploma", "continuing education with certificate of
attendance" and "MOOC". A free label is matched, in several languages, to one of these.
"""

from __future__ import annotations

MICRO_CREDENTIAL = "micro-credential"

# Most specific first: "MOOC certificate" is a MOOC, "certificate of attendance" is attendance.
FAMILY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (MICRO_CREDENTIAL, ("micro-cred", "microcred", "micro cred", "mikro", "micro-cert",
                        "microcert", "micro-credenzial", "microcredencial", "micro-diplôme")),
    ("mooc", ("mooc",)),
    ("short-learning-programme", ("short learning", "slp", "kurzstudi", "programa corto")),
    ("attendance", ("attendance", "teilnahme", "asistencia", "frequenza", "osallistumis")),
    ("diploma", ("diploma", "diplom", "tutkinto")),
    ("certificate", ("certificat", "zertifikat", "certificado", "certificato", "todistus",
                     "certificaat", "badge")),
    ("professional-course", ("course", "kurs", "curso", "corso", "kurssi", "cpd",
                             "professional", "weiterbildung", "training")),
)  # fmt: skip

FAMILIES: tuple[str, ...] = (*(family for family, _words in FAMILY_WORDS), "other", "none")


def label_family(label: str | None) -> str:
    """Return the family of an institution's label: "micro-credential", "mooc", ..., "none"."""
    if not label or not label.strip():
        return "none"
    folded = label.casefold()
    for family, words in FAMILY_WORDS:
        if any(word in folded for word in words):
            return family
    return "other"


def calls_itself_micro_credential(label: str | None) -> bool:
    return label_family(label) == MICRO_CREDENTIAL
