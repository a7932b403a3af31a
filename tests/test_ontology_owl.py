"""The ontology is in the OWL 2 DL profile and consistent, as tools we did not write judge it.

The OWL API's ``OWL2DLProfile`` checks the profile (every reused class and property must be
declared, no illegal punning, ...) and the HermiT reasoner the consistency, both run by
``tests/owl_check.py`` in a child process (they need ``java``). The same check is run on broken
copies of the ontology, so that a check that passes on anything would fail here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "s3graph.ttl"
CHECK = Path(__file__).resolve().parent / "owl_check.py"

#: A declaration the ontology needs (skos:Concept is the range of s3g:rating, among others).
DECLARATION = "skos:Concept a owl:Class .\n"
#: A statement that contradicts the ontology: s3g:byteSize takes non-negative integers only.
CONTRADICTION = '\ns3g:leading s3g:byteSize "-1"^^xsd:integer .\n'

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
    files = {"ontology": ONTOLOGY, "undeclared": undeclared, "inconsistent": inconsistent}
    checked = run_check(list(files.values()))
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
