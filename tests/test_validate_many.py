"""``s3graph validate`` on several files, one of them bad: every good file is reported, then
the bad one's ``FILE:LINE:`` line, and the run ends with exit status 2 (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from s3graph.cli import main

GOOD = ("cybersecurity-2021-h1.txt", "mining-industry-2020-h1.txt")


def run(store: Path, *args: str | Path) -> Result:
    runner = CliRunner(env={"S3GRAPH_STORE": None, "S3GRAPH_BASE": None})
    return runner.invoke(main, ["--store", str(store), *map(str, args)])


@pytest.fixture
def folder(shared_dir: Path, tmp_path: Path) -> Path:
    """Two good reports and, between them in name order, a truncated one."""
    folder = tmp_path / "reports"
    folder.mkdir()
    corpus = shared_dir / "corpus"
    for name in GOOD:
        (folder / name).write_bytes((corpus / name).read_bytes())
    (folder / "high-tech-farming-2021-h1.txt").write_bytes(
        (corpus / "high-tech-farming-2021-h1.txt").read_bytes()[:6000]
    )
    return folder


@pytest.fixture
def nuts(shared_dir: Path) -> Path:
    return shared_dir / "reference"


def _alone(tmp_path: Path, nuts: Path, folder: Path, fmt: str) -> list[str]:
    """What validate says of each good file on its own."""
    outputs = []
    for name in GOOD:
        result = run(tmp_path / "s", "validate", "--nuts", nuts, "--format", fmt, folder / name)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    return outputs


def test_text_reports_every_good_file_then_the_bad_one(
    folder: Path, nuts: Path, tmp_path: Path
) -> None:
    result = run(tmp_path / "s", "validate", "--nuts", nuts, folder)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == "".join(_alone(tmp_path, nuts, folder, "text"))
    bad = folder / "high-tech-farming-2021-h1.txt"
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith(f"{bad}:") and "the report ends early (truncated?)" in error
    assert int(error.split(":")[1]) > 1


def test_json_lists_the_good_files_problems(folder: Path, nuts: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "s", "validate", "--nuts", nuts, "--format", "json", folder)
    assert result.exit_code == 2
    alone = [p for out in _alone(tmp_path, nuts, folder, "json") for p in json.loads(out)]
    assert json.loads(result.stdout) == alone
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_among_others_is_said_in_its_place(
    folder: Path, nuts: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.txt"
    good = folder / GOOD[1]
    result = run(tmp_path / "s", "validate", "--nuts", nuts, missing, good)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{missing}: no such file or directory"
    assert result.stdout.splitlines()[0] == f"{good}:"


def test_only_bad_files_print_no_all_clear(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("\n", encoding="utf-8")
    result = run(tmp_path / "s", "validate", bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"{bad}:1: expected a Monitoring Progress Report (EU Survey text export), "
        'found "an empty file"'
    ]


def test_violations_and_a_bad_file_exit_2(folder: Path, shared_dir: Path, tmp_path: Path) -> None:
    """A Violation alone is exit 1; with a file that is no report, bad input wins: exit 2."""
    textile = shared_dir / "corpus" / "smart-regional-investment-in-textile-innovation-2020-h1.txt"
    assert run(tmp_path / "s", "validate", textile).exit_code == 1
    result = run(tmp_path / "s", "validate", textile, folder)
    assert result.exit_code == 2
    assert "Violation" in result.stdout
