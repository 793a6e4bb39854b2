"""Fixtures for the catalogue tests; the specifications they use are in catalogue_specs.py."""

from __future__ import annotations

import pytest
from catalogue_specs import GERMANY

from microcred.services.catalogue import Catalogue, Institution


@pytest.fixture
def institution(catalogue: Catalogue) -> Institution:
    return catalogue.ensure_institution(
        "uni-example", {"en": "Example University", "de": "Beispiel-Universität"}, GERMANY
    )
