"""Inputs that are not a readable report: one `FILE:LINE: expected ...` line, never a crash."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
)


def report_error(api, path: Path, min_line: int = 1) -> tuple[Any, int]:
    """Parse ``path``: it must raise ReportError with one line ``{path}:{line}: expected ...``."""
    with pytest.raises(api.ReportError) as caught:
        api.parse_file(path)
    err = caught.value
    message = str(err)
    assert "\n" not in message and "\r" not in message, f"not one line: {message!r}"
    match = re.match(rf"{re.escape(str(path))}:(\d+): (.*)", message)
    assert match, f"{message!r} does not start with '{path}:LINE: '"
    line = int(match.group(1))
    assert line >= min_line, f"line {line} < {min_line} in {message!r}"
    assert "expected" in match.group(2), message
    return err, line


def line_count(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line equal to ``needle``."""
    hits = [i + 1 for i, line in enumerate(text.split("\n")) if line.rstrip("\r") == needle]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def write(tmp_path: Path, data: bytes, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------------------
# Not a report at all


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"   \n\n\t\n  ", id="whitespace"),
        pytest.param(b"\n\n\n", id="newlines"),
        pytest.param("\ufeff".encode(), id="bom-only"),
        pytest.param(PNG_HEADER, id="png-header"),
        pytest.param(b"\x00" * 64, id="nul-bytes"),
        pytest.param(b"Reporting period\x00\x00\x00\x01\x02", id="text-with-nul"),
    ],
)
def test_not_a_report(data: bytes, api, tmp_path: Path) -> None:
    path = write(tmp_path, data)
    # an empty or binary file may be reported at line 0 or 1, never beyond its end
    _, line = report_error(api, path, min_line=0)
    assert line <= line_count(data) + 1


def test_markdown_readme(shared_dir: Path, api, tmp_path: Path) -> None:
    data = (shared_dir / "corpus" / "README.md").read_bytes()
    path = write(tmp_path, data, "README.md")
    _, line = report_error(api, path)
    assert line <= line_count(data) + 1


def test_directory_is_not_a_report(api, tmp_path: Path) -> None:
    """A path that cannot be read as a file is a ReportError too (or an OSError), not a crash."""
    with pytest.raises((api.ReportError, OSError)):
        api.parse_file(tmp_path)


# --------------------------------------------------------------------------------------------------
# Bytes that are not UTF-8: the error names the line with the bad byte


def bad_byte_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    raise AssertionError("the data is valid UTF-8")


def test_one_latin1_byte_in_a_region_line(mining_text: str, api, tmp_path: Path) -> None:
    data = mining_text.encode("utf-8").replace("Västerbotten".encode(), b"V\xe4sterbotten")
    path = write(tmp_path, data)
    _, line = report_error(api, path)
    assert line == bad_byte_line(data) == line_of(mining_text, "Västerbotten (SE) SE331")


def test_whole_file_in_latin1(mining_text: str, api, tmp_path: Path) -> None:
    data = mining_text.encode("latin-1", errors="replace")
    path = write(tmp_path, data)
    _, line = report_error(api, path)
    assert line == bad_byte_line(data)


def test_latin1_byte_on_the_first_line(api, tmp_path: Path, mining_text: str) -> None:
    data = b"Caf\xe9\n" + mining_text.encode("utf-8")
    _, line = report_error(api, write(tmp_path, data))
    assert line == 1


# --------------------------------------------------------------------------------------------------
# Truncated reports


def cut_after(text: str, last_kept: str) -> str:
    """The text up to and including the line starting with ``last_kept``."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(last_kept):
            return "\n".join(lines[: i + 1]) + "\n"
    raise AssertionError(f"no line starts with {last_kept!r}")


@pytest.mark.parametrize(
    ("last_kept", "section_label"),
    [
        pytest.param("Goal 9. ", "Please indicate to which Sustainable", id="in-sdg-matrix"),
        pytest.param("Goal 16. ", "Please indicate to which Sustainable", id="before-goal-17"),
        pytest.param("\tStrongly agree", "Please indicate to which Sustainable", id="sdg-header"),
        pytest.param(
            "Stereia Ellada (GR) EL24",
            "*** Please provide the list of participating",
            id="after-participating-regions",
        ),
        pytest.param(
            "Your Partnership and the UN 2030",
            "Your Partnership and the UN 2030",
            id="before-sdg-question",
        ),
    ],
)
def test_truncated_report(
    last_kept: str, section_label: str, mining_text: str, api, tmp_path: Path
) -> None:
    text = cut_after(mining_text, last_kept)
    data = text.encode("utf-8")
    _, line = report_error(api, write(tmp_path, data))
    label_line = next(i + 1 for i, s in enumerate(text.split("\n")) if s.startswith(section_label))
    # at the unfinished section or at the end of the file, not before and not beyond
    assert label_line <= line <= line_count(data) + 1


def test_truncated_mid_line_in_sdg_matrix(mining_text: str, api, tmp_path: Path) -> None:
    text = cut_after(mining_text, "Goal 12. ")
    text = text[: text.rindex("<input")]  # the row stops inside its cells
    _, line = report_error(api, write(tmp_path, text.encode("utf-8")))
    assert line >= line_of(
        mining_text,
        "Please indicate to which Sustainable Development Goals "
        "and to what extent your thematic Partnership contributes?",
    )


# --------------------------------------------------------------------------------------------------
# Reporting periods the parser cannot read


@pytest.mark.parametrize("period", ["Sometime in 2021", "2020", "July - December"])
def test_unreadable_period(period: str, mining_text: str, api, tmp_path: Path) -> None:
    text = mining_text.replace("\nJanuary - June 2020\n", f"\n{period}\n", 1)
    assert text != mining_text
    path = write(tmp_path, text.encode("utf-8"))
    err, line = report_error(api, path)
    assert line == line_of(text, period)
    assert period in str(err), str(err)


def test_unreadable_period_with_crlf_and_bom(mining_text: str, api, tmp_path: Path) -> None:
    text = mining_text.replace("\nJanuary - June 2020\n", "\nSometime in 2021\n", 1)
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    _, line = report_error(api, write(tmp_path, data))
    assert line == line_of(text, "Sometime in 2021")


def test_parse_text_errors_name_the_source(mining_text: str, api) -> None:
    text = mining_text.replace("\nJanuary - June 2020\n", "\nSometime in 2021\n", 1)
    with pytest.raises(api.ReportError) as caught:
        api.parse_text(text, name="reports/mining.txt")
    message = str(caught.value)
    assert message.startswith(f"reports/mining.txt:{line_of(text, 'Sometime in 2021')}: expected")


def test_error_attributes_match_the_message(mining_text: str, api, tmp_path: Path) -> None:
    text = mining_text.replace("\nJanuary - June 2020\n", "\n2020\n", 1)
    path = write(tmp_path, text.encode("utf-8"))
    err, line = report_error(api, path)
    assert (err.path, err.line) == (str(path), line)


def test_a_report_error_survives_pickling() -> None:
    """Errors cross from the ingest's worker processes intact."""
    import pickle

    from s3graph.errors import ReportError

    error = ReportError("a.txt", 12, "a reporting period", "Sometime")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ReportError
    assert (copy.path, copy.line, copy.expected, copy.found) == (
        "a.txt",
        12,
        "a reporting period",
        "Sometime",
    )
    assert str(copy) == str(error)
