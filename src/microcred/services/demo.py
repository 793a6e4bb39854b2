"""The demo catalogue: fictional institutions and micro-credentials, seeded idempotently.

The entries live as YAML under ``microcred/data/demo`` (institutions plus one file per
specification, each saying which institution owns it and whether it is published). The
Commission's ELM sample is added as a draft of its own awarding body. Seeding twice changes
nothing: an entry whose title already exists at its institution is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from microcred.domain.compliance.report import ComplianceIssue
from microcred.domain.specification import Specification, localise
from microcred.domain.validation import parse_specification
from microcred.formats.elm.importer import specification_data_from_elm
from microcred.formats.elm.sample import commission_sample
from microcred.services.catalogue import (
    Catalogue,
    CatalogueQuery,
    PublishRefused,
    SpecificationRecord,
)

DEMO_DATA: Traversable = files("microcred").joinpath("data", "demo")
SAMPLE_INSTITUTION = "university-of-zed"


@dataclass(frozen=True)
class DemoInstitution:
    slug: str
    name: dict[str, str]
    country: str | None
    is_higher_education: bool


@dataclass(frozen=True)
class DemoEntry:
    """One micro-credential of the demo catalogue and what to do with it."""

    source: str  # where it comes from, for messages: a file name
    institution: str
    publish: bool
    data: dict[str, Any]  # the Specification as plain data, validated when seeded


@dataclass
class SeedResult:
    """What seeding did: records created or found, and publications the rules refused."""

    created: list[SpecificationRecord] = field(default_factory=list)
    existing: list[SpecificationRecord] = field(default_factory=list)
    refused: dict[str, list[ComplianceIssue]] = field(default_factory=dict)  # source -> errors

    @property
    def records(self) -> list[SpecificationRecord]:
        return self.created + self.existing


def demo_institutions() -> list[DemoInstitution]:
    """Return the institutions of the demo catalogue, the sample's awarding body last."""
    listed = yaml.safe_load(DEMO_DATA.joinpath("institutions.yaml").read_text(encoding="utf-8"))
    institutions = [DemoInstitution(**item) for item in listed]
    [body] = specification_data_from_elm(commission_sample())["awarding_bodies"]
    institutions.append(
        DemoInstitution(SAMPLE_INSTITUTION, body["name"], body.get("country"), True)
    )
    return institutions


def demo_entries() -> list[DemoEntry]:
    """Return every demo micro-credential, in file order, the Commission's sample last."""
    folder = DEMO_DATA.joinpath("specifications")
    entries = []
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if not item.name.endswith(".yaml"):
            continue
        content = yaml.safe_load(item.read_text(encoding="utf-8"))
        entries.append(
            DemoEntry(
                source=item.name,
                institution=content["institution"],
                publish=bool(content.get("publish")),
                data=content["specification"],
            )
        )
    sample = specification_data_from_elm(commission_sample())
    entries.append(DemoEntry("Sample-MC-Annex1-unsigned.jsonld", SAMPLE_INSTITUTION, False, sample))
    return entries


def seed_demo(catalogue: Catalogue) -> SeedResult:
    """Return what seeding the demo catalogue did; entries already present are left as they are."""
    for institution in demo_institutions():
        catalogue.ensure_institution(
            institution.slug,
            institution.name,
            country=institution.country,
            is_higher_education=institution.is_higher_education,
        )
    result = SeedResult()
    for entry in demo_entries():
        spec = parse_specification(entry.data)
        found = existing_entry(catalogue, entry.institution, spec)
        if found is not None:
            result.existing.append(found)
            continue
        record = catalogue.create(entry.institution, spec)
        if entry.publish:
            try:
                record = catalogue.publish(record.id)
            except PublishRefused as refused:
                result.refused[entry.source] = refused.issues
        result.created.append(record)
    return result


def existing_entry(
    catalogue: Catalogue, institution: str, spec: Specification
) -> SpecificationRecord | None:
    """Return the institution's specification with the same English title, if there is one."""
    title = localise(spec.title, "en")
    for record in catalogue.search(CatalogueQuery(institution=institution, text=title)):
        if localise(record.specification.title, "en") == title:
            return record
    return None
