"""`make bench`: what issuing and verifying one credential costs, per cryptosuite, on one core.

Every call works on a different credential (the learner varies), rendered beforehand from the
example specification as Open Badges 3.0; contexts are warm. Each figure is the median of
several runs, beside raw Ed25519 sign/verify on the same machine, and eddsa-rdfc-2022 is split
into its stages to show where the time goes. Writes the results as Markdown:

    python -m benchmarks --output BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.support.credentials import credentials

from benchmarks.bulk import measure_bulk
from benchmarks.finder import measure_finder
from benchmarks.http_load import measure_http
from benchmarks.machine import cpu_model, pin_to_one_core
from benchmarks.peers import measure_first_seen_shapes, reference_path
from benchmarks.start_up import measure_start_up
from benchmarks.status_lists import measure_status
from microcred.crypto import data_integrity
from microcred.crypto.compiled import SHAPES
from microcred.crypto.compiled.shape import Shape, read_shape
from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.jose import issue_vc_jwt, verify_vc_jwt
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import ED25519, P256, PrivateKey
from microcred.crypto.rdfc import canonicalize as rdfc_canonicalize
from microcred.crypto.suites import rdfc
from microcred.formats.jsonld.expansion import expand_safely
from microcred.formats.jsonld.rdf import to_quads
from microcred.verify import verify_credential

RUNS = 5
CALLS_PER_RUN = 40
SUITES = [
    ("eddsa-rdfc-2022", ED25519),
    ("ecdsa-rdfc-2019", P256),
    ("eddsa-jcs-2022", ED25519),
    ("ecdsa-jcs-2019", P256),
]


@dataclass(frozen=True)
class Row:
    """Median microseconds per call of one pipeline, for issuing and for verifying."""

    pipeline: str
    issue_us: float
    verify_us: float


def median_us(work: Callable[[Any], object], inputs: Callable[[int], Sequence[Any]]) -> float:
    """Return the median over RUNS of the mean microseconds per call of `work` on fresh inputs."""
    per_call = []
    for run in range(RUNS):
        items = inputs(run)
        started = time.process_time_ns()
        for item in items:
            work(item)
        per_call.append((time.process_time_ns() - started) / len(items) / 1000)
    return statistics.median(per_call)


def measure_suite(suite: str, algorithm: str) -> Row:
    key = PrivateKey.generate(algorithm)
    method = did_key_verification_method_id(key.public_key)
    issuer = method.split("#", 1)[0]
    resolve = key_resolver()

    def unsigned(run: int) -> list[dict[str, Any]]:
        return credentials(CALLS_PER_RUN, issuer, start=run * CALLS_PER_RUN)

    def signed(run: int) -> list[dict[str, Any]]:
        return [
            data_integrity.sign(c, key, suite=suite, verification_method=method)
            for c in unsigned(run + RUNS)
        ]

    def issue(credential: dict[str, Any]) -> object:
        return data_integrity.sign(credential, key, suite=suite, verification_method=method)

    def verify(credential: dict[str, Any]) -> object:
        return data_integrity.verify(credential, resolve_key=resolve)

    return Row(suite, median_us(issue, unsigned), median_us(verify, signed))


def measure_reference(suite: str, algorithm: str) -> Row:
    with reference_path():
        row = measure_suite(suite, algorithm)
    return Row(f"{suite}, reference path (plain JSON-LD)", row.issue_us, row.verify_us)


def measure_jwt(algorithm: str) -> Row:
    key = PrivateKey.generate(algorithm)
    method = did_key_verification_method_id(key.public_key)
    resolve = key_resolver()

    def unsigned(run: int) -> list[dict[str, Any]]:
        return credentials(CALLS_PER_RUN, method.split("#")[0], start=run * CALLS_PER_RUN)

    def tokens(run: int) -> list[str]:
        return [issue_vc_jwt(c, key, kid=method) for c in unsigned(run + RUNS)]

    return Row(
        f"vc+jwt ({'EdDSA' if algorithm == ED25519 else 'ES256'})",
        median_us(lambda c: issue_vc_jwt(c, key, kid=method), unsigned),
        median_us(lambda t: verify_vc_jwt(t, resolve_key=resolve), tokens),
    )


def measure_pipeline() -> Row:
    """The whole verifier (every check) on eddsa-rdfc-2022 credentials; issuing is not part."""
    key = PrivateKey.generate(ED25519)
    method = did_key_verification_method_id(key.public_key)

    def signed(run: int) -> list[dict[str, Any]]:
        return [
            data_integrity.sign(c, key, suite="eddsa-rdfc-2022", verification_method=method)
            for c in credentials(CALLS_PER_RUN, method.split("#")[0], start=run * 1000)
        ]

    return Row(
        "verify_credential, every check (eddsa-rdfc-2022)",
        0.0,
        median_us(verify_credential, signed),
    )


def measure_raw_ed25519() -> Row:
    key = PrivateKey.generate(ED25519)
    messages = [hashlib.sha512(str(n).encode()).digest() for n in range(2000)]
    pairs = [(m, key.sign(m)) for m in messages]
    return Row(
        "raw Ed25519 sign / verify (cryptography)",
        median_us(key.sign, lambda run: messages),
        median_us(lambda pair: key.public_key.verify(pair[1], pair[0]), lambda run: pairs),
    )


def eddsa_signer() -> tuple[PrivateKey, str, dict[str, Any]]:
    """Return a new Ed25519 key, its did:key verification method, and a proof configuration
    for eddsa-rdfc-2022 without `@context` (the document's is added)."""
    key = PrivateKey.generate(ED25519)
    method = did_key_verification_method_id(key.public_key)
    config = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-03-01T09:30:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    return key, method, config


def eddsa_rdfc_stages() -> dict[str, float]:
    """Return the median microseconds of each stage of signing one credential, eddsa-rdfc-2022."""
    key, method, config = eddsa_signer()
    issuer = method.split("#")[0]

    def fresh(run: int) -> list[dict[str, Any]]:
        return credentials(CALLS_PER_RUN, issuer, start=5000 + run * CALLS_PER_RUN)

    def quads(run: int) -> list[Any]:
        return [to_quads(c) for c in fresh(run)]

    expansion = median_us(expand_safely, fresh)
    to_rdf = median_us(to_quads, fresh) - expansion
    canonical = median_us(rdfc_canonicalize, quads)
    proof_config = median_us(lambda c: rdfc({**config, "@context": c["@context"]}), fresh)
    payloads = [b"x" * 3000 for _ in range(CALLS_PER_RUN)]
    hash_sign = median_us(
        lambda data: key.sign(hashlib.sha256(data).digest() + hashlib.sha256(data).digest()),
        lambda run: payloads,
    )
    return {
        "JSON-LD expansion of the credential (safe mode)": expansion,
        "expanded form to RDF quads (pyld's node map, from the one expansion)": to_rdf,
        "RDFC-1.0 canonicalisation of the credential's quads": canonical,
        "canonicalising the proof configuration (expansion + RDF + RDFC)": proof_config,
        "SHA-256 hashing + Ed25519 signing": hash_sign,
    }


def compiled_stages() -> dict[str, float]:
    """Return the median microseconds of each stage of signing one credential on the compiled
    path (eddsa-rdfc-2022, a shape already compiled)."""
    key, method, config = eddsa_signer()
    issuer = method.split("#")[0]
    for credential in credentials(3, issuer, start=9000):  # compile the shape
        data_integrity.sign(credential, key, suite="eddsa-rdfc-2022", verification_method=method)

    def fresh(run: int) -> list[dict[str, Any]]:
        return credentials(CALLS_PER_RUN, issuer, start=9100 + run * CALLS_PER_RUN)

    def shapes(run: int) -> list[Shape]:
        return [read_shape(credential) for credential in fresh(run)]

    plan = SHAPES._plan_for(read_shape(fresh(0)[0]))
    if plan is None or plan.lines is None:
        return {}
    lines = plan.lines

    def terms(run: int) -> list[list[str]]:
        return [plan.terms(shape.values) for shape in shapes(run)]

    def nquads(run: int) -> list[tuple[bytes, bytes]]:
        return [
            (rdfc({**config, "@context": credential["@context"]}), rdfc(credential))
            for credential in fresh(run)
        ]

    signature = median_us(
        lambda pair: key.sign(hashlib.sha256(pair[0]).digest() + hashlib.sha256(pair[1]).digest()),
        nquads,
    )
    return {
        "reading the document's shape and values (C reader)": median_us(read_shape, fresh),
        "finding the shape's plan, checking its fixed values": median_us(SHAPES._plan_for, shapes),
        "writing the values as N-Quads terms": median_us(lambda x: plan.terms(x.values), shapes),
        "blank-node labels (RDFC-1.0) and the sorted canonical lines": median_us(
            lines.canonical_nquads, terms
        ),
        "canonicalising the proof configuration": median_us(
            lambda c: rdfc({**config, "@context": c["@context"]}), fresh
        ),
        "SHA-256 of both + Ed25519 signing": signature,
    }


def per_second(us: float | None) -> str:
    return f"{1_000_000 / us:,.0f}" if us else "—"


def micros(us: float | None) -> str:
    return f"{us:,.0f}" if us else "—"


def credential_shape() -> str:
    """Return the size of one benchmark credential: JSON bytes and canonical quads."""
    [credential] = credentials(1, "did:example:shape")
    size = len(json.dumps(credential, ensure_ascii=False).encode("utf-8"))
    return f"{size / 1024:.1f} KB of JSON, {len(to_quads(credential))} quads"


def render(rows: list[Row], stages: dict[str, float], pinning: str, seconds: float) -> str:
    raw = next(row for row in rows if row.pipeline.startswith("raw Ed25519"))
    lines = [
        "# Benchmarks",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores ({pinning}), "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}",
        f"- command: `make bench` (`python -m benchmarks --output BENCHMARKS.md`), {seconds:.0f} s",
        f"- method: median of {RUNS} runs of {CALLS_PER_RUN} calls, in CPU time of this process "
        "(other work on the machine does not count); every call on a different "
        "credential (the example micro-credential rendered as Open Badges 3.0 for a different "
        f"learner: VC 2.0 + OB 3.0.3 + microcred extension contexts, {credential_shape()}); "
        "contexts warm; did:key.",
        "- runs vary by 15-20 % between invocations: compare the ratios within one run.",
        "",
        "| pipeline | issue µs | issue /s | verify µs | verify /s | issue × raw sign | "
        "verify × raw verify |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        issue_ratio = f"{row.issue_us / raw.issue_us:,.0f}×" if row.issue_us else "—"
        verify_ratio = f"{row.verify_us / raw.verify_us:,.0f}×" if row.verify_us else "—"
        lines.append(
            f"| {row.pipeline} | {micros(row.issue_us)} | {per_second(row.issue_us)} | "
            f"{micros(row.verify_us)} | {per_second(row.verify_us)} | {issue_ratio} | "
            f"{verify_ratio} |"
        )
    total = sum(stages.values())
    lines += [
        "",
        "## Where the time goes: signing one credential with eddsa-rdfc-2022 (reference path)",
        "",
        "Split timings of each stage on its own (medians as above); the stages add up to "
        f"{total:,.0f} µs.",
        "",
        "| stage | µs | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {us:,.0f} | {us / total:.0%} |" for name, us in stages.items()]
    lines += [
        "",
        "Verifying does the same work (canonicalise the proof configuration and the document, "
        "hash, check the signature). The full verifier additionally runs its other checks "
        "(shape, contexts, data model, status) and the EU profile rules (once per achievement); "
        "its safe-mode check shares the proof's expansion, which is the difference "
        "between the `verify_credential` row and the eddsa-rdfc-2022 verify figure.",
        "",
        "Almost all of it is JSON-LD work that is the same for every credential of one "
        "specification: expanding the document and re-processing the same contexts for the "
        "proof configuration. "
        "Hashing and signing are under 1 %. The stages are those of the reference path; the "
        "compiled path (next section) does that work once per document shape.",
        "",
    ]
    return "\n".join(lines)


TARGETS = {
    "eddsa-rdfc-2022": (3000, 2000),
    "eddsa-jcs-2022": (8000, 0),
    "vc+jwt (EdDSA)": (8000, 0),
}


def render_compiled(rows: list[Row], references: list[Row], cache: str) -> str:
    """The compiled canonicalisation path beside the reference path, and the issue's targets."""
    by_name = {row.pipeline: row for row in rows}
    lines = [
        "## Compiled canonicalisation against the reference path",
        "",
        "The rdfc rows above use the compiled path (`crypto.compiled`): the JSON-LD work is done "
        "once per document shape and each credential's canonical N-Quads are written from its "
        "values. The reference rows run the same credentials through pyld (safe-mode expansion, "
        "toRDF) and RDFC-1.0 with the shape cache switched off. Output is byte-identical "
        "(tests/crypto/test_fast_canonicalisation.py).",
        "",
        "| suite | issue µs compiled | issue µs reference | issue speed-up | "
        "verify µs compiled | verify µs reference | verify speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for reference in references:
        suite = reference.pipeline.split(",")[0]
        fast = by_name[suite]
        lines.append(
            f"| {suite} | {micros(fast.issue_us)} | {micros(reference.issue_us)} | "
            f"{reference.issue_us / fast.issue_us:,.0f}× | {micros(fast.verify_us)} | "
            f"{micros(reference.verify_us)} | {reference.verify_us / fast.verify_us:,.0f}× |"
        )
    lines += [
        "",
        "Targets of issue 11 (per core, this credential):",
        "",
        "| pipeline | issue /s | target | verify /s | target | met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, (issue_target, verify_target) in TARGETS.items():
        row = by_name[name]
        met = 1_000_000 / row.issue_us >= issue_target and (
            not verify_target or 1_000_000 / row.verify_us >= verify_target
        )
        lines.append(
            f"| {name} | {per_second(row.issue_us)} | {issue_target:,} | "
            f"{per_second(row.verify_us)} | {f'{verify_target:,}' if verify_target else '—'} | "
            f"{'yes' if met else 'no'} |"
        )
    lines += [
        "",
        cache,
        "",
        "What bounds the JCS and vc+jwt rows (stages timed by hand on 2026-11-29): orjson "
        "writing 12 KB of JSON with sorted keys (~20 µs), a Python walk that writes the "
        "document's floats as ECMAScript does (~35-40 µs, JCS only), two SHA-256 hashes and "
        "the Ed25519 signature (~30 µs); for vc+jwt, Ed25519 hashing the 16 KB signing input "
        "twice with SHA-512 (~48 µs) and base64url (~13 µs). Verifying a vc+jwt is held near "
        "175 µs by the Ed25519 verification over those 16 KB.",
        "",
    ]
    return "\n".join(lines)


def render_compiled_stages(stages: dict[str, float], rows: list[Row]) -> str:
    """Where the time goes on the compiled path, stage by stage, beside the whole call."""
    if not stages:
        return ""
    whole = next(row for row in rows if row.pipeline == "eddsa-rdfc-2022").issue_us
    total = sum(stages.values())
    lines = [
        "## Where the time goes: signing one credential on the compiled path",
        "",
        "Each stage on its own (medians as above) for eddsa-rdfc-2022 on a compiled shape; "
        f"they add up to {total:,.0f} µs of the {whole:,.0f} µs a whole `data_integrity.sign` "
        "takes (the rest: building the proof, copying the document's top level, encoding).",
        "",
        "| stage | µs | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {us:,.0f} | {us / total:.0%} |" for name, us in stages.items()]
    return "\n".join([*lines, "", ""])


def run() -> str:
    started = time.perf_counter()
    pinning = pin_to_one_core()
    credentials(2, "did:example:warm-up")  # load vocabularies and the example once
    rows = [measure_raw_ed25519()]
    rows += [measure_suite(suite, algorithm) for suite, algorithm in SUITES]
    rows += [measure_jwt(ED25519), measure_jwt(P256), measure_pipeline()]
    cache = (
        f"Shape cache after the compiled runs: {len(SHAPES)} shapes, "
        f"{SHAPES.size_bytes / 1024:,.0f} KiB, {SHAPES.compiles} compiles, "
        f"{SHAPES.hits:,} documents served by a plan, {SHAPES.fallbacks:,} handed back "
        f"to the reference path by a plan, {SHAPES.misses:,} with no plan."
    )
    references = [
        measure_reference(suite, algorithm) for suite, algorithm in SUITES if "rdfc" in suite
    ]
    with reference_path():
        stages = eddsa_rdfc_stages()
    report = render(rows, stages, pinning, time.perf_counter() - started)
    report += "\n" + render_compiled(rows, references, cache)
    report += "\n" + render_compiled_stages(compiled_stages(), rows)
    report += "\n" + measure_first_seen_shapes()
    report += "\n" + measure_status() + "\n" + measure_bulk() + "\n" + measure_finder()
    return report + "\n" + measure_http() + "\n" + measure_start_up()


def run_verify_rows() -> str:
    """The rows a change to the verifier moves (raw Ed25519, eddsa-rdfc-2022, the whole
    verifier), in a table of their own: seconds instead of `make bench`'s minutes."""
    pinning = pin_to_one_core()
    credentials(2, "did:example:warm-up")
    rows = [measure_raw_ed25519(), measure_suite("eddsa-rdfc-2022", ED25519), measure_pipeline()]
    return render_verify_rows(rows, pinning, os.getloadavg())


def render_verify_rows(rows: list[Row], pinning: str, load: tuple[float, float, float]) -> str:
    """The verify rows with their ratio to raw Ed25519 verification, machine and load."""
    raw = next(row for row in rows if row.pipeline.startswith("raw Ed25519"))
    lines = [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; machine: {cpu_model()}, "
        f"{os.cpu_count()} cores ({pinning}), Python {platform.python_version()}; load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}",
        "- command: `python -m benchmarks --verify-rows` (method as in the first table)",
        "",
        "| pipeline | verify µs | verify /s | verify × raw verify |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {row.pipeline} | {micros(row.verify_us)} | {per_second(row.verify_us)} | "
        f"{row.verify_us / raw.verify_us:,.1f}× |"
        for row in rows
    ]
    return "\n".join([*lines, ""])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--output", type=Path, help="write the Markdown here (default: stdout)")
    parser.add_argument(
        "--verify-rows",
        action="store_true",
        help="only measure raw Ed25519, eddsa-rdfc-2022 and verify_credential verification",
    )
    arguments = parser.parse_args(argv)
    markdown = run_verify_rows() if arguments.verify_rows else run()
    if arguments.output:
        arguments.output.write_text(markdown, encoding="utf-8")
        print(f"wrote {arguments.output}")
    else:
        sys.stdout.write(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
