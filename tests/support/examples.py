"""A realistic, fully compliant micro-credential for tests and benchmarks to build on.

"Data Literacy for Public Administration": 5 ECTS, EQF 6, online, offered by a (fictional)
German university of applied sciences, in English and German. It passes every rule of the EU,
E-SLP and MICROBOL profiles.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import microcred
from microcred.domain.specification import Specification

# The demo's file of the same course, as the package ships it (for commands that read a file).
DEMO_SPECIFICATION_FILE = (
    Path(microcred.__file__).parent
    / "data"
    / "demo"
    / "specifications"
    / "01-data-literacy-public-administration.yaml"
)

SNB = "http://data.europa.eu/snb"
COUNTRY = "http://publications.europa.eu/resource/authority/country"
ESCO = "http://data.europa.eu/esco/skill"
UNIVERSITY = "https://www.th-lahntal.example"
# German university grades, best first; 5.0 is a fail.
PASS_GRADES = ["1.0", "1.3", "1.7", "2.0", "2.3", "2.7", "3.0", "3.3", "3.7", "4.0"]


def example_specification() -> Specification:
    """Return a new, fully compliant Specification (a fresh object on every call)."""
    return Specification.model_validate(
        {
            "learner_identification": {
                "required": ["full_name", "email"],
                "optional": ["date_of_birth"],
                "note": {
                    "en": "Name and e-mail address as registered for the course.",
                    "de": "Name und E-Mail-Adresse wie bei der Anmeldung angegeben.",
                },
            },
            "title": {
                "en": "Data Literacy for Public Administration",
                "de": "Datenkompetenz für die öffentliche Verwaltung",
            },
            "issuer_countries": [f"{COUNTRY}/DEU"],
            "nuts_regions": ["DE721"],
            "awarding_bodies": [
                {
                    "name": {
                        "en": "Lahntal University of Applied Sciences",
                        "de": "Technische Hochschule Lahntal",
                    },
                    "id": UNIVERSITY,
                    "legal_identifier": "DE811234567",
                    "country": f"{COUNTRY}/DEU",
                    "homepage": UNIVERSITY,
                    "is_higher_education": True,
                }
            ],
            "learning_outcomes": [
                {
                    "text": {
                        "en": "Analyse administrative data sets with descriptive statistics"
                        " and interpret the results for policy decisions.",
                        "de": "Verwaltungsdaten mit Methoden der deskriptiven Statistik"
                        " analysieren und die Ergebnisse für Entscheidungen interpretieren.",
                    },
                    "esco_skills": [f"{ESCO}/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"],
                },
                {
                    "text": {
                        "en": "Evaluate the quality, provenance and limitations of public"
                        " data sources before using them.",
                        "de": "Qualität, Herkunft und Grenzen öffentlicher Datenquellen vor"
                        " ihrer Nutzung bewerten.",
                    },
                    "esco_skills": [f"{ESCO}/1d6c7de4-350e-4868-a47b-333b4b0d9650"],
                },
                {
                    "text": {
                        "en": "Apply data protection rules (GDPR) when collecting, storing"
                        " and sharing personal data in an authority.",
                        "de": "Datenschutzregeln (DSGVO) beim Erheben, Speichern und Teilen"
                        " personenbezogener Daten in einer Behörde anwenden.",
                    },
                    "esco_skills": [f"{ESCO}/097c6a36-f031-4d3e-b5c1-62d6ffcb430b"],
                },
                {
                    "text": {
                        "en": "Present findings to colleagues and decision makers with clear"
                        " charts and a short written brief.",
                        "de": "Ergebnisse mit verständlichen Diagrammen und einem kurzen"
                        " schriftlichen Bericht für Kolleginnen, Kollegen und"
                        " Entscheidungsträger darstellen.",
                    },
                },
            ],
            "workload": {"ects": 5, "hours": 140},
            "level": {"eqf": f"{SNB}/eqf/6", "qf_ehea_cycle": "first"},
            "assessment": {
                "types": [f"{SNB}/assessment/795dac4096", f"{SNB}/assessment/6e6cb2cc78"],
                "description": {
                    "en": "A data project on an authority's own data (60 %) and a 60-minute"
                    " online examination (40 %).",
                    "de": "Ein Datenprojekt mit Daten der eigenen Behörde (60 %) und eine"
                    " 60-minütige Online-Prüfung (40 %).",
                },
                "criteria": {
                    "en": "Each learning outcome is assessed against a published rubric:"
                    " outcomes 1, 2 and 4 in the project, outcomes 2 and 3 in the examination.",
                    "de": "Jedes Lernergebnis wird nach einem veröffentlichten Bewertungsraster"
                    " geprüft: Ergebnisse 1, 2 und 4 im Projekt, 2 und 3 in der Prüfung.",
                },
            },
            "participation": {
                "modes": [f"{SNB}/learning-assessment/920fbb3cbe"],
                "learning_setting": f"{SNB}/learning-setting/6fd4685715",
                "schedule": f"{SNB}/learning-schedule/67395e6b5a",
                "synchronous": False,
                "weekly_hours": 7,
                "description": {
                    "en": "Ten weeks online and self-paced, with three live webinars.",
                    "de": "Zehn Wochen online im eigenen Tempo, mit drei Live-Webinaren.",
                },
            },
            "quality_assurance": {
                "types": [f"{SNB}/accreditation/bb4618238e"],
                "internal": True,
                "external": True,
                "esg_compliant": True,
                "agency": "Stiftung Akkreditierungsrat (system accreditation)",
                "agency_url": "https://www.akkreditierungsrat.de",
                "link": f"{UNIVERSITY}/quality",
                "description": {
                    "en": "Covered by the university's system-accredited internal quality"
                    " assurance, following the ESG.",
                    "de": "Durch das systemakkreditierte interne Qualitätsmanagement der"
                    " Hochschule abgedeckt, nach den ESG.",
                },
            },
            "prerequisites": {
                "en": "A first degree or two years of work in public administration.",
                "de": "Ein erster Hochschulabschluss oder zwei Jahre Tätigkeit in der"
                " öffentlichen Verwaltung.",
            },
            "supervision": "supervised_online_with_id_verification",
            "grading_scheme": {
                "title": {"en": "German university grades", "de": "Deutsche Hochschulnoten"},
                "description": {
                    "en": "1.0 (best) to 4.0 (pass); 5.0 is a fail.",
                    "de": "1,0 (beste Note) bis 4,0 (bestanden); 5,0 ist nicht bestanden.",
                },
                "grades": [*PASS_GRADES, "5.0"],
                "pass_grades": PASS_GRADES,
            },
            "stackability": {
                "kind": "integrated_stackable",
                "targets": [
                    {
                        "title": {
                            "en": "Certificate in Digital Public Administration (30 ECTS)",
                            "de": "Zertifikat Digitale Verwaltung (30 ECTS)",
                        },
                        "id": f"{UNIVERSITY}/programmes/digital-public-administration",
                        "ects_recognised": 5,
                    }
                ],
                "note": {
                    "en": "Counts fully toward the certificate and the part-time MPA.",
                    "de": "Wird voll auf das Zertifikat und den berufsbegleitenden MPA"
                    " angerechnet.",
                },
            },
            "further_information": {
                "en": "Course materials are open educational resources (CC BY 4.0).",
                "de": "Die Kursmaterialien sind offene Bildungsressourcen (CC BY 4.0).",
            },
            "further_information_url": f"{UNIVERSITY}/data-literacy",
            "description": {
                "en": "Public servants learn to find, judge, analyse and present data in their"
                " daily work, on their own authority's data.",
                "de": "Beschäftigte im öffentlichen Dienst lernen, Daten in ihrer täglichen"
                " Arbeit zu finden, zu beurteilen, auszuwerten und darzustellen.",
            },
            "isced_f": [f"{SNB}/isced-f/0542", f"{SNB}/isced-f/0413"],
            "languages_of_instruction": ["en", "de"],
            "duration": "P10W",
            "price": {
                "amount": 450,
                "currency": "EUR",
                "funding": {
                    "en": "Eligible for the Hessian continuing-education voucher.",
                    "de": "Förderfähig mit dem hessischen Weiterbildungsgutschein.",
                },
            },
            "target_groups": [
                f"{SNB}/target-group/cbedf28444",
                f"{SNB}/target-group/05f11c859b",
            ],
            "relevance": {
                "en": "Designed with three state ministries for the Online Access Act, which"
                " requires authorities to share and use data.",
                "de": "Mit drei Landesministerien für das Onlinezugangsgesetz entwickelt, das"
                " Behörden zum Teilen und Nutzen von Daten verpflichtet.",
            },
            # System accreditation runs in eight-year cycles; the next course review is fixed
            # far enough ahead that the example stays valid.
            "review_date": date(2030, 9, 30),
            "recognition": {
                "en": "5 ECTS recognised in the university's MPA; other universities can"
                " recognise it under the Lisbon Recognition Convention.",
                "de": "5 ECTS werden im MPA der Hochschule angerechnet; andere Hochschulen"
                " können sie nach der Lissabon-Konvention anerkennen.",
            },
            "guidance_contact": "weiterbildung@th-lahntal.example",
            "homepage": f"{UNIVERSITY}/data-literacy",
            "local_label": "Zertifikatskurs",
        }
    )
