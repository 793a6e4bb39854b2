"""Mapping institutions' programme catalogues against the EU definition of a micro-credential.

Read (``read_catalogues``), classify (``classify_all``), sum up (``summarise``) and, when
wanted, store the programmes as drafts (``store_programmes``). Everything but storing is pure.
"""

from microcred.formats.catalogue.headers import ColumnMapping
from microcred.formats.catalogue.programmes import ImportedProgramme, RowProblem
from microcred.services.mapping.classification import (
    DEFINITIONS,
    Classification,
    classify,
    classify_all,
)
from microcred.services.mapping.importing import CatalogueImport, read_catalogue, read_catalogues
from microcred.services.mapping.storing import (
    StoreResult,
    catalogue_programmes,
    store_programmes,
)
from microcred.services.mapping.summary import MappingSummary, summarise

__all__ = [
    "DEFINITIONS",
    "CatalogueImport",
    "Classification",
    "ColumnMapping",
    "ImportedProgramme",
    "MappingSummary",
    "RowProblem",
    "StoreResult",
    "catalogue_programmes",
    "classify",
    "classify_all",
    "read_catalogue",
    "read_catalogues",
    "store_programmes",
    "summarise",
]
