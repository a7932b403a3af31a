"""The ontology is in the OWL 2 DL profile and consistent, as tools we did not write judge it.

The OWL API's ``OWL2DLProfile`` checks the profile (every reused class and property must be
declared, no illegal punning, ...) and the HermiT reasoner the consistency, both run by
``tests/owl_check.py`` in a child process (they need ``java``). HermiT also checks the graphs the
mapping makes of two reports against the ontology (functional properties, datatype ranges). The
same checks are run on broken copies, so that a check that passes on anything would fail here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from reports_fixture import mining_report, small_report

from s3graph.mapping import to_graph
from s3graph.namespaces import S3G, XSD

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "s3graph.ttl"
CHECK = Path(__file__).resolve().parent / "owl_check.py"

#: A declaration the ontology needs (skos:Concept is the range of s3g:rating, among others).
DECLARATION = "skos:Concept a owl:Class .\n"
#: A statement that contradicts the ontology: s3g:byteSize takes non-negative integers only.
CONTRADICTION = '\ns3g:leading s3g:byteSize "-1"^^xsd:integer .\n'
#: When the mapped reports were ingested (any time will do).
INGESTED = datetime(2024, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.slow


def run_check(files: list[Path]) -> list[dict[str, Any]]:
    if shutil.which("java") is None:
        pytest.fail("java is not installed (.ci/run installs default-jre-headless)")
    done = subprocess.run(
        [sys.executable, str(CHECK), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The real ontology and two broken copies, checked in one JVM."""
    folder = tmp_path_factory.mktemp("owl")
    text = ONTOLOGY.read_text(encoding="utf-8")
    assert text.count(DECLARATION) == 1
    undeclared = folder / "undeclared.ttl"
    undeclared.write_text(text.replace(DECLARATION, ""), encoding="utf-8")
    inconsistent = folder / "inconsistent.ttl"
    inconsistent.write_text(text + CONTRADICTION, encoding="utf-8")
    mapped = Graph().parse(ONTOLOGY, format="turtle")
    for report in (small_report(), mining_report()):
        mapped += to_graph(report, ingested_at=INGESTED)
    data = folder / "data.ttl"
    mapped.serialize(data, format="turtle")
    source = next(mapped.subjects(S3G.byteSize, None))
    mapped.add((source, S3G.byteSize, Literal(1, datatype=XSD.nonNegativeInteger)))
    data_broken = folder / "data-broken.ttl"
    mapped.serialize(data_broken, format="turtle")
    files = {
        "ontology": ONTOLOGY, "undeclared": undeclared, "inconsistent": inconsistent,
        "data": data, "data-broken": data_broken,
    }  # fmt: skip
    checked = run_check([ONTOLOGY, undeclared, inconsistent, Path("--data"), data, data_broken])
    assert len(checked) == len(files)
    return dict(zip(files, checked, strict=True))


def test_the_ontology_is_in_the_owl2_dl_profile(results: dict[str, dict[str, Any]]) -> None:
    violations = results["ontology"]["violations"]
    assert violations == [], "\n".join(v["text"][:200] for v in violations)


def test_the_ontology_is_consistent(results: dict[str, dict[str, Any]]) -> None:
    assert results["ontology"]["consistent"] is True


def test_an_undeclared_reused_class_breaks_the_profile(results: dict[str, dict[str, Any]]) -> None:
    violations = results["undeclared"]["violations"]
    kinds = {v["kind"] for v in violations}
    assert kinds == {"UseOfUndeclaredClass"}
    assert all("<http://www.w3.org/2004/02/skos/core#Concept>" in v["text"] for v in violations)


def test_a_contradiction_is_found_inconsistent(results: dict[str, dict[str, Any]]) -> None:
    assert results["inconsistent"]["violations"] == []
    assert results["inconsistent"]["consistent"] is False


def test_the_mapped_reports_are_consistent_with_the_ontology(
    results: dict[str, dict[str, Any]],
) -> None:
    assert results["data"]["consistent"] is True


def test_a_second_size_of_one_file_is_found_inconsistent(
    results: dict[str, dict[str, Any]],
) -> None:
    """s3g:byteSize is functional: one source file cannot have two sizes."""
    assert results["data-broken"]["consistent"] is False
