"""REST API: the controlled vocabularies, with labels in a chosen language."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from microcred.domain.vocabularies import get_vocabulary, vocabulary_names

router = APIRouter(prefix="/api/vocabularies", tags=["vocabularies"])


class ConceptOut(BaseModel):
    uri: str
    notation: str
    label: str


class VocabularyOut(BaseModel):
    name: str
    title: str
    scheme: str
    concepts: list[ConceptOut]


@router.get("", response_model=list[str])
def list_vocabularies() -> list[str]:
    """Return the names of the vocabularies microcred ships."""
    return vocabulary_names()


@router.get("/{name}", response_model=VocabularyOut, responses={404: {"description": "Unknown"}})
def vocabulary(request: Request, name: str, lang: str | None = None) -> VocabularyOut:
    """Return a vocabulary's concepts labelled in ``lang`` (default: the request's language)."""
    if name not in vocabulary_names():
        known = ", ".join(vocabulary_names())
        raise HTTPException(404, detail=f"no vocabulary called '{name}'; known: {known}")
    chosen = lang or request.state.lang
    found = get_vocabulary(name)
    return VocabularyOut(
        name=found.name,
        title=found.title,
        scheme=found.scheme,
        concepts=[
            ConceptOut(uri=concept.uri, notation=concept.notation, label=concept.label(chosen))
            for concept in found.concepts.values()
        ],
    )
