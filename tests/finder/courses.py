"""A hand-made catalogue for the finder tests: a few courses that differ in what learners weigh.

Every course starts from the compliant example specification and changes only the elements
named, so each can be published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from microcred.domain.specification import Specification
from microcred.services.catalogue import Catalogue
from support.examples import example_specification

SNB = "http://data.europa.eu/snb"
ONLINE = f"{SNB}/learning-assessment/920fbb3cbe"
BLENDED = f"{SNB}/learning-assessment/e92d221e4d"
ONSITE = f"{SNB}/learning-assessment/9191af2ed9"
RETRAINING = f"{SNB}/target-group/05f11c859b"
EXPERIENCED = f"{SNB}/target-group/cbedf28444"
ESCO = "http://data.europa.eu/esco/skill"
CLOUD_SKILL = f"{ESCO}/6b7a1c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
TODAY = date(2026, 3, 2)
UNI_A, UNI_B = "uni-a", "uni-b"
DEU = "http://publications.europa.eu/resource/authority/country/DEU"
PATHWAY = "https://www.uni-b.example/programmes/cloud-certificate"


def course(title: dict[str, str], **elements: Any) -> Specification:
    """Return the example specification with ``title`` and the given elements replaced."""
    document = example_specification().model_dump(mode="json")
    document["title"] = title
    document["participation"]["schedule"] = None  # derived from the weekly hours
    document["target_groups"] = [EXPERIENCED]
    document["stackability"] = {"kind": "standalone", "targets": [], "note": {}}
    for path, value in elements.items():
        node = document
        *parents, last = path.split("__")
        for name in parents:
            node = node[name]
        node[last] = value
    return Specification.model_validate(document)


def _price(amount: float, funding: dict[str, str] | None = None) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR", "funding": funding or {}}


COURSES: dict[str, tuple[str, Specification]] = {
    "gdpr": (
        UNI_A,
        course(
            {"en": "GDPR Essentials for Staff", "de": "DSGVO-Grundlagen für Beschäftigte"},
            workload={"ects": 1, "hours": 27},
            duration="P4W",
            participation__modes=[ONLINE],
            participation__synchronous=False,
            participation__weekly_hours=4,
            price=_price(0),
            start_dates=[(TODAY + timedelta(days=14)).isoformat()],
            prerequisites={},
        ),
    ),
    "safety": (
        UNI_B,
        course(
            {"en": "Workplace Safety Refresher", "de": "Arbeitsschutz auffrischen"},
            workload={"ects": 2, "hours": 54},
            duration="P6W",
            participation__modes=[ONLINE],
            participation__synchronous=True,
            participation__weekly_hours=5,
            price=_price(0),
        ),
    ),
    "dpo": (
        UNI_A,
        course(
            {"en": "Data Protection Officer Certificate"},
            workload={"ects": 10, "hours": 270},
            duration="P16W",
            participation__modes=[BLENDED],
            participation__synchronous=True,
            participation__weekly_hours=15,
            price=_price(1200),
        ),
    ),
    "cloud": (
        UNI_B,
        course(
            {"en": "Cloud Architecture Foundations", "de": "Grundlagen der Cloud-Architektur"},
            workload={"ects": 6, "hours": 162},
            duration="P12W",
            level={"eqf": f"{SNB}/eqf/6", "qf_ehea_cycle": "first"},
            participation__modes=[ONSITE],
            participation__synchronous=True,
            participation__weekly_hours=12,
            price=_price(300, {"en": "Regional retraining grant", "de": "Regionales Stipendium"}),
            target_groups=[RETRAINING],
            stackability={
                "kind": "integrated_stackable",
                "targets": [
                    {"title": {"en": "Cloud Certificate"}, "id": PATHWAY, "ects_recognised": 6}
                ],
                "note": {},
            },
            start_dates=[(TODAY + timedelta(days=60)).isoformat()],
        ),
    ),
    "cloud-advanced": (
        UNI_B,
        course(
            {"en": "Cloud Operations in Practice"},
            workload={"ects": 6, "hours": 162},
            duration="P12W",
            level={"eqf": f"{SNB}/eqf/7", "qf_ehea_cycle": "second"},
            participation__modes=[BLENDED],
            participation__synchronous=True,
            participation__weekly_hours=12,
            stackability={
                "kind": "integrated_stackable",
                "targets": [
                    {"title": {"en": "Cloud Certificate"}, "id": PATHWAY, "ects_recognised": 6}
                ],
                "note": {},
            },
        ),
    ),
    "procurement": (
        UNI_A,
        course(
            {"de": "Nachhaltige Beschaffung in Kommunen"},
            description={"de": "Kommunen kaufen umweltfreundlich und fair ein."},
            languages_of_instruction=["de"],
            participation__modes=[ONLINE],
        ),
    ),
}


@dataclass(frozen=True)
class Published:
    """The ids of the published courses by key, and of a draft nobody may find."""

    ids: dict[str, str]
    draft: str

    def key_of(self, spec_id: str) -> str:
        return next(key for key, value in self.ids.items() if value == spec_id)


def publish_courses(catalogue: Catalogue) -> Published:
    """Publish the hand-made courses (and leave one draft); return their ids."""
    catalogue.ensure_institution(UNI_A, {"en": "University A", "de": "Universität A"}, DEU)
    catalogue.ensure_institution(UNI_B, {"en": "University B"}, DEU)
    ids = {}
    for key, (institution, spec) in COURSES.items():
        ids[key] = catalogue.publish(catalogue.create(institution, spec).id).id
    draft = catalogue.create(UNI_A, course({"en": "Unpublished Draft Course"})).id
    return Published(ids, draft)
