"""``microcred spec check``: the compliance report for a file, with exit codes scripts can use."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from microcred.formats.elm.sample import COMMISSION_SAMPLE

Invoke = Callable[..., Result]

SAMPLE = str(COMMISSION_SAMPLE)


def test_compliant_specification_exits_0_and_shows_each_profile(
    invoke: Invoke, compliant_file: Path
) -> None:
    result = invoke("spec", "check", str(compliant_file))
    assert result.exit_code == 0, result.output
    assert "Data Literacy for Public Administration" in result.stdout
    assert "Council Recommendation" in result.stdout
    assert "E-SLP" in result.stdout
    assert "MICROBOL" in result.stdout


def test_commission_sample_exits_1_and_reports_its_real_gaps(invoke: Invoke) -> None:
    result = invoke("spec", "check", SAMPLE)
    assert result.exit_code == 1, result.output
    assert "Digital micro-credential creation" in result.stdout
    assert "MC-M11" in result.stdout  # the sample names no type of quality assurance
    assert "not compliant" in result.stdout


# What the Commission's sample lacks under the Council Recommendation. Error: no type of quality
# assurance (Annex I, element 11). Warnings: a learning outcome worded as a topic ("Communication,
# collaboration and creativity"), QA not documented, no relevance statement or review date, no
# assessment criteria, no recognition information, no target group or guidance contact.
SAMPLE_EU_GAPS = {
    "error": {"MC-M11"},
    "warning": {"MC-M06", "MC-P01", "MC-P03", "MC-P04", "MC-P05", "MC-P08"},
}


@pytest.mark.parametrize("severity", ["error", "warning"])
def test_commission_sample_gaps_under_the_recommendation_are_exactly_its_real_ones(
    invoke: Invoke, severity: str
) -> None:
    result = invoke("spec", "check", "--json", SAMPLE)
    report = json.loads(result.stdout)
    found = {
        issue["rule"]
        for rule in report["results"]
        if rule["profile"] == "eu"
        for issue in rule["issues"]
        if issue["severity"] == severity
    }
    assert found == SAMPLE_EU_GAPS[severity]


def test_json_report_parses_and_carries_the_verdicts(invoke: Invoke, compliant_file: Path) -> None:
    result = invoke("spec", "check", "--json", str(compliant_file))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    verdicts = {verdict["profile"]: verdict for verdict in report["verdicts"]}
    assert set(verdicts) == {"eu", "eslp", "microbol"}
    assert verdicts["eu"]["compliant"] is True
    assert all(result["rule"] for result in report["results"])


def test_json_report_of_the_sample_is_not_compliant(invoke: Invoke) -> None:
    result = invoke("spec", "check", "--json", SAMPLE)
    assert result.exit_code == 1
    verdicts = {v["profile"]: v for v in json.loads(result.stdout)["verdicts"]}
    assert verdicts["eu"]["compliant"] is False
    assert verdicts["eu"]["errors"] >= 1


def test_malformed_specification_exits_2_naming_element_rule_and_message(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"title": {"en": "Five"}, "workload": {"ects": "five"}}), encoding="utf-8"
    )
    result = invoke("spec", "check", str(path))
    assert result.exit_code == 2
    assert "workload.ects" in result.stderr
    assert "MC-M07" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("broken.json", '{"title": {"en": "Unclosed"', "not valid JSON (Expecting"),
        ("broken.yaml", "title: {en: [unclosed\n", "not valid YAML"),
        ("list.yaml", "- one\n- two\n", "expected a JSON or YAML object"),
        ("latin1.json", "tïtle".encode("latin-1"), "not a UTF-8 text file"),
        ("nowhere.yaml", None, "nowhere.yaml: No such file"),
    ],
)
def test_unreadable_file_exits_2_with_one_line_saying_why(
    invoke: Invoke, tmp_path: Path, name: str, content: str | bytes | None, says: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = invoke("spec", "check", str(path))
    assert result.exit_code == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_elm_credential_with_an_unreadable_value_exits_2_naming_its_path(
    invoke: Invoke, tmp_path: Path
) -> None:
    document = json.loads(Path(SAMPLE).read_text(encoding="utf-8"))
    document["credentialSubject"]["hasClaim"]["specifiedBy"]["creditPoint"]["point"] = "two"
    path = tmp_path / "credential.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = invoke("spec", "check", str(path))
    assert result.exit_code == 2
    assert "credentialSubject.hasClaim.specifiedBy.creditPoint.point" in result.stderr
    assert "expected a number" in result.stderr
