"""Specifications for the catalogue tests: variations on the compliant example."""

from __future__ import annotations

from microcred.domain.specification import Specification
from microcred.services.catalogue import Catalogue
from support.examples import example_specification

SNB = "http://data.europa.eu/snb"
ONLINE = f"{SNB}/learning-assessment/920fbb3cbe"
BLENDED = f"{SNB}/learning-assessment/e92d221e4d"
PRESENTIAL = f"{SNB}/learning-assessment/9191af2ed9"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
CYCLE_AT_EQF = {5: "short", 6: "first", 7: "second", 8: "third"}


def course(
    title: dict[str, str],
    ects: float = 5,
    eqf: int = 6,
    isced: str = "0613",
    modes: tuple[str, ...] = (ONLINE,),
) -> Specification:
    """Return the compliant example with the title, workload, level, field and modes given."""
    document = example_specification().model_dump(mode="json")
    document["title"] = title
    document["workload"] = {"ects": ects, "hours": ects * 28}
    document["level"] = {"eqf": f"{SNB}/eqf/{eqf}", "qf_ehea_cycle": CYCLE_AT_EQF.get(eqf)}
    document["isced_f"] = [f"{SNB}/isced-f/{isced}"]
    document["participation"] = {**document["participation"], "modes": list(modes)}
    for target in document["stackability"]["targets"]:
        target["ects_recognised"] = ects
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
