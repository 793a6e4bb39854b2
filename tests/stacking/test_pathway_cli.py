"""``microcred pathway``: compose a pathway from a rules file, list it, follow a learner."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from stacking_support import KEK, LEARNER, SLUG, Stack
from typer.testing import CliRunner

from microcred.cli.main import app


def run(url: str, *args: str) -> tuple[int, str]:
    runner = CliRunner(env={"COLUMNS": "240", "NO_COLOR": "1", "MICROCRED_KEK": _kek()})
    result = runner.invoke(app, ["--db", url, *args])
    return result.exit_code, result.output


def _kek() -> str:
    return base64.b64encode(KEK).decode()


def test_pathway_from_a_rules_file_is_stored_listed_and_followed(
    stack: Stack, tmp_path: Path
) -> None:
    url = str(stack.catalogue.db.url.render_as_string(hide_password=False))
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "kind: all_of\nitems:\n"
        f"  - {{kind: component, specification_id: {stack.part_one}}}\n"
        f"  - {{kind: component, specification_id: {stack.part_two}}}\n"
    )
    code, output = run(
        url, "pathway", "create", str(rules), "--institution", SLUG, "--title",
        "Certificate in data science", "--target", stack.stacked, "--by", "designer",
    )  # fmt: skip
    assert code == 0, output
    assert "Certificate in data science" in output and "eu: ok" in output

    code, output = run(url, "pathway", "list", "--json")
    assert [p["title"]["en"] for p in json.loads(output)] == ["Certificate in data science"]

    stack.award(stack.part_one)
    code, output = run(url, "pathway", "progress", LEARNER)
    assert code == 0, output
    assert "Certificate in data science: open" in output
    assert "missing: «Data visualisation»" in output


def test_bad_rules_are_refused_with_each_problem_and_nothing_stored(
    stack: Stack, tmp_path: Path
) -> None:
    url = str(stack.catalogue.db.url.render_as_string(hide_password=False))
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "kind": "n_of",
                "n": 3,
                "items": [{"kind": "component", "specification_id": "no-such-spec"}],
            }
        )
    )
    code, output = run(
        url, "pathway", "create", str(rules), "--institution", SLUG, "--title", "T",
        "--target", stack.stacked, "--by", "designer",
    )  # fmt: skip
    assert code == 2
    assert "no specification has the id 'no-such-spec'" in output
    assert "n is 3 but there are only 1 items" in output
    assert stack.pathways.list() == []
