"""The C shape reader reads every document exactly as the Python reader does.

`shape.read_shape` uses `_shape.c` when it was built. Both must give the same structural key,
the same slot values (the very same objects) and kinds, and refuse the same documents with the
same message; otherwise a plan compiled by one process would serve documents another would
read differently.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.crypto.compiled import shape
from microcred.crypto.compiled.shape import NoShape, read_shape_in_python
from property_profiles import examples
from support.credentials import credentials

if shape._read_in_c is None:
    if os.environ.get("CI"):  # `make test` builds it: in CI, not having it is a failure
        raise ImportError("the C shape reader (crypto/compiled/_shape.c) was not built")
    pytest.skip("the C shape reader was not built (no C compiler)", allow_module_level=True)

KEYS = [
    "@context",
    "type",
    "@type",
    "@id",
    "@value",
    "@language",
    "@direction",
    "@list",
    "@nest",
    "@base",
    "@",
    "",
    "id",
    "name",
    "credentialSubject",
    "typ",
    "@typ",
]
BOUNDARY_NUMBERS: list[Any] = [
    0,
    -1,
    2**63 - 1,
    2**63,
    -(2**63),
    -(2**63) - 1,
    10**21 - 1,
    10**21,
    -(10**21) + 1,
    -(10**21),
    10**30,
    0.0,
    -0.0,
    0.5,
    5.0,
    1e21,
    -1e21,
    9.999999999999999e20,
    1e300,
    float("nan"),
    float("inf"),
    float("-inf"),
    2.5e-7,
]
scalars = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["_:b0", "_:", "_", "did:key:z6Mk", "https://example.org/x"]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(BOUNDARY_NUMBERS),
    st.booleans(),
    st.none(),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=4))
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=5),
    ),
    max_leaves=40,
)
# Values no JSON parser produces: each must be refused alike.
odd = st.one_of(
    st.tuples(scalars),
    st.builds(lambda value: OrderedDict(a=value), scalars),
    st.builds(lambda value: {1: value}, scalars),
    st.binary(max_size=3),
    st.frozensets(st.integers(), max_size=2),
)
documents = st.recursive(
    st.one_of(scalars, odd),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)


def read_both(document: Any) -> tuple[Any, Any]:
    outcomes = []
    for reader in (shape.read_shape, read_shape_in_python):
        try:
            found = reader(document)
        except NoShape as error:
            outcomes.append(("refused", str(error)))
        else:
            outcomes.append((found.key, [id(value) for value in found.values], found.kinds))
    return outcomes[0], outcomes[1]


@settings(max_examples=examples(500), deadline=None)
@given(json_like)
def test_the_readers_agree_on_json(document: Any) -> None:
    in_c, in_python = read_both(document)
    assert in_c == in_python


@settings(max_examples=examples(500), deadline=None)
@given(documents)
def test_the_readers_refuse_alike(document: Any) -> None:
    in_c, in_python = read_both(document)
    assert in_c == in_python


def test_the_readers_agree_on_credentials() -> None:
    for credential in credentials(20, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"):
        in_c, in_python = read_both(credential)
        assert in_c == in_python
        assert in_c[0] != "refused"


@pytest.mark.parametrize("depth", [62, 63, 64, 65, 200])
def test_the_readers_agree_on_depth(depth: int) -> None:
    for container in (list, dict):
        document: Any = "leaf"
        for _ in range(depth):
            document = [document] if container is list else {"a": document}
        in_c, in_python = read_both(document)
        assert in_c == in_python
    assert (in_c[0] == "refused") == (depth > 64)


def test_a_huge_integer_fails_alike() -> None:
    huge = 10**5000  # Python refuses to write it as text: the same error from both readers
    for reader in (shape.read_shape, read_shape_in_python):
        with pytest.raises(ValueError, match="digits"):
            reader({"@context": huge})
