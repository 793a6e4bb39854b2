"""Reading one cell of a catalogue row: numbers, levels, yes/no, durations, prices, codes.

A cell that cannot be read raises ``RowError`` naming its column and what to write instead; a
free-text value the survey words do not know is passed on for the domain's validation to name.
"""

from __future__ import annotations

import re
from typing import Any

from microcred.domain.vocabularies import get_vocabulary
from microcred.formats.catalogue.headers import header_key
from microcred.formats.catalogue.programmes import RowError


def split_cell(text: str | None) -> list[str]:
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]


def isced_code(code: str) -> str:
    """Return an ISCED-F code whose leading zero a spreadsheet dropped (613 -> "0613")."""
    fields = get_vocabulary("isced-f")
    if code.isdigit() and len(code) % 2 == 1 and fields.by_notation(code) is None:
        return "0" + code
    return code


def first_of(items: list[str]) -> str | None:
    return items[0] if items else None


def lower_or_none(text: str | None) -> str | None:
    return text.strip().lower() if text else None


def outcomes_by_position(given: dict[str | None, str], text_language: str) -> list[dict[str, Any]]:
    # Outcomes in several languages are paired by position: line n of each language.
    per_language = {(lang or text_language): split_cell(text) for lang, text in given.items()}
    count = max((len(items) for items in per_language.values()), default=0)
    return [
        {"text": {lang: items[i] for lang, items in per_language.items() if i < len(items)}}
        for i in range(count)
    ]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def number_in(text: str | None, column: str) -> float | None:
    if text is None:
        return None
    found = _NUMBER.search(text.replace("\u202f", "").replace(" ", ""))
    if found is None:
        raise RowError(f"{column}: '{text}' is not a number; write e.g. 5 or 7.5")
    digits = found.group()
    if _THOUSANDS.fullmatch(digits):  # "1.200" or "1,200" in a price: twelve hundred
        return float(re.sub(r"[.,]", "", digits))
    return float(digits.replace(",", "."))


def eqf_level(text: str | None) -> str | None:
    if text is None:
        return None
    found = re.search(r"\d+", text)
    if found is None:
        raise RowError(f"eqf: '{text}' is not an EQF level; write a number from 1 to 8")
    return found.group()


_YES = {"yes", "y", "true", "1", "x", "ja", "j", "sí", "si", "sì", "kyllä", "oui", "ok"}
_NO = {"no", "n", "false", "0", "nein", "ei", "non"}


def yes_or_no(text: str | None, column: str) -> bool | None:
    if text is None:
        return None
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise RowError(f"{column}: '{text}' is neither yes nor no")


def names_higher_education(text: str | None) -> bool | None:
    if text is None:
        return None
    word = header_key(text)
    return any(part in word for part in ("univ", "hochschule", "college", "hei", "higher", "poly"))


# Free-text values a survey meets, mapped to ELM codes (a word contained in the cell).
MODE_WORDS = {
    "blended": "e92d221e4d", "mixed": "e92d221e4d", "semipresencial": "e92d221e4d",
    "hybrid": "c_3a90b26d", "ibrid": "c_3a90b26d",
    "online": "920fbb3cbe", "distance": "920fbb3cbe", "fern": "920fbb3cbe",
    "on site": "9191af2ed9", "onsite": "9191af2ed9", "on-site": "9191af2ed9",
    "face to face": "9191af2ed9", "face-to-face": "9191af2ed9", "campus": "9191af2ed9",
    "presential": "9191af2ed9", "präsenz": "9191af2ed9", "presencial": "9191af2ed9",
    "in presenza": "9191af2ed9", "lähi": "9191af2ed9", "in person": "9191af2ed9",
    "work-based": "729f3bed4b", "work based": "729f3bed4b", "arbeitsplatz": "729f3bed4b",
}  # fmt: skip
ASSESSMENT_WORDS = {
    "oral": "d30284d7df", "mündlich": "d30284d7df", "orale": "d30284d7df",
    "written": "6e6cb2cc78", "klausur": "6e6cb2cc78", "schriftlich": "6e6cb2cc78",
    "examen escrito": "6e6cb2cc78", "esame scritto": "6e6cb2cc78", "kirjallinen": "6e6cb2cc78",
    "project": "795dac4096", "projekt": "795dac4096", "proyecto": "795dac4096",
    "progetto": "795dac4096", "portfolio": "4f03b91c0e", "portafolio": "4f03b91c0e",
    "quiz": "b1b68f6735", "test": "b1b68f6735", "practical": "6a4db9f11d",
    "praktisch": "6a4db9f11d", "assignment": "2939dae15f", "hausarbeit": "2939dae15f",
    "peer": "19a2e5e671", "presentation": "c_04b30a72", "präsentation": "c_04b30a72",
    "attendance": "7331eb4762", "anwesenheit": "7331eb4762", "asistencia": "7331eb4762",
    "frequenza": "7331eb4762", "läsnäolo": "7331eb4762", "self-assessment": "c_2b3bd410",
    "exam": "6e6cb2cc78", "prüfung": "6e6cb2cc78", "esame": "6e6cb2cc78", "tentti": "6e6cb2cc78",
}  # fmt: skip
QA_WORDS = {
    "institutional quality": "bb4618238e", "institutional qa": "bb4618238e",
    "institutionelle qualität": "bb4618238e", "system": "bb4618238e",
    "programme quality": "820101cba6", "program quality": "820101cba6",
    "programme qa": "820101cba6", "programme accreditation": "820101cba6",
    "programmakkreditierung": "820101cba6", "akkreditierung": "820101cba6",
    "institutional licen": "003293d2ce", "programme licen": "e57dddfcf3",
    "program licen": "e57dddfcf3",
}  # fmt: skip
SETTING_WORDS = {"non-formal": "e207a81fc7", "nicht-formal": "e207a81fc7", "formal": "6fd4685715"}


def code_or_none(text: str | None, words: dict[str, str]) -> str | None:
    return code_for(text, words) if text else None


def code_for(text: str, words: dict[str, str]) -> str:
    """Return the code of the first word contained in ``text``; else the text, checked later."""
    folded = text.casefold()
    for word, code in words.items():
        if word in folded:
            return code
    return text


def supervision_code(text: str | None) -> str | None:
    if text is None:
        return None
    word = text.casefold()
    if "unsupervised" in word or "ohne aufsicht" in word:
        return "unsupervised_no_id_verification"
    if "id" in word.split() or "identity" in word or "identität" in word:
        onsite = any(place in word for place in ("site", "campus", "präsenz", "person"))
        return f"supervised_{'onsite' if onsite else 'online'}_with_id_verification"
    if "supervised" in word or "aufsicht" in word:
        return "supervised_no_id_verification"
    return text  # not a known value: validation names the allowed ones


def grading_scheme(text: str | None, lang: str) -> dict[str, Any] | None:
    return {"title": {lang: text}} if text else None


def stackability_of(text: str | None, targets: dict[str, str]) -> dict[str, Any]:
    kind = None
    if text is not None:
        word = text.casefold()
        alone = ("stand-alone", "standalone", "stand alone", "eigenständig", "independ")
        if word in _NO or any(no in word for no in alone):
            kind = "standalone"
        elif word in _YES or any(yes in word for yes in ("stack", "stapel", "acumul", "cumul")):
            kind = "integrated_stackable"
        else:
            raise RowError(f"stackability: '{text}' is neither 'stand-alone' nor 'stackable'")
    if targets and kind is None:
        kind = "integrated_stackable"
    return {"kind": kind, "targets": [{"title": targets}] if targets else []}


_DURATION_UNITS = {
    "W": ("week", "woche", "semana", "settiman", "viikko", "viikkoa", "wk"),
    "M": ("month", "monat", "mes", "mese", "kuukau"),
    "D": ("day", "tag", "día", "dia", "giorn", "päivä"),
    "Y": ("year", "jahr", "año", "anno", "vuosi"),
}
_SEMESTER = ("semester", "semestre")


def iso_duration(text: str | None) -> str | None:
    if text is None:
        return None
    if re.fullmatch(r"P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?", text.strip().upper()):
        return text.strip().upper()
    found = re.match(r"^\s*(\d+)\s*(\w+)", text.casefold())
    if found:
        amount, unit = int(found[1]), found[2]
        if any(unit.startswith(word) for word in _SEMESTER):
            return f"P{amount * 6}M"
        for letter, words in _DURATION_UNITS.items():
            if any(unit.startswith(word) for word in words):
                return f"P{amount}{letter}"
    raise RowError(f"duration: '{text}' is not a duration; write e.g. '10 weeks' or 'P3M'")


_FREE = ("free", "kostenlos", "gratis", "gratuito", "maksuton", "0")
_CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "kr": "SEK", "zł": "PLN", "chf": "CHF"}


def price_of(text: str | None, currency: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    folded = text.casefold().strip()
    if any(folded == word or folded.startswith(word + " ") for word in _FREE):
        return {"amount": 0, "currency": (currency or "EUR").upper()}
    amount = number_in(text, "price")
    code = currency.upper() if currency else None
    if code is None:
        letters = re.search(r"\b[A-Z]{3}\b", text)
        sign = next((c for s, c in _CURRENCY_SIGNS.items() if s in folded), None)
        code = letters.group() if letters else sign or "EUR"
    return {"amount": amount, "currency": code}


def without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {key: without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, {}, [], "")}
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value
