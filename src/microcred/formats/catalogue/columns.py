"""The catalogue template's columns: name, meaning, an example, and other headers accepted."""

from __future__ import annotations

from dataclasses import dataclass

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


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
