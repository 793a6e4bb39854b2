"""RDF Dataset Canonicalization, W3C RDFC-1.0: canonical blank-node labels and canonical N-Quads.

`canonicalize(quads)` returns the sorted canonical N-Quads document. Blank nodes are labelled
`c14n0, c14n1, ...` using the hash of their first-degree quads and, where those hashes tie,
the hash-n-degree-quads algorithm over their neighbourhoods.

That algorithm is exponential on purpose-built "poison" datasets (RDFC-1.0, "Dataset
Poisoning"): a small graph of tied blank nodes can ask for millions of permutations. Every
hash-n-degree call, every related quad it hashes and every permutation it tries is counted
against one `WorkCounter` (`MAX_CANONICALISATION_WORK` steps), its recursion is kept to
`MAX_HASH_N_DEGREE_DEPTH`, and the deadline of the work in progress (`microcred.deadline`) is
checked as it goes: such a dataset is refused with `CanonicalizationTooComplex` after a bounded
amount of work, whatever its shape.

The algorithm works on quads already written as N-Quads terms (`canonicalize_serialized`), so
that a caller that has them in that form (the compiled path in `crypto.compiled`) skips the
term objects altogether; every term is serialized once, not once per hash.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import permutations

from microcred import deadline
from microcred.formats.jsonld.rdf_terms import Quad, term_to_nquads

MAX_CANONICALISATION_WORK = 10_000
"""Steps one canonicalisation may take in hash-n-degree-quads: a call counts one, each related
quad it hashes one, each permutation it tries one per node in it and one per four labels of
the issuer it copies (2-5 µs a step: the budget is spent in 20-50 ms)."""
MAX_HASH_N_DEGREE_DEPTH = 128
"""How deep hash-n-degree-quads may recurse (a chain of tied blank nodes recurses its length)."""
_DEADLINE_CHECK_EVERY = 512

SerializedQuad = tuple[str, str, str, str]
"""Subject, predicate, object and graph as N-Quads terms; graph is "" for the default graph."""

_IRI_ESCAPE = re.compile(r"\\u([0-9A-F]{4})")


class CanonicalizationTooComplex(ValueError):
    """The dataset needs more hash-n-degree work than allowed (a likely denial of service).

    `work` is the number of steps counted when it was refused.
    """

    def __init__(self, reason: str, work: int) -> None:
        super().__init__(f"blank-node structure too complex ({reason})")
        self.work = work


class WorkCounter:
    """Counts the steps of one canonicalisation; refuses past `limit` or the current deadline."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_CANONICALISATION_WORK if limit is None else limit
        self.spent = 0
        self._deadline_check_at = _DEADLINE_CHECK_EVERY

    def spend(self, steps: int) -> None:
        """Count `steps`; raises `CanonicalizationTooComplex` / `DeadlineExceeded` past a bound."""
        self.spent += steps
        if self.spent > self.limit:
            raise CanonicalizationTooComplex(
                f"work budget {self.limit:,} exceeded", work=self.spent
            )
        if self.spent >= self._deadline_check_at:
            self._deadline_check_at = self.spent + _DEADLINE_CHECK_EVERY
            deadline.check()


class IdentifierIssuer:
    """Issues `prefix0, prefix1, ...` to blank nodes, remembering the order of issue."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {}

    def issue(self, label: str) -> str:
        existing = self.issued.get(label)
        if existing is None:
            existing = f"{self.prefix}{len(self.issued)}"
            self.issued[label] = existing
        return existing

    def copy(self) -> IdentifierIssuer:
        clone = IdentifierIssuer(self.prefix)
        clone.issued = dict(self.issued)
        return clone


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _line(subject: str, predicate: str, obj: str, graph: str) -> str:
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"


def _unescaped(predicate: str) -> str:
    """The predicate IRI as written in hash-related input: `<` raw IRI `>`, no N-Quads escapes."""
    if "\\" not in predicate:
        return predicate
    return _IRI_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), predicate)


class _Canonicalizer:
    def __init__(
        self,
        quads_of: Mapping[str, list[SerializedQuad]],
        hash_text: Callable[[str], str],
        first_degree: dict[str, str] | None = None,
        work: WorkCounter | None = None,
    ) -> None:
        self.quads_of = quads_of
        self.hash = hash_text
        self.canonical = IdentifierIssuer("c14n")
        self.first_degree: dict[str, str] = first_degree if first_degree is not None else {}
        self.work = work if work is not None else WorkCounter()

    def labels(self, blank_nodes: Iterable[str]) -> dict[str, str]:
        """Return each blank node's canonical label (`_:x` → `c14nN`)."""
        by_hash: dict[str, list[str]] = defaultdict(list)
        for label in blank_nodes:
            by_hash[self.hash_first_degree(label)].append(label)
        shared: list[tuple[str, list[str]]] = []
        for digest in sorted(by_hash):
            labels = by_hash[digest]
            if len(labels) == 1:
                self.canonical.issue(labels[0])
            else:
                shared.append((digest, labels))
        for _digest, labels in shared:
            results: list[tuple[str, IdentifierIssuer]] = []
            for label in labels:
                if label in self.canonical.issued:
                    continue
                scratch = IdentifierIssuer("b")
                scratch.issue(label)
                results.append(self.hash_n_degree(label, scratch))
            for _result_hash, issuer in sorted(results, key=lambda result: result[0]):
                for label in issuer.issued:
                    self.canonical.issue(label)
        return self.canonical.issued

    def hash_first_degree(self, label: str) -> str:
        cached = self.first_degree.get(label)
        if cached is not None:
            return cached
        lines = []
        for subject, predicate, obj, graph in self.quads_of[label]:
            if subject[0] == "_":
                subject = "_:a" if subject == label else "_:z"
            if obj[0] == "_":
                obj = "_:a" if obj == label else "_:z"
            if graph[:1] == "_":
                graph = "_:a" if graph == label else "_:z"
            lines.append(_line(subject, predicate, obj, graph))
        lines.sort()
        digest = self.hash("".join(lines))
        self.first_degree[label] = digest
        return digest

    def hash_related(
        self, related: str, quad: SerializedQuad, issuer: IdentifierIssuer, position: str
    ) -> str:
        text = position
        if position != "g":
            text += _unescaped(quad[1])
        if related in self.canonical.issued:
            text += "_:" + self.canonical.issued[related]
        elif related in issuer.issued:
            text += "_:" + issuer.issued[related]
        else:
            text += self.hash_first_degree(related)
        return self.hash(text)

    def hash_n_degree(
        self, label: str, issuer: IdentifierIssuer, depth: int = 1
    ) -> tuple[str, IdentifierIssuer]:
        if depth > MAX_HASH_N_DEGREE_DEPTH:
            raise CanonicalizationTooComplex(
                f"blank-node paths nested deeper than {MAX_HASH_N_DEGREE_DEPTH}",
                work=self.work.spent,
            )
        self.work.spend(1 + len(self.quads_of[label]))
        related_by_hash: dict[str, list[str]] = defaultdict(list)
        for quad in self.quads_of[label]:
            subject, _predicate, obj, graph = quad
            for position, term in (("s", subject), ("o", obj), ("g", graph)):
                if term[:1] == "_" and term != label:
                    digest = self.hash_related(term, quad, issuer, position)
                    related_by_hash[digest].append(term)
        data = ""
        for digest in sorted(related_by_hash):
            data += digest
            chosen_path = ""
            chosen_issuer: IdentifierIssuer | None = None
            related = related_by_hash[digest]
            for order in permutations(related):
                # Counted whether or not it recurses: permutations of nodes already issued
                # cost nothing else, and there can be factorially many of them. Each one
                # copies the issuer, so its size counts too.
                self.work.spend(len(related) + len(issuer.issued) // 4)
                path, path_issuer = self._path(order, issuer, chosen_path, depth)
                if path is not None and (not chosen_path or path < chosen_path):
                    chosen_path, chosen_issuer = path, path_issuer
            data += chosen_path
            assert chosen_issuer is not None
            issuer = chosen_issuer
        return self.hash(data), issuer

    def _path(
        self, order: Iterable[str], issuer: IdentifierIssuer, chosen_path: str, depth: int
    ) -> tuple[str | None, IdentifierIssuer]:
        """Return the path for one permutation, or None once it cannot beat `chosen_path`."""
        issuer = issuer.copy()
        path = ""
        recursion: list[str] = []
        for related in order:
            if related in self.canonical.issued:
                path += "_:" + self.canonical.issued[related]
            else:
                if related not in issuer.issued:
                    recursion.append(related)
                path += "_:" + issuer.issue(related)
            if _cannot_win(path, chosen_path):
                return None, issuer
        for related in recursion:
            result_hash, result_issuer = self.hash_n_degree(related, issuer, depth + 1)
            path += "_:" + issuer.issue(related) + f"<{result_hash}>"
            issuer = result_issuer
            if _cannot_win(path, chosen_path):
                return None, issuer
        return path, issuer


def _cannot_win(path: str, chosen_path: str) -> bool:
    return bool(chosen_path) and len(path) >= len(chosen_path) and path > chosen_path


def serialize(quad: Quad) -> SerializedQuad:
    """Return the quad as four N-Quads terms (graph "" for the default graph)."""
    graph = "" if quad.graph is None else term_to_nquads(quad.graph)
    return (
        term_to_nquads(quad.subject),
        term_to_nquads(quad.predicate),
        term_to_nquads(quad.object),
        graph,
    )


def canonical_labels(
    quads_of: Mapping[str, list[SerializedQuad]],
    first_degree: dict[str, str] | None = None,
    hash_text: Callable[[str], str] = _sha256,
    work: WorkCounter | None = None,
) -> dict[str, str]:
    """Return `_:x` → `c14nN` for the blank nodes of `quads_of` (each one's distinct quads).

    `first_degree` may hold first-degree hashes already computed; `quads_of` is only read
    for blank nodes whose first-degree hashes tie (and their neighbours). Raises
    `CanonicalizationTooComplex` past the work budget (`work`, a fresh one by default).
    """
    return _Canonicalizer(quads_of, hash_text, first_degree, work).labels(list(quads_of))


def canonicalize_serialized(
    quads: Iterable[SerializedQuad],
    hash_text: Callable[[str], str] = _sha256,
    work: WorkCounter | None = None,
) -> str:
    """Return the RDFC-1.0 canonical N-Quads of serialized quads (duplicates are dropped).

    Raises `CanonicalizationTooComplex` past the work budget (`work`, a fresh one by default).
    """
    distinct = list(dict.fromkeys(quads))
    quads_of: dict[str, list[SerializedQuad]] = defaultdict(list)
    for quad in distinct:
        subject, _predicate, obj, graph = quad
        if subject[0] == "_":
            quads_of[subject].append(quad)
        if obj[0] == "_" and obj != subject:
            quads_of[obj].append(quad)
        if graph[:1] == "_" and graph != subject and graph != obj:
            quads_of[graph].append(quad)
    issued = _Canonicalizer(quads_of, hash_text, work=work).labels(list(quads_of))
    lines = []
    for subject, predicate, obj, graph in distinct:
        if subject[0] == "_":
            subject = "_:" + issued[subject]
        if obj[0] == "_":
            obj = "_:" + issued[obj]
        if graph[:1] == "_":
            graph = "_:" + issued[graph]
        lines.append(_line(subject, predicate, obj, graph))
    lines.sort()
    return "".join(lines)


def canonicalize(
    quads: Iterable[Quad],
    hash_text: Callable[[str], str] = _sha256,
    work: WorkCounter | None = None,
) -> str:
    """Return the RDFC-1.0 canonical N-Quads of `quads` (SHA-256 unless `hash_text` is given).

    Raises `CanonicalizationTooComplex` past the work budget (`work`, a fresh one by default).
    """
    return canonicalize_serialized((serialize(quad) for quad in quads), hash_text, work)
