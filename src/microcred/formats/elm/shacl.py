"""Validate an EDC against the Commission's SHACL shapes with pyshacl, fully offline.

The JSON-LD is turned into RDF by our own offline processor (pinned contexts, safe mode), the
N-Quads are parsed by rdflib, and the shapes come from package data: rdflib never sees a URL
it could fetch, and pyshacl's ``owl:imports`` are not followed (generic-full's import of
generic-no-cv is loaded from the package instead).

generic-full checks controlled values by the ``inScheme`` each concept carries in the
credential itself (which scheme a concept belongs to), not against the vocabularies'
published concept lists; whether a concept URI really exists in its scheme is checked
by microcred's compliance rules (vocabularies-en.json) for the schemes it ships, and not
at all for the others (ESCO skills, NQF levels).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from microcred.formats.jsonld import UnknownContext, UnsafeDocument
from microcred.formats.jsonld.rdf import to_quads
from microcred.formats.jsonld.rdf_terms import quad_to_nquads

Profile = Literal["generic-no-cv", "generic-full"]
PROFILES: dict[str, tuple[str, ...]] = {
    "generic-no-cv": ("EDC-generic-no-cv.ttl",),
    "generic-full": ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl"),
}
PROFILE_URIS = {
    "http://data.europa.eu/snb/model/ap/edc-generic-no-cv": "generic-no-cv",
    "http://data.europa.eu/snb/model/ap/edc-generic-full": "generic-full",
}
SHAPES = files("microcred").joinpath("data", "shacl")
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ShapeFailure:
    """One failed shape: where (focus node, property path), how bad, and why."""

    focus_node: str
    path: str
    severity: str  # "violation", "warning" or "info"
    message: str
    shape: str
    value: str | None = None

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.path} on {self.focus_node}: {self.message}{value}"


@dataclass(frozen=True)
class ShaclReport:
    """The outcome of validating one credential against one profile."""

    profile: str
    conforms: bool
    failures: list[ShapeFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def violations(self) -> list[ShapeFailure]:
        return [f for f in self.failures if f.severity == "violation"]

    def summary(self, limit: int = 3) -> str:
        """Return one line: conforms, or the first failures."""
        if self.conforms:
            return f"conforms to EDC {self.profile}"
        shown = "; ".join(str(f) for f in self.failures[:limit])
        more = f" (and {len(self.failures) - limit} more)" if len(self.failures) > limit else ""
        return f"{len(self.failures)} failed shape(s) of EDC {self.profile}: {shown}{more}"


class EdcNotReadable(ValueError):
    """The document cannot be turned into RDF (unknown context, a term that does not expand)."""


def validate_edc(credential: dict[str, Any], profile: Profile = "generic-full") -> ShaclReport:
    """Return the SHACL report of an (unsigned) EDC; raises `EdcNotReadable` for bad JSON-LD."""
    # Imported here: pyshacl brings a hundred modules that a process which never validates an
    # EDC (most requests, every command but a few) need not load at start.
    from pyshacl import validate  # type: ignore[import-untyped]

    started = time.perf_counter()
    data = credential_graph(credential)
    conforms, results, _ = validate(
        data,
        shacl_graph=shapes_graph(profile),
        inference="none",
        do_owl_imports=False,
        allow_warnings=True,
        abort_on_first=False,
    )
    failures = _failures(results)
    return ShaclReport(
        profile=profile,
        conforms=bool(conforms),
        failures=failures,
        seconds=time.perf_counter() - started,
    )


def profile_of(credential: dict[str, Any]) -> Profile:
    """Return the profile a credential names in ``credentialSchema`` (generic-full by default)."""
    schemas = credential.get("credentialSchema")
    for schema in schemas if isinstance(schemas, list) else [schemas]:
        if isinstance(schema, dict) and schema.get("id") in PROFILE_URIS:
            return PROFILE_URIS[schema["id"]]  # type: ignore[return-value]
    return "generic-full"


def credential_graph(credential: dict[str, Any]) -> Graph:
    """Return the credential as an rdflib graph, converted offline by our JSON-LD processor."""
    try:
        quads = to_quads(credential)
    except (UnknownContext, UnsafeDocument) as error:
        raise EdcNotReadable(str(error)) from error
    graph = Graph()
    # Without named graphs the N-Quads are N-Triples, which rdflib parses into a plain graph.
    syntax = "nquads" if any(quad.graph is not None for quad in quads) else "nt"
    graph.parse(data="".join(quad_to_nquads(quad) for quad in quads), format=syntax)
    return graph


@cache
def shapes_graph(profile: Profile) -> Graph:
    """Return the shapes of an EDC profile, read once from package data."""
    if profile not in PROFILES:
        raise ValueError(f"unknown EDC profile {profile!r}; use one of {', '.join(PROFILES)}")
    graph = Graph()
    for name in PROFILES[profile]:
        graph.parse(data=SHAPES.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def _failures(results: Graph) -> list[ShapeFailure]:
    failures = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if _is_nested(results, result):
            continue
        failures.append(
            ShapeFailure(
                focus_node=_text(results.value(result, SH.focusNode)),
                path=_path(results, results.value(result, SH.resultPath)),
                severity=_severity(results.value(result, SH.resultSeverity)),
                message=_message(results, result),
                shape=_text(results.value(result, SH.sourceShape)),
                value=_optional(results.value(result, SH.value)),
            )
        )
    return sorted(failures, key=lambda f: (f.focus_node, f.path, f.message))


def _severity(node: Node | None) -> str:
    return SEVERITY_NAMES.get(node, "violation") if isinstance(node, URIRef) else "violation"


def _is_nested(results: Graph, result: Node) -> bool:
    """True for a result that only details another (pyshacl's sh:detail of a sh:node)."""
    return (None, SH.detail, result) in results


def _message(results: Graph, result: Node) -> str:
    own = results.value(result, SH.resultMessage)
    details = [
        _message(results, detail) + f" ({_path(results, results.value(detail, SH.resultPath))})"
        for detail in results.objects(result, SH.detail)
    ]
    text = str(own) if own is not None else "does not conform"
    return text + (": " + "; ".join(details) if details else "")


_PREFIXES = {
    "http://data.europa.eu/snb/model/elm/": "elm:",
    "https://www.w3.org/2018/credentials#": "cred:",
    "http://purl.org/dc/terms/": "dc:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/ns/regorg#": "rov:",
    "http://www.w3.org/ns/adms#": "adms:",
}


def _path(results: Graph, path: Node | None) -> str:
    if path is None:
        return "(node)"
    if isinstance(path, URIRef):
        return _short(str(path))
    return path.n3(results.namespace_manager)


def _short(uri: str) -> str:
    for namespace, prefix in _PREFIXES.items():
        if uri.startswith(namespace):
            return prefix + uri[len(namespace) :]
    return uri


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _optional(node: Node | None) -> str | None:
    return None if node is None else str(node)
