"""A course search as a request gives it: the finder's query and answers read from parameters.

The JSON API and the finder page read the same parameters, so a bad one is reported by field
in the same words on both.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from microcred.services.finder import Answers, FinderQuery


def read_search(
    params: dict[str, str], lang: str
) -> tuple[FinderQuery | None, Answers | None, dict[str, list[str]]]:
    """Return the query and the answers in ``params``, or the problems found, by field."""
    errors: dict[str, list[str]] = {}
    query_fields = {k: v for k, v in params.items() if k in FinderQuery.model_fields}
    answer_fields = {k: v for k, v in params.items() if k in Answers.model_fields}
    query = _read(FinderQuery, {**query_fields, "lang": lang}, errors)
    answers = _read(Answers, answer_fields, errors)
    return query, answers, errors


def _read(model: type[Any], fields: dict[str, str], errors: dict[str, list[str]]) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as invalid:
        for problem in invalid.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "query"
            errors.setdefault(name, []).append(problem["msg"].removeprefix("Value error, "))
        return None
