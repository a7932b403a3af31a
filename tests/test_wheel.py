"""The built wheel carries the declarative folders inside the package (smoke test of packaging)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

REQUIRED = (
    "s3graph/__init__.py",
    "s3graph/py.typed",
    "s3graph/ontology/s3graph.ttl",
    "s3graph/queries/partnerships.rq",
    "s3graph/shapes/*.ttl",
    "s3graph/examples/*.txt",
    "s3graph/examples/README.md",
    "s3graph/examples/SHA256SUMS",
    "s3graph/vocab/nuts-snapshot.json.gz",
    "s3graph/vocab/nuts-snapshot-NOTICE.txt",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")  # the backend is here: no download needed
    done = subprocess.run(
        [*command, str(REPO_ROOT)], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("s3graph-*.whl")
    return built


@pytest.mark.slow
@pytest.mark.parametrize("pattern", REQUIRED)
def test_wheel_contains(wheel: Path, pattern: str) -> None:
    names = zipfile.ZipFile(wheel).namelist()

    assert any(fnmatch(name, pattern) for name in names), f"{pattern} not in {wheel.name}"


@pytest.mark.slow
def test_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [
            n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")
        ]
        text = archive.read(entry_points).decode()

    assert "s3graph = s3graph.cli:main" in text
