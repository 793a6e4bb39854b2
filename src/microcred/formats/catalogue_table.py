"""Programme catalogues as tables (CSV, XLSX): the column template, header matching and rows.

One row is one programme. Headers are matched to the template's columns by name, by common
English and German variants ("Credits", "ECTS-Punkte", "Workload (h)"), or by a column
mapping the caller gives (``{"title": ["Kurstitel", "Nombre del curso"]}``). Text columns may
carry a language ("Title (de)", "title_fi"); otherwise texts are in the row's text language.

``read_catalogue_table(path)`` gives the programmes of a file and, for every row that cannot
be read, a ``RowProblem`` with its row number and reason: no row is dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from microcred.domain.specification import Specification
from microcred.domain.validation import SpecificationInvalid, parse_specification
from microcred.domain.vocabularies import get_vocabulary
from microcred.domain.vocabularies.languages import is_language_code
from microcred.formats.tabular_input import csv_rows, xlsx_sheets

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
SNB = "http://data.europa.eu/snb"


@dataclass(frozen=True)
class Column:
    """One column of the template: its name, what goes in it, an example, other headers for it."""

    name: str
    meaning: str
    example: str
    aliases: tuple[str, ...] = ()
    text: bool = False  # holds text in a language: may be given per language


# fmt: off
COLUMNS: tuple[Column, ...] = (
    Column("institution", "Name of the institution offering the programme (required).",
           "University of Kaltenbach",
           ("provider", "university", "organisation", "organization", "anbieter", "hochschule",
            "einrichtung", "institución", "universidad", "istituzione", "ateneo", "yliopisto",
            "oppilaitos", "instelling")),
    Column("institution_country", "Country of the institution: ISO code or English name.",
           "DE", ("institution country", "provider country", "land der hochschule")),
    Column("institution_type", "'university' (higher education) or another kind of provider.",
           "university", ("provider type", "type of institution", "hei", "art der einrichtung")),
    Column("title", "Title of the programme (required).", "Data Literacy for Public Administration",
           ("programme", "program", "programme title", "program title", "course", "course title",
            "name", "titel", "kurs", "kurstitel", "kursname", "bezeichnung", "nombre",
            "nombre del curso", "titolo", "titolo del corso", "nimi", "koulutuksen nimi"), True),
    Column("local_label", "What the institution calls it: micro-credential, certificate, MOOC, ...",
           "Hochschulzertifikat",
           ("label", "own label", "local label", "type", "credential type", "offer type",
            "angebotsart", "angebotsform", "abschluss", "tipo", "tipologia", "tyyppi")),
    Column("text_language", "Language of this row's texts (ISO 639-1); default: first language "
           "of instruction, else English.", "de", ("text language", "sprache der texte")),
    Column("country", "Country of the issuer: ISO code or English name; several with ';'.", "DE",
           ("issuer country", "country of issuer", "land", "país", "paese", "maa")),
    Column("awarding_body", "Awarding body, when it is not the institution.", "",
           ("awarding body", "vergebende stelle")),
    Column("learning_outcomes", "Learning outcomes, one per line or separated by ';'.",
           "Apply descriptive statistics to administrative data; Explain the results",
           ("outcomes", "learning outcome", "lernergebnisse", "lernziele",
            "resultados de aprendizaje", "risultati di apprendimento", "osaamistavoitteet"), True),
    Column("ects", "Workload in ECTS credits.", "5",
           ("credits", "ects credits", "ects-punkte", "ects punkte", "leistungspunkte",
            "créditos", "créditos ects", "crediti", "cfu", "opintopisteet", "op")),
    Column("hours", "Workload in hours (kept as hours; ECTS are never guessed).", "135",
           ("workload", "workload h", "workload hours", "workload in hours", "hours of study",
            "stunden", "arbeitsaufwand", "arbeitsaufwand h", "arbeitsaufwand stunden",
            "workload stunden", "horas", "ore", "tunnit")),
    Column("eqf", "EQF level 1-8.", "6",
           ("eqf level", "level", "niveau", "eqr", "eqr niveau", "dqr", "nivel eqf",
            "livello eqf")),
    Column("qf_ehea_cycle", "QF-EHEA cycle: short, first, second or third.", "first",
           ("qf ehea cycle", "cycle", "zyklus")),
    Column("nqf", "Level in the national qualifications framework.", "DQR 6",
           ("nqf level", "national level")),
    Column("assessment", "Types of assessment, separated by ';': written examination, project "
           "work, portfolio, oral examination, quiz, ...", "project work; quiz",
           ("assessment type", "assessment types", "prüfung", "prüfungsform", "prüfungsart",
            "evaluación", "valutazione", "arviointi")),
    Column("assessment_criteria", "How the outcomes are judged.",
           "Marked against a published rubric", ("assessment criteria", "bewertungskriterien"),
           True),
    Column("modes", "Form of participation: online, blended, on site, work-based, hybrid.",
           "online",
           ("mode", "delivery", "delivery mode", "format", "form of participation", "lernform",
            "studienform", "modalidad", "modalità", "toteutustapa")),
    Column("learning_setting", "formal or non-formal learning.", "formal",
           ("learning setting",)),
    Column("weekly_hours", "Hours of study per week.", "7",
           ("hours per week", "weekly hours", "stunden pro woche")),
    Column("qa_type", "Type of quality assurance: institutional QA, programme QA, institutional "
           "licence, programme licence.", "institutional quality assurance",
           ("quality assurance", "qa", "type of quality assurance", "qualitätssicherung",
            "garantía de calidad", "garanzia della qualità", "laadunvarmistus")),
    Column("qa_internal", "Covered by the institution's internal QA (yes/no).", "yes",
           ("internal qa",)),
    Column("qa_external", "Reviewed by an external agency (yes/no).", "yes", ("external qa",)),
    Column("qa_esg", "QA follows the ESG (yes/no).", "yes", ("esg", "esg compliant")),
    Column("prerequisites", "What is needed to enrol.", "A first degree",
           ("entry requirements", "voraussetzungen", "zugangsvoraussetzungen", "requisitos",
            "prerequisiti", "esitiedot"), True),
    Column("supervision", "Supervision of assessment: unsupervised, supervised, supervised "
           "online with ID check, supervised on site with ID check.", "supervised online",
           ("supervision and identity verification", "aufsicht")),
    Column("grading", "Grading scheme, e.g. 'pass/fail' or '1.0-4.0'.", "1.0-5.0",
           ("grading scheme", "grades", "benotung", "notenskala", "calificación")),
    Column("stackability", "stand-alone, or stackable toward a larger credential.", "stackable",
           ("stackable", "stapelbar", "acumulable", "cumulabile")),
    Column("stacks_into", "The larger credential it counts toward.", "MA Public Management",
           ("stacks toward", "counts toward", "anrechenbar auf"), True),
    Column("isced_f", "ISCED-F 2013 field codes, separated by ';'.", "0413",
           ("isced", "isced f", "field", "field of study", "subject area", "fachgebiet")),
    Column("languages", "Languages of instruction (ISO 639-1), separated by ';'.", "de; en",
           ("language", "language of instruction", "languages of instruction",
            "unterrichtssprache", "sprache", "idioma", "lingua", "kieli")),
    Column("duration", "Duration: '10 weeks', '3 months' or ISO 8601 'P10W'.", "10 weeks",
           ("length", "dauer", "duración", "durata", "kesto")),
    Column("price", "Price: a number, or 'free'.", "690",
           ("fee", "fees", "cost", "tuition", "preis", "gebühr", "kosten", "precio", "prezzo",
            "hinta")),
    Column("currency", "ISO 4217 currency of the price; default EUR.", "EUR", ("währung",)),
    Column("recognition", "How it is recognised (credit transfer, RPL, Lisbon Convention).",
           "5 ECTS recognised in the MA Public Management", ("anerkennung",), True),
    Column("relevance", "Why it is offered: the societal or labour-market need.",
           "Designed with three municipal administrations", ("relevanz",), True),
    Column("description", "A short description of the programme.", "", ("beschreibung",), True),
    Column("further_information", "Further information.", "", ("notes", "hinweise"), True),
    Column("homepage", "Web page of the programme.", "https://www.example.org/course",
           ("url", "website", "webseite", "link")),
    Column("guidance_contact", "E-mail or web address for guidance.", "info@example.org",
           ("contact", "kontakt")),
)
# fmt: on
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED = ("institution", "title")


# --- what a table gives -------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """The institution a programme belongs to, as a catalogue names it."""

    slug: str
    name: dict[str, str]
    country: str | None = None
    is_higher_education: bool | None = None


@dataclass(frozen=True)
class ImportedProgramme:
    """One programme read from a catalogue file: who offers it, what it is, where it came from."""

    provider: Provider
    specification: Specification
    source: str  # file name
    row: int | None = None  # row number in the file (1 = the header row of a table)

    @property
    def place(self) -> str:
        return f"{self.source}, row {self.row}" if self.row is not None else self.source


@dataclass(frozen=True)
class RowProblem:
    """A row (or file) that could not be read: where, and what to fix."""

    source: str
    row: int | None
    reason: str

    @property
    def place(self) -> str:
        return f"{self.source}, row {self.row}" if self.row is not None else self.source


@dataclass
class TableContent:
    programmes: list[ImportedProgramme] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class RowError(ValueError):
    """A cell that cannot be read; the message names the column and what to write instead."""


# --- headers ------------------------------------------------------------------------------------


def header_key(header: str) -> str:
    """Return a header reduced for matching: lower case, punctuation as single spaces."""
    text = unicodedata.normalize("NFC", header).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


_LANGUAGE_SUFFIX = re.compile(r"^(?P<base>.+?)\s+(?P<lang>[a-z]{2})$")


@dataclass(frozen=True)
class ColumnMapping:
    """Headers of the caller's files for template columns: ``{"title": ["Kurstitel"]}``."""

    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: object) -> ColumnMapping:
        """Return the mapping in ``data`` ({column: header or [headers]}); ValueError if bad."""
        if isinstance(data, Mapping) and "columns" in data:
            data = data["columns"]
        if not isinstance(data, Mapping):
            raise ValueError("a column mapping is an object: {template column: your header(s)}")
        headers: dict[str, tuple[str, ...]] = {}
        for name, given in data.items():
            if name not in COLUMNS_BY_NAME:
                known = ", ".join(COLUMNS_BY_NAME)
                raise ValueError(f"'{name}' is not a template column (known: {known})")
            values = [given] if isinstance(given, str) else given
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"the headers for '{name}' must be text or a list of texts")
            headers[name] = tuple(values)
        return cls(headers)

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        joined = {name: tuple(values) for name, values in self.headers.items()}
        for name, values in other.headers.items():
            joined[name] = joined.get(name, ()) + tuple(values)
        return ColumnMapping(joined)


def _known_headers(mapping: ColumnMapping) -> dict[str, str]:
    known: dict[str, str] = {}
    for name, headers in mapping.headers.items():  # the caller's mapping wins
        for header in headers:
            known.setdefault(header_key(header), name)
    for column in COLUMNS:
        for header in (column.name, *column.aliases):
            known.setdefault(header_key(header), column.name)
    return known


def match_headers(headers: list[str], mapping: ColumnMapping) -> dict[int, tuple[str, str | None]]:
    """Return, by column index, the template column and language (if any) of each header."""
    known = _known_headers(mapping)
    matched: dict[int, tuple[str, str | None]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if key in known:
            matched[index] = (known[key], None)
            continue
        suffix = _LANGUAGE_SUFFIX.match(key)
        if suffix and is_language_code(suffix["lang"]):
            name = known.get(suffix["base"])
            if name and COLUMNS_BY_NAME[name].text:
                matched[index] = (name, suffix["lang"])
    return matched


# --- reading files ------------------------------------------------------------------------------


def read_catalogue_table(path: Path, mapping: ColumnMapping | None = None) -> TableContent:
    """Return the programmes of a CSV or XLSX catalogue and a problem for each unreadable row.

    In a workbook every sheet whose header row has a title column is read; other sheets (an
    instructions sheet, say) are skipped. The file is read row by row within the limits of
    `formats.tabular_input` (which raises `TableTooLarge` past them).
    """
    mapping = mapping or ColumnMapping()
    with path.open("rb") as stream:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_workbook(path.name, stream, mapping)
        rows = csv_rows(stream, path.name, encodings=("utf-8-sig", "cp1252"))
        return _read_rows(path.name, rows, mapping)


def _read_workbook(filename: str, stream: IO[bytes], mapping: ColumnMapping) -> TableContent:
    content = TableContent()
    readable = 0
    for sheet in xlsx_sheets(stream, filename):
        many = sheet.sheets_in_workbook > 1
        source = f"{filename} [{sheet.title}]" if many else filename
        found = _read_rows(source, sheet.rows, mapping, quiet=many)
        readable += found.programmes != [] or found.problems != []
        content.programmes += found.programmes
        content.problems += found.problems
    if not readable:
        content.problems.append(RowProblem(filename, None, _no_title_column()))
    return content


def _no_title_column() -> str:
    return (
        "no header row with a title column found; name one column 'title' (see the template) "
        "or map yours, e.g. --column title=Kursname"
    )


def _read_rows(
    source: str,
    rows: Iterator[tuple[int, list[str]]],
    mapping: ColumnMapping,
    quiet: bool = False,
) -> TableContent:
    content = TableContent()
    header: tuple[int, list[str]] | None = None
    for number, cells in rows:
        if any(cell.strip() for cell in cells):
            header = (number, cells)
            break
    if header is None:
        if not quiet:
            content.problems.append(RowProblem(source, None, "the file has no rows"))
        return content
    columns = match_headers(header[1], mapping)
    names = {name for name, _lang in columns.values()}
    if "title" not in names:
        if not quiet:
            content.problems.append(RowProblem(source, header[0], _no_title_column()))
        return content
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        values = _row_values(cells, columns)
        try:
            provider, data = row_document(values)
            spec = parse_specification(data)
        except RowError as error:
            content.problems.append(RowProblem(source, number, str(error)))
        except SpecificationInvalid as invalid:
            reason = "; ".join(f"{i.element}: {i.message}" for i in invalid.issues)
            content.problems.append(RowProblem(source, number, reason))
        else:
            content.programmes.append(ImportedProgramme(provider, spec, source, number))
    return content


RowValues = dict[str, dict[str | None, str]]  # column -> language (None: the row's) -> text


def _row_values(cells: list[str], columns: dict[int, tuple[str, str | None]]) -> RowValues:
    values: RowValues = {}
    for index, (name, lang) in columns.items():
        text = cells[index].strip() if index < len(cells) else ""
        if text and text.casefold() not in _BLANK:
            values.setdefault(name, {})[lang] = text
    return values


_BLANK = {"-", "–", "—", "n/a", "na", "k.a.", "k. a.", "none", "keine angabe", "?"}


# --- cells to a specification document --------------------------------------------------------


def row_document(values: RowValues) -> tuple[Provider, dict[str, Any]]:
    """Return the provider and the specification document (plain data) of one row."""
    missing = [name for name in REQUIRED if name not in values]
    if missing:
        raise RowError(
            f"no {' and no '.join(missing)}: every programme needs its institution and a title "
            "(map differently named columns with --column NAME=HEADER or a mapping file)"
        )
    plain = {name: texts.get(None) or next(iter(texts.values())) for name, texts in values.items()}
    languages = _list(plain.get("languages"))
    text_language = (plain.get("text_language") or (languages[0] if languages else "en")).lower()
    if not is_language_code(text_language):
        raise RowError(f"text_language: '{text_language}' is not an ISO 639-1 code such as 'de'")
    is_hei = _provider_is_hei(plain.get("institution_type"))
    name = plain["institution"]
    # The institution is where it says it is; else where its programmes are issued from.
    country = plain.get("institution_country") or _first(_list(plain.get("country")))
    provider = Provider(provider_slug(name), {text_language: name}, country, is_hei)

    def texts(column: str) -> dict[str, str]:
        given = values.get(column, {})
        return {(lang or text_language): text for lang, text in given.items()}

    document: dict[str, Any] = {
        "title": texts("title"),
        "local_label": plain.get("local_label"),
        "issuer_countries": _list(plain.get("country") or country),
        "awarding_bodies": [
            {
                "name": {text_language: plain.get("awarding_body") or name},
                "country": _first(_list(plain.get("country") or country)),
                "is_higher_education": bool(is_hei),
            }
        ],
        "learning_outcomes": _outcomes(values.get("learning_outcomes", {}), text_language),
        "workload": {
            "ects": _number(plain.get("ects"), "ects"),
            "hours": _number(plain.get("hours"), "hours"),
        },
        "level": {
            "eqf": _eqf(plain.get("eqf")),
            "qf_ehea_cycle": _lower(plain.get("qf_ehea_cycle")),
            "nqf": plain.get("nqf"),
        },
        "assessment": {
            "types": [_synonym(item, ASSESSMENT_WORDS) for item in _list(plain.get("assessment"))],
            "criteria": texts("assessment_criteria"),
        },
        "participation": {
            "modes": [_synonym(item, MODE_WORDS) for item in _list(plain.get("modes"))],
            "learning_setting": _synonym_or_none(plain.get("learning_setting"), SETTING_WORDS),
            "weekly_hours": _number(plain.get("weekly_hours"), "weekly_hours"),
        },
        "quality_assurance": {
            "types": [_synonym(item, QA_WORDS) for item in _list(plain.get("qa_type"))],
            "internal": _yes_no(plain.get("qa_internal"), "qa_internal"),
            "external": _yes_no(plain.get("qa_external"), "qa_external"),
            "esg_compliant": _yes_no(plain.get("qa_esg"), "qa_esg"),
        },
        "prerequisites": texts("prerequisites"),
        "supervision": _supervision(plain.get("supervision")),
        "grading_scheme": _grading(plain.get("grading"), text_language),
        "stackability": _stackability(plain.get("stackability"), texts("stacks_into")),
        "isced_f": [_isced(code) for code in _list(plain.get("isced_f"))],
        "languages_of_instruction": languages,
        "duration": _duration(plain.get("duration")),
        "price": _price(plain.get("price"), plain.get("currency")),
        "recognition": texts("recognition"),
        "relevance": texts("relevance"),
        "description": texts("description"),
        "further_information": texts("further_information"),
        "homepage": plain.get("homepage"),
        "guidance_contact": plain.get("guidance_contact"),
    }
    return provider, _without_empty(document)


def provider_slug(name: str) -> str:
    """Return the catalogue slug of an institution name: "Universität X" -> "universitat-x"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-") or "provider"


def _list(text: str | None) -> list[str]:
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]


def _isced(code: str) -> str:
    """Return an ISCED-F code whose leading zero a spreadsheet dropped (613 -> "0613")."""
    fields = get_vocabulary("isced-f")
    if code.isdigit() and len(code) % 2 == 1 and fields.by_notation(code) is None:
        return "0" + code
    return code


def _first(items: list[str]) -> str | None:
    return items[0] if items else None


def _lower(text: str | None) -> str | None:
    return text.strip().lower() if text else None


def _outcomes(given: dict[str | None, str], text_language: str) -> list[dict[str, Any]]:
    # Outcomes in several languages are paired by position: line n of each language.
    per_language = {(lang or text_language): _list(text) for lang, text in given.items()}
    count = max((len(items) for items in per_language.values()), default=0)
    return [
        {"text": {lang: items[i] for lang, items in per_language.items() if i < len(items)}}
        for i in range(count)
    ]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _number(text: str | None, column: str) -> float | None:
    if text is None:
        return None
    found = _NUMBER.search(text.replace("\u202f", "").replace(" ", ""))
    if found is None:
        raise RowError(f"{column}: '{text}' is not a number; write e.g. 5 or 7.5")
    digits = found.group()
    if _THOUSANDS.fullmatch(digits):  # "1.200" or "1,200" in a price: twelve hundred
        return float(re.sub(r"[.,]", "", digits))
    return float(digits.replace(",", "."))


def _eqf(text: str | None) -> str | None:
    if text is None:
        return None
    found = re.search(r"\d+", text)
    if found is None:
        raise RowError(f"eqf: '{text}' is not an EQF level; write a number from 1 to 8")
    return found.group()


_YES = {"yes", "y", "true", "1", "x", "ja", "j", "sí", "si", "sì", "kyllä", "oui", "ok"}
_NO = {"no", "n", "false", "0", "nein", "ei", "non"}


def _yes_no(text: str | None, column: str) -> bool | None:
    if text is None:
        return None
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise RowError(f"{column}: '{text}' is neither yes nor no")


def _provider_is_hei(text: str | None) -> bool | None:
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


def _synonym_or_none(text: str | None, words: dict[str, str]) -> str | None:
    return _synonym(text, words) if text else None


def _synonym(text: str, words: dict[str, str]) -> str:
    """Return the code of the first word contained in ``text``; else the text, checked later."""
    folded = text.casefold()
    for word, code in words.items():
        if word in folded:
            return code
    return text


def _supervision(text: str | None) -> str | None:
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


def _grading(text: str | None, lang: str) -> dict[str, Any] | None:
    return {"title": {lang: text}} if text else None


def _stackability(text: str | None, targets: dict[str, str]) -> dict[str, Any]:
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


def _duration(text: str | None) -> str | None:
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


def _price(text: str | None, currency: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    folded = text.casefold().strip()
    if any(folded == word or folded.startswith(word + " ") for word in _FREE):
        return {"amount": 0, "currency": (currency or "EUR").upper()}
    amount = _number(text, "price")
    code = currency.upper() if currency else None
    if code is None:
        letters = re.search(r"\b[A-Z]{3}\b", text)
        sign = next((c for s, c in _CURRENCY_SIGNS.items() if s in folded), None)
        code = letters.group() if letters else sign or "EUR"
    return {"amount": amount, "currency": code}


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, {}, [], "")}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


# --- the template ---------------------------------------------------------------------------


def template_rows() -> list[list[str]]:
    """Return the template as rows: the header row, then one example row."""
    return [[column.name for column in COLUMNS], [column.example for column in COLUMNS]]


def template_csv() -> str:
    """Return the column template as CSV text: headers and one example programme."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(template_rows())
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """Return the column template as a workbook: a 'programmes' sheet and a 'columns' sheet."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "programmes"
    for row in template_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("columns")
    guide.append(["column", "what to write", "example", "other accepted headers"])
    for column in COLUMNS:
        guide.append([column.name, column.meaning, column.example, ", ".join(column.aliases)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
