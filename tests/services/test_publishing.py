"""Publishing: only a specification without EU errors is published; publishing freezes it."""

from __future__ import annotations

import pytest
from catalogue_specs import course, incomplete_specification, published_then_revised

from microcred.services.catalogue import (
    Catalogue,
    Institution,
    NotPublished,
    PublishRefused,
    SpecificationStatus,
)


def test_publishing_a_compliant_draft_publishes_it(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    published = catalogue.publish(created.id)
    assert published.status is SpecificationStatus.published
    assert published.published_at is not None
    assert published.compliant is True and published.errors == 0


def test_publish_refused_for_a_non_compliant_spec_leaves_the_status_unchanged(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, incomplete_specification())
    assert created.compliant is False and created.errors > 0

    with pytest.raises(PublishRefused) as refused:
        catalogue.publish(created.id)

    assert refused.value.issues, "the refusal lists the errors to fix"
    assert all(issue.severity == "error" for issue in refused.value.issues)
    assert refused.value.issues[0].rule in str(refused.value)
    after = catalogue.get(created.id)
    assert after.status is SpecificationStatus.draft
    assert after.published_at is None
    assert after.updated_at == created.updated_at


def test_publishing_version_two_archives_version_one(
    catalogue: Catalogue, institution: Institution
) -> None:
    spec_id = published_then_revised(catalogue, institution.slug, "Version one", "Version two")
    catalogue.publish(spec_id)
    assert [(v.version, v.status) for v in catalogue.versions(spec_id)] == [
        (1, SpecificationStatus.archived),
        (2, SpecificationStatus.published),
    ]
    assert catalogue.get(spec_id, 1).specification.title == {"en": "Version one"}


def test_publishing_what_is_already_published_changes_nothing(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    first = catalogue.publish(created.id)
    second = catalogue.publish(created.id)
    assert second == first


def test_archiving_withdraws_the_published_version_and_keeps_it_retrievable(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    catalogue.publish(created.id)
    archived = catalogue.archive(created.id)
    assert archived.status is SpecificationStatus.archived
    assert catalogue.get(created.id, 1).specification.title == {"en": "Data literacy"}


def test_archiving_a_never_published_spec_is_refused(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Data literacy"}))
    with pytest.raises(NotPublished, match="no published version to archive"):
        catalogue.archive(created.id)
    assert catalogue.get(created.id).status is SpecificationStatus.draft
