"""One report per file, each question once (issue 12).

``cat a.txt b.txt`` used to parse as one report, the second one's text becoming a hundred
warnings; a file of one report repeated a thousand times was ingested. Both are now refused with
one ``FILE:LINE:`` line that says where the file stops being one report.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_cli import _runner

from s3graph.cli import main
from s3graph.errors import ReportError
from s3graph.parse import parse_file

MINING = "mining-industry-2020-h1.txt"
CYBER = "cybersecurity-2021-h1.txt"
SECOND = "expected one report per file, found a second report header"


@pytest.fixture
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


def _line_of(path: Path, text: str, after: int = 0) -> int:
    """The 1-based number of the first line at or after ``after`` that is ``text`` (stripped)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next(k + 1 for k in range(after, len(lines)) if lines[k].strip() == text)


def _concatenated(corpus: Path, tmp_path: Path, first: str, second: str) -> Path:
    path = tmp_path / "two.txt"
    path.write_bytes((corpus / first).read_bytes() + (corpus / second).read_bytes())
    return path


def test_cat_of_two_reports_is_exit_2_naming_the_second_header(
    corpus: Path, tmp_path: Path
) -> None:
    path = _concatenated(corpus, tmp_path, CYBER, MINING)
    first_lines = len((corpus / CYBER).read_text(encoding="utf-8").splitlines())
    heading = "Thematic Smart Specialisation Platforms Monitoring Progress Report"
    line = _line_of(path, heading, after=first_lines)
    result = _runner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"{path}:{line}: {SECOND} (split it into one file per report, or read it with --split)"
    ]


def test_second_header_found_whichever_report_comes_first(corpus: Path, tmp_path: Path) -> None:
    """The real report has no final newline: its last line runs into the next file's first."""
    path = _concatenated(corpus, tmp_path, MINING, CYBER)
    with pytest.raises(ReportError) as caught:
        parse_file(path)
    assert SECOND in str(caught.value)
    assert caught.value.line > len((corpus / MINING).read_text(encoding="utf-8").splitlines())


def test_a_repeated_question_names_both_lines(corpus: Path, tmp_path: Path) -> None:
    label = "*** Start date of your partnership**"
    lines = (corpus / CYBER).read_text(encoding="utf-8").splitlines()
    first = lines.index(label) + 1
    summary = next(k for k, ln in enumerate(lines) if "the executive summary" in ln)
    lines[summary + 3 : summary + 3] = [label, "", "2019", ""]  # inside the executive summary
    path = tmp_path / "repeated.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    again = _line_of(path, label, after=first)
    with pytest.raises(ReportError) as caught:
        parse_file(path)
    assert str(caught.value) == (
        f'{path}:{again}: expected the question "Start date of your partnership" once, '
        f"found it again (first at line {first})"
    )


def test_page_break_headings_are_not_a_second_report(corpus: Path) -> None:
    """The corpus repeats the form's heading at page breaks and table headers: still one report."""
    for name in ("advanced-materials-for-batteries-2020-h2.txt", "high-tech-farming-2021-h1.txt"):
        assert parse_file(corpus / name).partnership


# --------------------------------------------------------------------------------------------------
# Files over the size limit are refused before parsing


def _big(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "big.txt"
    with path.open("wb") as out:
        out.write(b"x\n" * (size // 2))
    return path


@pytest.mark.parametrize("command", ["parse", "validate", "ingest"])
def test_max_bytes_refuses_a_larger_file_in_one_line(
    command: str, corpus: Path, tmp_path: Path
) -> None:
    """The real report is 15 KB: refused under --max-bytes 4096, naming the line at the limit."""
    report = corpus / MINING
    line = report.read_bytes()[:4096].count(b"\n") + 1
    store = tmp_path / "store"
    args = ["--store", str(store), command, str(report), "--max-bytes", "4096"]
    result = _runner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"{report}:{line}: expected a report of at most 4 KB (a real report is 30-60 KB; "
        'see --max-bytes), found "a file of more than 4 KB"'
    ]


def test_the_default_limit_is_two_megabytes(tmp_path: Path) -> None:
    at_limit = _big(tmp_path, 2 * 1024 * 1024)
    with pytest.raises(ReportError) as under:  # read in full: not a report, but not too big
        parse_file(at_limit)
    assert "at most" not in str(under.value)
    with at_limit.open("ab") as out:
        out.write(b"y")
    with pytest.raises(ReportError) as over:
        parse_file(at_limit)
    assert str(over.value).startswith(f"{at_limit}:1048577: expected a report of at most 2 MB")


def test_an_oversized_file_is_refused_fast_having_read_only_the_limit(tmp_path: Path) -> None:
    """200 MB refused in well under 2 s: only the limit and one byte are read, nothing parsed."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    start = time.perf_counter()
    with pytest.raises(ReportError) as caught:
        parse_file(path, max_bytes=1024 * 1024)
    assert time.perf_counter() - start < 2
    assert "at most 1 MB" in str(caught.value)


def test_a_larger_limit_accepts_the_file(corpus: Path) -> None:
    report = corpus / MINING
    size = report.stat().st_size
    assert parse_file(report, max_bytes=size).partnership
    with pytest.raises(ReportError):
        parse_file(report, max_bytes=size - 1)
