"""Imported programmes into the catalogue, as drafts of their institutions, and back out."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from microcred.domain.specification import localise
from microcred.formats.catalogue.programmes import ImportedProgramme, Provider, RowProblem
from microcred.services.catalogue import (
    Catalogue,
    CatalogueError,
    CatalogueQuery,
    SpecificationRecord,
)

PAGE = 1000


@dataclass
class StoreResult:
    """What storing did: drafts created, programmes already there, and rows refused."""

    created: list[SpecificationRecord] = field(default_factory=list)
    existing: list[SpecificationRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def institutions(self) -> list[str]:
        return sorted({record.institution for record in self.created + self.existing})


def store_programmes(catalogue: Catalogue, programmes: list[ImportedProgramme]) -> StoreResult:
    """Return what storing ``programmes`` as drafts did; a programme already there is kept.

    A programme is "already there" when its institution has one with the same title, so
    importing a catalogue twice adds nothing. Each programme is stored in its own transaction:
    one that is refused stores nothing and is reported with its row.
    """
    result = StoreResult()
    providers: dict[str, Provider] = {}
    for programme in programmes:
        provider = programme.provider
        try:
            if provider.slug not in providers:
                catalogue.ensure_institution(
                    provider.slug,
                    provider.name,
                    country=provider.country,
                    is_higher_education=provider.is_higher_education is not False,
                )
                providers[provider.slug] = provider
            found = _existing(catalogue, programme)
            if found is not None:
                result.existing.append(found)
            else:
                result.created.append(catalogue.create(provider.slug, programme.specification))
        except CatalogueError as error:
            result.problems.append(RowProblem(programme.source, programme.row, str(error)))
    return result


def _existing(catalogue: Catalogue, programme: ImportedProgramme) -> SpecificationRecord | None:
    title = programme.specification.title
    query = CatalogueQuery(institution=programme.provider.slug, text=localise(title, "en"))
    for record in catalogue.search(query):
        if record.specification.title == title:
            return record
    return None


def catalogue_programmes(
    catalogue: Catalogue,
    institutions: list[str] | None = None,
    drafts_of: Collection[str] | None = None,
) -> list[ImportedProgramme]:
    """Return the latest version of every specification in the catalogue, as programmes.

    ``institutions`` limits them to those slugs. Drafts count: a mapped catalogue is a draft;
    but only those of the institutions in ``drafts_of`` (None: every one) are seen.
    """
    known = {institution.slug: institution for institution in catalogue.list_institutions()}
    wanted = institutions or sorted(known)
    programmes: list[ImportedProgramme] = []
    for slug in wanted:
        institution = known.get(slug)
        if institution is None:
            continue
        provider = Provider(
            slug, institution.name, institution.country, institution.is_higher_education
        )
        offset = 0
        while True:
            query = CatalogueQuery(institution=slug, limit=PAGE, offset=offset)
            page = catalogue.search(query, drafts_of)
            programmes += [
                ImportedProgramme(provider, record.specification, f"urn:uuid:{record.id}")
                for record in sorted(page, key=lambda record: record.created_at)
            ]
            if len(page) < PAGE:
                break
            offset += PAGE
    return programmes
