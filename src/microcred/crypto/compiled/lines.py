"""Canonical N-Quads of a compiled plan, with the blank-node bookkeeping done at compile time.

Which quads mention which blank node, and where, is the same for every document of a shape.
`Lines` sorts the plan's quads by where their blank nodes sit, so that at emission each quad
costs one or two string joins: the first-degree hash input of a blank node is its quads with
itself written `_:a` and any other blank node `_:z` (RDFC-1.0 §4.6), and its final line has the
canonical label. Only the default graph is handled here; plans with named graphs, and any
document whose quads repeat around a blank node, use `rdfc.canonicalize_serialized`.
"""

from __future__ import annotations

from hashlib import sha256

from microcred.crypto.rdfc import SerializedQuad, canonical_labels


class Lines:
    """The quads of a default-graph plan, grouped by the place of their blank nodes."""

    def __init__(
        self,
        constants: list[str],
        quads: list[tuple[int, int, int, int]],
        *,
        remember_chars: int = 64 * 1024,
    ) -> None:
        def is_blank(index: int) -> bool:
            return index < len(constants) and constants[index][:1] == "_"

        self.plain: list[tuple[int, str, int]] = []
        self.subject_blank: list[tuple[str, str, int]] = []
        self.object_blank: list[tuple[int, str, str]] = []
        both: set[tuple[str, str, str]] = set()
        for subject, predicate, obj, _graph in quads:
            middle = f" {constants[predicate]} "
            if is_blank(subject) and is_blank(obj):
                both.add((constants[subject], middle, constants[obj]))
            elif is_blank(subject):
                self.subject_blank.append((constants[subject], middle, obj))
            elif is_blank(obj):
                self.object_blank.append((subject, middle, constants[obj]))
            else:
                self.plain.append((subject, middle, obj))
        self.both_blank = sorted(both)
        self.next_to_blank = {label for first, _m, second in both for label in (first, second)}
        self.blank_nodes = sorted(
            {label for label, _m, _o in self.subject_blank}
            | {label for _s, _m, label in self.object_blank}
            | {label for label, _m, _o in self.both_blank}
            | {label for _s, _m, label in self.both_blank}
        )
        # Where each blank node appears: (subject, middle, object), terms as labels or indices.
        self.mentions: dict[str, list[tuple[str | int, str, str | int]]] = {
            label: [] for label in self.blank_nodes
        }
        for blank, middle_text, other in self.subject_blank:
            self.mentions[blank].append((blank, middle_text, other))
        for other_subject, middle_text, blank in self.object_blank:
            self.mentions[blank].append((other_subject, middle_text, blank))
        for first, middle_text, second in self.both_blank:
            self.mentions[first].append((first, middle_text, second))
            if second != first:
                self.mentions[second].append((first, middle_text, second))
        masked_both: dict[str, list[str]] = {label: [] for label in self.blank_nodes}
        for first, middle_text, second in self.both_blank:
            if first == second:
                masked_both[first].append(f"_:a{middle_text}_:a .\n")
            else:
                masked_both[first].append(f"_:a{middle_text}_:z .\n")
                masked_both[second].append(f"_:z{middle_text}_:a .\n")
        self.tail_labels = [label for label, _middle, _obj in self.subject_blank]
        self.head_labels = [label for _subject, _middle, label in self.object_blank]
        # Per blank node, what its first-degree hash is made of: the positions of its quads in
        # the tails and heads `canonical_nquads` writes, and its quads with other blank nodes.
        self.hash_inputs = [
            (
                label,
                [at for at, tail_label in enumerate(self.tail_labels) if tail_label == label],
                [at for at, head_label in enumerate(self.head_labels) if head_label == label],
                tuple(masked_both[label]),
            )
            for label in self.blank_nodes
        ]
        # First-degree hashes by their input: most blank nodes of a specification's credentials
        # (its achievement, criteria, alignments) hold the same values in every credential.
        # At most `remember_chars` characters of input are kept (values may be large).
        self.first_degree_hashes: dict[tuple[str, tuple[str, ...]], str] = {}
        self.remember_chars = remember_chars
        self.remembered_chars = 0

    def canonical_nquads(self, terms: list[str]) -> str | None:
        """Return the canonical N-Quads for the plan's terms, None if quads repeat at a blank."""
        tails = [f"{middle}{terms[obj]} .\n" for _label, middle, obj in self.subject_blank]
        heads = [f"{terms[subject]}{middle}" for subject, middle, _label in self.object_blank]
        if len(set(zip(self.tail_labels, tails, strict=True))) != len(tails) or len(
            set(zip(self.head_labels, heads, strict=True))
        ) != len(heads):
            return None
        first_degree = {}
        known = self.first_degree_hashes
        for label, tail_at, head_at, masked_both in self.hash_inputs:
            mine = tuple([tails[at] for at in tail_at] + [heads[at] for at in head_at])
            digest = known.get((label, mine))
            if digest is None:
                lines = [*masked_both, *["_:a" + tail for tail in mine[: len(tail_at)]]]
                lines += [head + "_:a .\n" for head in mine[len(tail_at) :]]
                lines.sort()
                text = "".join(lines)
                digest = sha256(text.encode("utf-8")).hexdigest()
                if self.remembered_chars + len(text) > self.remember_chars:
                    known.clear()
                    self.remembered_chars = 0
                if len(text) <= self.remember_chars:
                    known[(label, mine)] = digest
                    self.remembered_chars += len(text)
            first_degree[label] = digest
        ordered = self.canonical_order(first_degree)
        if ordered is not None:
            canonical = {label: f"_:c14n{number}" for number, label in enumerate(ordered)}
        else:
            issued = canonical_labels(_QuadsOf(self, terms), first_degree)
            canonical = {label: "_:" + name for label, name in issued.items()}
        output = {f"{terms[s]}{middle}{terms[o]} .\n" for s, middle, o in self.plain}
        output.update(
            [canonical[label] + tail for label, tail in zip(self.tail_labels, tails, strict=True)]
        )
        output.update(
            [
                f"{head}{canonical[label]} .\n"
                for label, head in zip(self.head_labels, heads, strict=True)
            ]
        )
        output.update(
            [
                f"{canonical[subject]}{middle}{canonical[obj]} .\n"
                for subject, middle, obj in self.both_blank
            ]
        )
        return "".join(sorted(output))

    def canonical_order(self, first_degree: dict[str, str]) -> list[str] | None:
        """Return the blank nodes in canonical order when their first-degree hashes are unique
        or every tie is between nodes with no blank node next to them, else None (the full
        algorithm decides).

        Tied nodes without blank neighbours have the very same quads but for their own label,
        so any order of them gives the same N-Quads; RDFC-1.0 issues labels to nodes with a
        unique first-degree hash first, by hash, then to each group of tied nodes, by hash, and
        `rdfc.canonical_labels` orders a group of such nodes as they come (`blank_nodes`
        order): so does this.
        """
        groups: dict[str, list[str]] = {}
        for label in self.blank_nodes:
            groups.setdefault(first_degree[label], []).append(label)
        unique = []
        tied = []
        for digest in sorted(groups):
            labels = groups[digest]
            if len(labels) == 1:
                unique.append(labels[0])
            elif self.next_to_blank.isdisjoint(labels):
                tied += labels
            else:
                return None
        return unique + tied


class _QuadsOf(dict[str, list[SerializedQuad]]):
    """The serialized quads of a blank node, written only when the full algorithm asks."""

    def __init__(self, lines: Lines, terms: list[str]) -> None:
        super().__init__({label: [] for label in lines.blank_nodes})
        self.lines = lines
        self.terms = terms
        self.written: set[str] = set()

    def __getitem__(self, label: str) -> list[SerializedQuad]:
        quads = super().__getitem__(label)
        if label not in self.written:
            self.written.add(label)
            terms = self.terms
            for subject, middle, obj in self.lines.mentions[label]:
                quads.append(
                    (
                        subject if isinstance(subject, str) else terms[subject],
                        middle.strip(),
                        obj if isinstance(obj, str) else terms[obj],
                        "",
                    )
                )
        return quads
