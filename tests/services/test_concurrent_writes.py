"""Writers in several threads (as under a web server) neither fail nor open two drafts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from catalogue_specs import course

from microcred.services.catalogue import Catalogue, CatalogueQuery, Institution, SpecificationStatus


def test_writers_in_parallel_threads_all_succeed(
    catalogue: Catalogue, institution: Institution
) -> None:
    def describe_publish_revise(n: int) -> int:
        created = catalogue.create(institution.slug, course({"en": f"Course {n}"}))
        catalogue.publish(created.id)
        return catalogue.update(created.id, course({"en": f"Course {n}, revised"})).version

    with ThreadPoolExecutor(max_workers=4) as pool:
        versions = list(pool.map(describe_publish_revise, range(12)))

    assert versions == [2] * 12
    assert catalogue.count(CatalogueQuery(status=SpecificationStatus.published)) == 12


def test_parallel_edits_of_one_published_spec_open_a_single_draft(
    catalogue: Catalogue, institution: Institution
) -> None:
    created = catalogue.create(institution.slug, course({"en": "Shared course"}))
    catalogue.publish(created.id)

    def revise(n: int) -> int:
        return catalogue.update(created.id, course({"en": f"Edit {n}"})).version

    with ThreadPoolExecutor(max_workers=4) as pool:
        versions = list(pool.map(revise, range(8)))

    assert versions == [2] * 8
    assert [v.version for v in catalogue.versions(created.id)] == [1, 2]
