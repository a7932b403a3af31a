"""``s3graph validate`` and validation during ``s3graph ingest``, end to end with the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from s3graph.cli import examples_dir, main

FIELDS = {"file", "line", "rule", "severity", "focus", "path", "value", "message", "suggestion"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def nuts(shared_dir: Path) -> str:
    return str(shared_dir / "reference")


def test_json_lists_located_problems_and_exits_1_on_violations(
    shared_dir: Path, nuts: str, tmp_path: Path
) -> None:
    corpus = shared_dir / "corpus"
    code, out, _ = run(
        "--store", str(tmp_path / "s"), "validate", "--nuts", nuts, "--format", "json", str(corpus)
    )
    assert code == 1  # the corpus breaks the form (a mandatory answer left empty, ...)
    problems = json.loads(out)
    assert problems and all(set(p) == FIELDS for p in problems)
    textile = [p for p in problems if "textile" in p["file"] and p["rule"] == "missing-mandatory"]
    assert len(textile) == 1 and textile[0]["severity"] == "Violation"
    lines = (corpus / Path(textile[0]["file"]).name).read_text("utf-8").splitlines()
    # The problem points at the empty start date: the line is the question's or its answer's.
    assert "Start date of your partnership" in "\n".join(
        lines[textile[0]["line"] - 2 : textile[0]["line"]]
    )
    assert not (tmp_path / "s").exists(), "validate stores nothing"


def test_text_groups_problems_by_file(shared_dir: Path, nuts: str) -> None:
    code, out, _ = run(
        "validate", "--nuts", nuts, str(shared_dir / "corpus" / "mining-industry-2020-h1.txt")
    )
    assert code == 0  # warnings only: the real report breaks no rule of the form
    assert out.splitlines()[0].endswith("mining-industry-2020-h1.txt:")
    assert any("nuts-obsolete" in line and "EL64" in line for line in out.splitlines())


def test_ttl_is_a_shacl_validation_report_without_blank_nodes(shared_dir: Path, nuts: str) -> None:
    path = shared_dir / "corpus" / "advanced-materials-for-batteries-2020-h2.txt"
    code, out, _ = run("validate", "--nuts", nuts, "--format", "ttl", str(path))
    assert code == 1
    graph = Graph().parse(data=out, format="turtle")
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1 and isinstance(reports[0], URIRef)
    assert all(not isinstance(t, BNode) for triple in graph for t in triple)
    severities = {graph.value(r, SH.resultSeverity) for r in graph.objects(reports[0], SH.result)}
    assert SH.Violation in severities


def test_the_bundled_examples_are_clean() -> None:
    code, out, _ = run("validate", str(examples_dir()))
    assert code == 0, out


def test_ingest_stores_the_results_and_strict_refuses(
    shared_dir: Path, nuts: str, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    corpus = str(shared_dir / "corpus")
    code, _, err = run("--store", store, "ingest", "--strict", "--nuts", nuts, corpus)
    assert code == 1 and "nothing was stored" in err
    assert not Path(store).exists() or run("--store", store, "stats")[1].startswith("quads: 0")
    code, out, err = run("--store", store, "ingest", "--nuts", nuts, corpus)
    assert code == 0, err
    assert "validation:" in out and "violations" in out
    code, out, _ = run("--store", store, "query", "data-quality", "--format", "json")
    rows = json.loads(out)["results"]["bindings"]
    rules = {row["rule"]["value"] for row in rows}
    assert {
        "missing-mandatory",
        "sdg-multiple",
        "sdg-none",
        "too-many-rows",
        "nuts-obsolete",
    } <= rules
    code, out, _ = run(
        "--store", store, "query", "data-quality", "--param", "rule=typo", "--format", "json"
    )
    assert {row["rule"]["value"] for row in json.loads(out)["results"]["bindings"]} == {"typo"}
