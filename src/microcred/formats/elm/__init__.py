"""Europass EDC / ELM v3 documents: for now, reading a credential into a Specification."""

from microcred.formats.elm.importer import (
    ElmImportError,
    is_elm_credential,
    specification_data_from_elm,
    specification_from_elm,
)
from microcred.formats.elm.sample import COMMISSION_SAMPLE, commission_sample

__all__ = [
    "COMMISSION_SAMPLE",
    "ElmImportError",
    "commission_sample",
    "is_elm_credential",
    "specification_data_from_elm",
    "specification_from_elm",
]
