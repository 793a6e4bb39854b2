"""Hypothesis strategies for JSON values with the numbers and strings that trip serialisers up."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY_FLOATS = st.sampled_from(
    [
        5.0,
        -0.0,
        0.1,
        1e21,
        1e20,
        9.999999999999999e20,
        1e16,
        1e-7,
        1e-6,
        1.5e-6,
        1e-5,
        5e-324,
        1.7976931348623157e308,
        2.0**53,
        123456789012345680000.0,
        333333333.33333329,
        float("nan"),
        float("inf"),
        float("-inf"),
    ]
)
NASTY_INTEGERS = st.sampled_from(
    [2**53 - 1, 2**53, -(2**53 - 1), -(2**53), 2**63, 2**64, -(2**63) - 1, 10**30, 0, -1]
)
NASTY_CHARACTERS = st.sampled_from(
    list('"\\/\b\f\n\r\t\x00\x01\x1f\x7f\x80\xe9\u2028\u2029\u20ac\ue000\ufb33\uffff')
    + ["\U0001f600", "\U00010000", "\ud800", "\udfff"]
)
STRINGS = st.text(NASTY_CHARACTERS | st.characters(), max_size=12)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | NASTY_INTEGERS
    | st.floats()
    | NASTY_FLOATS
    | STRINGS
)
KEYS = st.text(NASTY_CHARACTERS | st.sampled_from(list("ab1")), max_size=4)


def json_tree(scalars: st.SearchStrategy, keys: st.SearchStrategy = KEYS) -> st.SearchStrategy:
    """Return a strategy for `scalars` nested in arrays (lists and tuples) and objects."""
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=5)
            | st.lists(children, max_size=3).map(tuple)
            | st.dictionaries(keys, children, max_size=5)
        ),
        max_leaves=30,
    )
