"""Limits that keep every text a report gives within what RDF tools take (issue 12).

Each text of a report becomes one RDF literal; Oxigraph's parser refuses a line of more than
16 MiB, which is where ``s3graph export`` once died with an internal error (a 16 MB answer). So a
line is at most 1 MiB of characters, an answer at most 2 MiB, a file at most 8 MiB whatever
``--max-bytes`` says; and a report at those limits, in the characters that escape the longest,
goes through ingest and export.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from s3graph.cli import main
from s3graph.parse.report import MAX_ANSWER_CHARS, MAX_LINE_CHARS

SUMMARY = "Please provide the executive summary"


def _with_answer(report: Path, lines: list[str], out: Path) -> Path:
    """``report`` with ``lines`` as the answer to the executive summary question."""
    text = report.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(text) if SUMMARY in line) + 2
    out.write_text("\n".join([*text[:at], *lines, *text[at:]]), encoding="utf-8")
    return out


@pytest.fixture
def report(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "mining-industry-2020-h1.txt"


def test_a_line_over_the_limit_is_refused_naming_it(report: Path, tmp_path: Path) -> None:
    path = _with_answer(report, ["x" * (MAX_LINE_CHARS + 1)], tmp_path / "long.txt")
    result = CliRunner().invoke(main, ["parse", "--max-bytes", "3000000", str(path)])
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if t.startswith("xxx"))
    assert f"{path}:{line}: expected a line of at most 1,048,576 characters" in result.output


def test_an_answer_over_the_limit_is_refused(report: Path, tmp_path: Path) -> None:
    lines = ["y" * MAX_LINE_CHARS, "", "y" * MAX_LINE_CHARS, "", "y" * 10]
    path = _with_answer(report, lines, tmp_path / "long.txt")
    result = CliRunner().invoke(main, ["parse", "--max-bytes", "3000000", str(path)])
    assert result.exit_code == 2
    assert "expected an answer of at most 2,097,152 characters" in result.output


def test_max_bytes_has_a_ceiling(report: Path) -> None:
    result = CliRunner().invoke(main, ["parse", "--max-bytes", "30000000", str(report)])
    assert result.exit_code == 2
    assert "not in the range 1<=x<=8388608" in result.output


@pytest.mark.slow
def test_a_report_at_the_limits_goes_through_ingest_and_export(
    report: Path, tmp_path: Path
) -> None:
    # Control characters escape to six characters each (\\u0001): the longest literal there is.
    half = MAX_ANSWER_CHARS // 2 - 10_000  # the answer has its own text too
    path = _with_answer(report, ["\x01" * half, "", "\x01" * half], tmp_path / "limits.txt")
    store = ["--store", str(tmp_path / "store")]
    ingested = CliRunner().invoke(main, [*store, "ingest", "--max-bytes", "3000000", str(path)])
    assert ingested.exit_code == 0, ingested.output
    exported = CliRunner().invoke(main, [*store, "export", "--out", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "out" / "s3graph.nq").stat().st_size > 10 * half
