"""Specifications for the catalogue tests: a complete one and variations on it."""

from __future__ import annotations

from typing import Any

from microcred.domain.specification import Specification
from microcred.services.catalogue import Catalogue

SNB = "http://data.europa.eu/snb"
ONLINE = f"{SNB}/learning-assessment/920fbb3cbe"
BLENDED = f"{SNB}/learning-assessment/e92d221e4d"
PRESENTIAL = f"{SNB}/learning-assessment/9191af2ed9"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"


def complete_specification() -> Specification:
    """Return a specification holding every Annex I element, meant to pass the EU profile."""
    try:
        from microcred.domain.examples import example_specification
    except ImportError:
        return Specification.model_validate(_COMPLETE)
    return example_specification()


def course(
    title: dict[str, str],
    ects: float = 5,
    eqf: int = 6,
    isced: str = "0613",
    modes: tuple[str, ...] = (ONLINE,),
) -> Specification:
    """Return the complete specification with the title, workload, level, field and modes given."""
    document = complete_specification().model_dump(mode="json")
    document["title"] = title
    document["workload"] = {"ects": ects, "hours": ects * 28}
    document["level"] = {**document["level"], "eqf": f"{SNB}/eqf/{eqf}"}
    document["isced_f"] = [f"{SNB}/isced-f/{isced}"]
    document["participation"] = {**document["participation"], "modes": list(modes)}
    return Specification.model_validate(document)


def published_then_revised(catalogue: Catalogue, institution: str, first: str, second: str) -> str:
    """Return the id of a specification whose version 1 (titled ``first``) is published and
    whose version 2 (titled ``second``) is an open draft."""
    created = catalogue.create(institution, course({"en": first}))
    catalogue.publish(created.id)
    catalogue.update(created.id, course({"en": second}))
    return created.id


def incomplete_specification() -> Specification:
    """Return a draft with a title and nothing else: it has errors under the EU profile."""
    return Specification(title={"en": "Untitled idea"})


_COMPLETE: dict[str, Any] = {
    "learner_identification": {"required": ["full_name", "email"], "optional": ["date_of_birth"]},
    "title": {"en": "Data literacy for public administration"},
    "issuer_countries": [GERMANY],
    "nuts_regions": ["DEA23"],
    "awarding_bodies": [
        {
            "name": {"en": "Example University", "de": "Beispiel-Universität"},
            "id": "https://www.uni-example.eu",
            "country": GERMANY,
            "homepage": "https://www.uni-example.eu",
            "is_higher_education": True,
        }
    ],
    "learning_outcomes": [
        {"text": {"en": "Clean and document a public data set for reuse by colleagues."}},
        {"text": {"en": "Evaluate the quality of an administrative data source in a report."}},
        {"text": {"en": "Design a dashboard that answers a policy question with open data."}},
    ],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": f"{SNB}/eqf/6", "qf_ehea_cycle": "first"},
    "assessment": {
        "types": [f"{SNB}/assessment/795dac4096"],
        "description": {"en": "A project report on a real data set, marked by two examiners."},
        "criteria": {"en": "Each learning outcome is assessed against a published rubric."},
    },
    "participation": {
        "modes": [ONLINE],
        "learning_setting": f"{SNB}/learning-setting/6fd4685715",
        "schedule": f"{SNB}/learning-schedule/67395e6b5a",
        "synchronous": False,
        "weekly_hours": 12,
        "description": {"en": "Online, self-paced, with two live seminars."},
    },
    "quality_assurance": {
        "types": [f"{SNB}/accreditation/bb4618238e"],
        "internal": True,
        "external": True,
        "esg_compliant": True,
        "agency": "Accreditation Agency Example",
        "agency_url": "https://www.agency.example.eu",
        "link": "https://www.uni-example.eu/quality",
        "description": {"en": "Covered by the university's system accreditation."},
    },
    "prerequisites": {"en": "A bachelor's degree or two years of work in public administration."},
    "supervision": "supervised_online_with_id_verification",
    "grading_scheme": {
        "title": {"en": "German grading scale"},
        "description": {"en": "1.0 (best) to 4.0 (pass), 5.0 fail."},
        "grades": ["1.0", "2.0", "3.0", "4.0", "5.0"],
        "pass_grades": ["1.0", "2.0", "3.0", "4.0"],
    },
    "stackability": {
        "kind": "integrated_stackable",
        "targets": [{"title": {"en": "MA Public Data Management"}, "ects_recognised": 5}],
    },
    "further_information": {"en": "Contact the continuing education office."},
    "further_information_url": "https://www.uni-example.eu/data-literacy",
    "description": {"en": "Work with open data in a public administration."},
    "isced_f": [f"{SNB}/isced-f/0613"],
    "languages_of_instruction": ["en"],
    "duration": "P10W",
    "price": {"amount": 450, "currency": "EUR"},
    "target_groups": [],
    "relevance": {"en": "Administrations are asked to publish and reuse open data."},
    "review_date": "2027-09-30",
    "recognition": {"en": "Recognised as 5 ECTS in the MA Public Data Management."},
    "guidance_contact": "weiterbildung@uni-example.eu",
    "homepage": "https://www.uni-example.eu/data-literacy",
    "local_label": "certificate",
}
