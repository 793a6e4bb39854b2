"""Where a version of a specification stands in its life: edited, in the catalogue, withdrawn."""

from __future__ import annotations

from enum import StrEnum


class SpecificationStatus(StrEnum):
    """Where a version stands: being edited, in the catalogue, or withdrawn from it."""

    draft = "draft"
    published = "published"
    archived = "archived"
