"""Write the demo survey for the mapping report: six fictional institutions' catalogues.

Run once: ``.venv/bin/python scripts/make_mapping_demo.py``; the files it writes under
``src/microcred/data/mapping_demo`` are committed. The random generator is seeded, so running
it again writes the same files. Every name, address and programme is invented.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parents[1] / "src" / "microcred" / "data" / "mapping_demo"
rng = random.Random(20230601)


@dataclass(frozen=True)
class Institution:
    file: str
    name: str
    country: str
    kind: str
    language: str
    headers: dict[str, str]  # template column -> this institution's header
    labels: list[str]  # its own words for its offers
    titles: list[tuple[str, str]]  # (title in its language, ISCED-F code)
    outcome_verbs: list[str]
    modes: list[str]
    assessments: list[str]
    qa: list[str]
    durations: list[str]
    gaps: dict[str, float]  # template column -> chance a row leaves it empty
    hours_only: float = 0.0  # chance the workload is given in hours only
    ects: tuple[float, ...] = (2, 3, 4, 5, 5, 6, 10, 15)
    eqf: tuple[int, ...] = (5, 6, 6, 7, 7)
    price_step: int = 50
    currency: str = ""


INSTITUTIONS = [
    Institution(
        "lindenau.csv", "Hochschule Lindenau", "DE", "Hochschule (university of applied sciences)",
        "de",
        {"institution": "Hochschule", "institution_country": "Land der Hochschule",
         "institution_type": "Art der Einrichtung", "title": "Kurstitel",
         "local_label": "Angebotsform", "ects": "ECTS-Punkte", "hours": "Arbeitsaufwand (h)",
         "eqf": "EQR-Niveau", "isced_f": "ISCED-F", "modes": "Lernform",
         "assessment": "Prüfungsform", "qa_type": "Qualitätssicherung",
         "learning_outcomes": "Lernergebnisse", "languages": "Unterrichtssprache",
         "duration": "Dauer", "price": "Preis", "stackability": "Stapelbar",
         "prerequisites": "Zugangsvoraussetzungen", "recognition": "Anerkennung",
         "country": "Land"},
        ["Micro-Credential", "Hochschulzertifikat", "Micro-Credential", "Weiterbildungskurs"],
        [("Datenanalyse mit Python", "0613"), ("Nachhaltiges Bauen", "0732"),
         ("Pflegeinformatik", "0913"), ("Agiles Projektmanagement", "0413"),
         ("Künstliche Intelligenz im Mittelstand", "0619"), ("Energieberatung", "0713"),
         ("Digitale Lehre gestalten", "0111"), ("Cybersicherheit für KMU", "0612"),
         ("Kreislaufwirtschaft", "0521"), ("Wissenschaftliches Schreiben", "0232"),
         ("Logistik 4.0", "0413"), ("Datenschutz in der Praxis", "0421"),
         ("Robotik-Grundlagen", "0714"), ("Gesundheitsökonomie", "0311")],
        ["Analysieren", "Bewerten", "Planen", "Anwenden"],
        ["Online", "Blended", "Präsenz"], ["Klausur", "Projektarbeit", "Portfolio; Quiz"],
        ["Institutional Quality Assurance", "Programmakkreditierung"],
        ["10 Wochen", "12 Wochen", "6 Wochen", "3 Monate"],
        {"eqf": 0.1, "qa_type": 0.15, "stackability": 0.3, "prerequisites": 0.3,
         "country": 0.0},
        hours_only=0.1,
    ),
    Institution(
        "montesol.xlsx", "Universidad de Montesol", "ES", "universidad", "es",
        {"institution": "Universidad", "title": "Denominación del programa",
         "local_label": "Tipo de titulación", "ects": "Créditos ECTS", "eqf": "Nivel EQF",
         "isced_f": "Campo ISCED", "modes": "Modalidad", "assessment": "Evaluación",
         "qa_type": "Garantía de calidad", "learning_outcomes": "Resultados de aprendizaje",
         "languages": "Idioma", "duration": "Duración", "price": "Precio (€)",
         "country": "País", "institution_type": "Tipo de institución",
         "stackability": "Acumulable"},
        ["Microcredencial", "Curso de especialización", "MOOC", "Microcredencial"],
        [("Marketing digital", "0414"), ("Turismo sostenible", "1015"),
         ("Gestión del agua", "0712"), ("Big data para la salud", "0688"),
         ("Inglés académico", "0231"), ("Emprendimiento social", "0413"),
         ("Enología", "0721"), ("Energías renovables", "0713"),
         ("Igualdad de género en la empresa", "0312"), ("Programación web", "0613"),
         ("Patrimonio cultural", "0222"), ("Ciberseguridad", "0612")],
        ["Diseñar", "Evaluar", "Aplicar", "Analizar"],
        ["Online", "Semipresencial", "Presencial"], ["Examen escrito", "Proyecto", "Portafolio"],
        ["Institutional Quality Assurance"], ["8 semanas", "6 semanas", "4 meses"],
        {"learning_outcomes": 0.25, "qa_type": 0.2, "eqf": 0.2, "stackability": 0.4},
        ects=(1, 2, 3, 4, 5, 6, 6, 12), currency="EUR",
    ),
    Institution(
        "valsorda.csv", "Università di Valsorda", "IT", "università", "it",
        {"institution": "Ateneo", "title": "Titolo del corso", "local_label": "Tipologia",
         "ects": "CFU", "eqf": "Livello EQF", "isced_f": "Area ISCED", "modes": "Modalità",
         "assessment": "Valutazione", "learning_outcomes": "Risultati di apprendimento",
         "languages": "Lingua", "duration": "Durata", "price": "Prezzo",
         "qa_type": "Garanzia della qualità", "institution_type": "Tipo di ente"},
        ["Micro-credenziale", "Corso di perfezionamento", "Diploma", "Corso di aggiornamento"],
        [("Restauro del legno", "0214"), ("Diritto europeo dei dati", "0421"),
         ("Agricoltura di precisione", "0811"), ("Didattica inclusiva", "0111"),
         ("Economia circolare", "0311"), ("Archeologia digitale", "0222"),
         ("Gestione museale", "0322"), ("Statistica per le decisioni", "0542"),
         ("Design sostenibile", "0212"), ("Bioinformatica", "0511"),
         ("Alimentazione e salute", "0915")],
        ["Progettare", "Valutare", "Applicare"],
        ["Online", "In presenza", "Blended"], ["Esame scritto", "Progetto", "Frequenza"],
        ["Programme Quality Assurance"], ["6 settimane", "3 mesi", "1 semestre"],
        {"qa_type": 0.5, "eqf": 0.3, "learning_outcomes": 0.2},
        ects=(3, 6, 9, 12, 20, 30, 60, 60),
    ),
    Institution(
        "koivula.xlsx", "University of Koivula", "FI", "university", "fi",
        {"institution": "Provider", "title": "Programme title", "local_label": "Offer type",
         "ects": "Credits", "eqf": "EQF level", "isced_f": "Field", "modes": "Delivery mode",
         "assessment": "Assessment type", "qa_type": "Quality assurance",
         "qa_internal": "Internal QA", "qa_esg": "ESG", "learning_outcomes": "Learning outcomes",
         "languages": "Languages", "duration": "Duration", "price": "Fee",
         "stackability": "Stackability", "stacks_into": "Counts toward",
         "recognition": "Recognition", "supervision": "Supervision", "grading": "Grading",
         "prerequisites": "Prerequisites", "country": "Country",
         "institution_type": "Provider type", "assessment_criteria": "Assessment criteria"},
        ["micro-credential", "MOOC", "short learning programme", "micro-credential"],
        [("Arktinen matkailu", "1015"), ("Metsätalouden digitalisaatio", "0821"),
         ("Tekoälyn perusteet", "0619"), ("Kestävä rakentaminen", "0732"),
         ("Saamen kieli ja kulttuuri", "0232"), ("Terveysteknologia", "0914"),
         ("Peliala ja pelisuunnittelu", "0613"), ("Johtaminen muutoksessa", "0413"),
         ("Ilmastonmuutos ja yhteiskunta", "0522"), ("Opettajan digitaidot", "0111"),
         ("Kyberturvallisuus", "0612"), ("Vesitalous", "0712")],
        ["Apply", "Design", "Evaluate", "Explain"],
        ["Online", "Online", "Blended"], ["Project work", "Written examination", "Portfolio"],
        ["Institutional Quality Assurance"], ["8 weeks", "10 weeks", "P4M", "12 weeks"],
        {"prerequisites": 0.2, "supervision": 0.3},
        ects=(1, 2, 3, 5, 5, 5, 10, 15, 25),
    ),
    Institution(
        "lowlands.csv", "Open University of the Lowlands", "NL", "open university", "en",
        {"institution": "Organisation", "title": "Programme", "local_label": "Credential type",
         "ects": "ECTS", "hours": "Workload (h)", "eqf": "Level", "isced_f": "Subject area",
         "modes": "Format", "assessment": "Assessment", "qa_type": "QA",
         "learning_outcomes": "Outcomes", "languages": "Language", "duration": "Length",
         "price": "Price", "country": "Country", "stackability": "Stackable",
         "stacks_into": "Stacks toward", "institution_type": "Type of institution",
         "qa_internal": "Internal QA", "qa_esg": "ESG", "grading": "Grading",
         "supervision": "Supervision", "recognition": "Recognition",
         "assessment_criteria": "Assessment criteria"},
        ["short learning programme", "professional course", "certificate",
         "short learning programme"],
        [("Data Science for Managers", "0688"), ("Sustainable Water Management", "0712"),
         ("Teaching in Blended Classrooms", "0111"), ("Psychology of Learning", "0313"),
         ("Supply Chain Resilience", "0413"), ("Dutch Law for Expats", "0421"),
         ("Circular Design", "0212"), ("Applied Machine Learning", "0619"),
         ("Public Health Leadership", "0988"), ("Mediation Skills", "0923")],
        ["Analyse", "Design", "Evaluate", "Apply"],
        ["Online", "Blended"], ["Written examination", "Project work; Peer assessment"],
        ["Institutional Quality Assurance", "Programme Quality Assurance"],
        ["10 weeks", "20 weeks", "P6M"],
        {"eqf": 0.15, "qa_type": 0.1},
        hours_only=0.35, ects=(5, 5, 10, 15, 20, 30),
    ),
    Institution(
        "steinach.csv", "Bildungswerk Steinach", "AT", "Weiterbildungsanbieter", "de",
        {"institution": "Anbieter", "title": "Titel", "local_label": "Abschluss",
         "hours": "Stunden", "isced_f": "Fachgebiet", "modes": "Lernform",
         "assessment": "Prüfung", "learning_outcomes": "Lernziele", "languages": "Sprache",
         "duration": "Dauer", "price": "Kosten", "country": "Land",
         "institution_type": "Art der Einrichtung"},
        ["Teilnahmebestätigung", "Zertifikat", "Diplom", "Weiterbildungskurs"],
        [("Buchhaltung kompakt", "0411"), ("Schweißtechnik", "0715"),
         ("Pflegeassistenz Aufbaukurs", "0913"), ("Excel für Fortgeschrittene", "0611"),
         ("Gastronomie und Hygiene", "1013"), ("Photovoltaik-Montage", "0713"),
         ("Deutsch für den Beruf B2", "0231")],
        ["Durchführen", "Anwenden", "Erstellen"],
        ["Präsenz", "Blended"], ["Praktische Prüfung", "Anwesenheit", "Klausur"],
        [""], ["4 Wochen", "8 Wochen", "2 Monate"],
        {"learning_outcomes": 0.3, "assessment": 0.2},
        hours_only=1.0, eqf=(3, 4, 4, 5), price_step=10,
    ),
]  # fmt: skip

OUTCOME_OBJECTS = {
    "de": ["Methoden des Fachgebiets auf eine Aufgabe aus der eigenen Praxis",
           "Ergebnisse für Fachleute und Laien verständlich", "ein kleines Projekt im Team"],
    "es": ["los métodos del área a un caso real", "un proyecto aplicado en equipo",
           "los resultados ante un público no especializado"],
    "it": ["un progetto applicato al proprio contesto", "i metodi della disciplina su casi reali"],
    "fi": ["alan menetelmiä omaan työhön", "pienen projektin tiimissä"],
    "en": ["the methods of the field to a case from their own work",
           "a small project with a team", "results for a non-specialist audience"],
}  # fmt: skip


def programme_rows(institution: Institution) -> list[dict[str, str]]:
    rows = []
    for index, (title, isced) in enumerate(institution.titles):
        gaps = institution.gaps
        hours_only = rng.random() < institution.hours_only
        ects = rng.choice(institution.ects)
        hours = ects * rng.choice((25, 27, 30)) if not hours_only else rng.choice((16, 24, 40, 80))
        row = {
            "institution": institution.name,
            "institution_country": institution.country,
            "institution_type": institution.kind,
            "country": institution.country,
            "title": title,
            "local_label": institution.labels[index % len(institution.labels)],
            "ects": "" if hours_only else f"{ects:g}".replace(".", ","),
            "hours": f"{hours:g}",
            "eqf": str(rng.choice(institution.eqf)),
            "isced_f": isced,
            "modes": rng.choice(institution.modes),
            "assessment": rng.choice(institution.assessments),
            "qa_type": rng.choice(institution.qa),
            "qa_internal": "yes",
            "qa_esg": rng.choice(("yes", "yes", "no")),
            "learning_outcomes": "; ".join(
                _outcome(institution.language, verb, obj)
                for verb, obj in zip(
                    rng.sample(institution.outcome_verbs, 2),
                    rng.sample(OUTCOME_OBJECTS[institution.language], 2),
                    strict=True,
                )
            ),
            "languages": institution.language
            if rng.random() < 0.7
            else f"{institution.language}; en",
            "duration": rng.choice(institution.durations),
            "price": _price(institution, ects),
            "stackability": rng.choice(("stackable", "stand-alone")),
            "stacks_into": "",
            "prerequisites": rng.choice(("Bachelor", "—", "Work experience")),
            "recognition": rng.choice(("Recognised in the master's programme", "")),
            "supervision": rng.choice(("supervised online with ID check", "unsupervised")),
            "grading": rng.choice(("pass/fail", "0-5")),
            "assessment_criteria": "Marked against a published rubric, one criterion per outcome",
        }
        if row["stackability"] == "stackable" and "stacks_into" in institution.headers:
            row["stacks_into"] = "Master's programme"
        for column, chance in gaps.items():
            if rng.random() < chance:
                row[column] = ""
        rows.append(row)
    return rows


def _outcome(language: str, verb: str, obj: str) -> str:
    # German puts the verb last: "Methoden ... anwenden".
    return f"{obj} {verb.lower()}" if language == "de" else f"{verb} {obj}"


def _price(institution: Institution, ects: float) -> str:
    if rng.random() < 0.15:
        return {"de": "kostenlos", "es": "gratuito", "it": "gratuito"}.get(
            institution.language, "free"
        )
    amount = round(ects * rng.uniform(60, 160) / institution.price_step) * institution.price_step
    if institution.hours_only >= 1:
        amount = rng.choice((180, 290, 450, 890, 1450))
    return f"{amount}"


# Two rows a survey really meets: a credit value nobody can read, and a level out of range.
BAD_ROWS = {
    "lindenau.csv": {"title": "Einführung in die Geoinformatik", "ects": "tbd"},
    "lowlands.csv": {"title": "Advanced Negotiation", "eqf": "10"},
}


def write_csv(institution: Institution, rows: list[dict[str, str]]) -> None:
    columns = list(institution.headers)
    delimiter = ";" if institution.language == "de" else ","
    with (OUT / institution.file).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([institution.headers[c] for c in columns])
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])


def write_xlsx(institution: Institution, rows: list[dict[str, str]]) -> None:
    columns = list(institution.headers)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Programmes"
    sheet.append([institution.headers[c] for c in columns])
    for row in rows:
        sheet.append([_cell(c, row.get(c, "")) for c in columns])
    notes = workbook.create_sheet("Notes")
    notes.append([f"Continuing-education catalogue of {institution.name} (fictional)."])
    workbook.save(OUT / institution.file)


def _cell(column: str, text: str) -> str | float:
    # Numbers are typed in as numbers, as a person filling in a workbook does; field codes too,
    # which is how "0613" becomes 613 in real survey workbooks.
    if column not in ("ects", "hours", "eqf", "price", "isced_f"):
        return text
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for institution in INSTITUTIONS:
        rows = programme_rows(institution)
        if institution.file in BAD_ROWS:
            bad = dict(rows[0]) | BAD_ROWS[institution.file]
            rows.insert(len(rows) // 2, bad)
        if institution.file.endswith(".xlsx"):
            write_xlsx(institution, rows)
        else:
            write_csv(institution, rows)
        print(f"{institution.file}: {len(rows)} rows")


if __name__ == "__main__":
    main()
