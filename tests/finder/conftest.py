"""Fixtures of the finder tests: the hand-made catalogue published, and the finder on it."""

from __future__ import annotations

import pytest

from finder.courses import Published, publish_courses
from microcred.services.catalogue import Catalogue
from microcred.services.finder import Finder


@pytest.fixture
def published(catalogue: Catalogue) -> Published:
    return publish_courses(catalogue)


@pytest.fixture
def finder(catalogue: Catalogue, published: Published) -> Finder:
    return Finder(catalogue.db)
