"""Europass EDC (ELM v3): render an award, validate it with SHACL, read it into a Specification."""

from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.importer import (
    ElmImportError,
    is_elm_credential,
    specification_data_from_elm,
    specification_from_elm,
)
from microcred.formats.elm.render import EDC_CONTEXTS, render_edc
from microcred.formats.elm.sample import COMMISSION_SAMPLE, commission_sample
from microcred.formats.elm.shacl import (
    EdcNotReadable,
    ShaclReport,
    ShapeFailure,
    profile_of,
    validate_edc,
)

__all__ = [
    "COMMISSION_SAMPLE",
    "EDC_CONTEXTS",
    "EdcNotReadable",
    "ElmImportError",
    "ElmRenderError",
    "ShaclReport",
    "ShapeFailure",
    "commission_sample",
    "is_elm_credential",
    "profile_of",
    "render_edc",
    "specification_data_from_elm",
    "specification_from_elm",
    "validate_edc",
]
