"""Versions: create opens a draft, editing a draft changes it, editing a published one adds n+1."""

from __future__ import annotations

import uuid

import pytest
from catalogue_specs import course, published_then_revised

from microcred.services.catalogue import (
    Catalogue,
    Institution,
    SpecificationNotFound,
    SpecificationStatus,
)


def test_create_stores_version_one_as_a_draft(
    catalogue: Catalogue, institution: Institution
) -> None:
    spec = course({"en": "Data literacy"})
    record = catalogue.create(institution.slug, spec)
    assert record.version == 1
    assert record.status is SpecificationStatus.draft
    assert record.institution == "uni-example"
    assert record.published_at is None
    assert catalogue.get(record.id).specification == spec


def test_editing_a_draft_changes_it_in_place(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    edited = catalogue.update(created.id, course({"en": "Data literacy, revised"}, ects=6))
    assert edited.version == 1
    assert edited.updated_at >= created.updated_at
    assert [v.version for v in catalogue.versions(created.id)] == [1]
    assert catalogue.get(created.id).specification.title == {"en": "Data literacy, revised"}


def test_editing_a_published_spec_creates_version_two_and_leaves_version_one_unchanged(
    catalogue: Catalogue, institution: Institution
) -> None:
    original = course({"en": "Data literacy"})
    created = catalogue.create(institution.slug, original)
    published = catalogue.publish(created.id)

    revised = catalogue.update(created.id, course({"en": "Data literacy 2"}))
    again = catalogue.update(created.id, course({"en": "Data literacy 2, typo fixed"}))

    assert (revised.version, revised.status) == (2, SpecificationStatus.draft)
    assert again.version == 2
    first = catalogue.get(created.id, 1)
    assert first.specification == original
    assert first.status is SpecificationStatus.published
    assert first.published_at == published.published_at
    assert [(v.version, v.status) for v in catalogue.versions(created.id)] == [
        (1, SpecificationStatus.published),
        (2, SpecificationStatus.draft),
    ]


def test_get_without_a_version_returns_the_latest_and_with_status_the_latest_of_that_status(
    catalogue: Catalogue, institution: Institution
) -> None:
    spec_id = published_then_revised(catalogue, institution.slug, "Version one", "Version two")
    assert catalogue.get(spec_id).version == 2
    published = catalogue.get(spec_id, status=SpecificationStatus.published)
    assert published.specification.title == {"en": "Version one"}


def test_specification_id_may_be_given_as_a_urn(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    assert created.urn == f"urn:uuid:{created.id}"
    assert catalogue.get(created.urn).id == created.id


def test_unknown_specification_is_not_found(catalogue: Catalogue) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(SpecificationNotFound, match=f"no specification has the id {missing}"):
        catalogue.get(missing)
    with pytest.raises(SpecificationNotFound):
        catalogue.versions(missing)
    with pytest.raises(SpecificationNotFound):
        catalogue.update(missing, course({"en": "Nothing"}))


def test_id_that_is_not_a_uuid_is_not_found_with_the_expected_form(catalogue: Catalogue) -> None:
    with pytest.raises(SpecificationNotFound, match="'data-literacy' is not a specification id"):
        catalogue.get("data-literacy")


def test_missing_version_names_the_latest_one(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    with pytest.raises(SpecificationNotFound, match=r"no version 3 \(latest is version 1, draft\)"):
        catalogue.get(created.id, 3)
