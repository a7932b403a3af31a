"""``--split``: a file of several reports (``cat a.txt b.txt``) read as several reports (issue 12).

Each part keeps the file's line numbers (warnings, errors, ``s3g:sourceLine``), is its own
report (its own graph IRI) and is described as ``FILE:FIRST-LAST``. Without ``--split`` the
second header stays an error naming its line (tests/test_parse_one_report.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef

from s3graph.cli import main
from s3graph.errors import ReportError
from s3graph.namespaces import S3G
from s3graph.parse import parse_file
from s3graph.parse.split import parse_reports, read_reports

CYBER = "cybersecurity-2021-h1.txt"
MINING = "mining-industry-2020-h1.txt"
FARMING = "high-tech-farming-2021-h1.txt"


def run(store: Path, *args: str | Path) -> Result:
    runner = CliRunner(env={"S3GRAPH_STORE": None, "S3GRAPH_BASE": None})
    return runner.invoke(main, ["--store", str(store), *map(str, args)])


@pytest.fixture
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


def _cat(corpus: Path, folder: Path, *names: str, cut: int | None = None) -> Path:
    """The files ``names`` of the corpus end to end; ``cut`` truncates the second one."""
    path = folder / "several.txt"
    parts = [(corpus / n).read_bytes() for n in names]
    if cut is not None:
        parts[1] = parts[1][:cut]
    path.write_bytes(b"".join(parts))
    return path


def _lines(path: Path) -> int:
    return len(path.read_bytes().splitlines())


def test_each_part_is_the_report_its_file_gives_with_the_lines_moved(
    corpus: Path, tmp_path: Path
) -> None:
    path = _cat(corpus, tmp_path, CYBER, MINING, CYBER)
    reports = parse_reports(path)
    alone = [parse_file(corpus / n) for n in (CYBER, MINING, CYBER)]
    assert [r.partnership for r in reports] == [r.partnership for r in alone]
    offset = 0
    for report, own, name in zip(reports, alone, (CYBER, MINING, CYBER), strict=True):
        moved = [a.line + offset for a in own.answers]
        assert [a.line for a in report.answers] == moved
        assert [r.line for r in report.participating_regions] == [
            r.line + offset for r in own.participating_regions
        ]
        assert len(report.warnings) == len(own.warnings)
        offset += _lines(corpus / name) - (name == MINING)  # MINING has no final newline


def test_a_part_is_described_as_the_file_and_its_line_range(corpus: Path, tmp_path: Path) -> None:
    path = _cat(corpus, tmp_path, CYBER, MINING)
    first, second = read_reports(path)
    n = _lines(corpus / CYBER)
    assert (first.first_line, first.last_line) == (1, n)
    assert first.source.name == f"{path}:1-{n}"
    # cut at the start of the file it came from: the bytes, and so the checksum, are that file's
    own = (corpus / CYBER).read_bytes()
    assert (first.source.sha256, first.source.size) == (hashlib.sha256(own).hexdigest(), len(own))
    assert second.first_line == n + 1
    assert second.source.name == f"{path}:{n + 1}-{_lines(path)}"


def test_a_file_of_one_report_is_described_as_the_file(corpus: Path) -> None:
    (part,) = read_reports(corpus / MINING)
    assert part.source == parse_file(corpus / MINING).source
    assert parse_reports(corpus / MINING) == [parse_file(corpus / MINING)]


def test_a_bad_part_names_the_file_and_its_line_in_the_file(corpus: Path, tmp_path: Path) -> None:
    path = _cat(corpus, tmp_path, CYBER, FARMING, MINING, cut=6000)
    with pytest.raises(ReportError) as caught:
        parse_reports(path)
    assert caught.value.path == str(path)
    truncated = read_reports(path)[1]
    assert truncated.first_line == _lines(corpus / CYBER) + 1
    assert truncated.first_line < caught.value.line <= truncated.last_line


# -- through the command line ---------------------------------------------------------------------


def test_parse_split_prints_one_contract_per_report(corpus: Path, tmp_path: Path) -> None:
    path = _cat(corpus, tmp_path, CYBER, MINING)
    result = run(tmp_path / "store", "parse", "--split", path)
    assert result.exit_code == 0, result.stderr
    contracts = json.loads(result.stdout)
    assert [c["source"]["file"] for c in contracts] == [p.source.name for p in read_reports(path)]
    expected = json.loads(run(tmp_path / "store", "parse", corpus / MINING).stdout)
    assert contracts[1]["partnership"] == expected["partnership"]


def test_parse_split_ttl_gives_each_report_its_graph_and_real_lines(
    corpus: Path, tmp_path: Path
) -> None:
    path = _cat(corpus, tmp_path, CYBER, MINING)
    result = run(tmp_path / "store", "parse", "--split", "--format", "ttl", path)
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    reports = set(graph.subjects(S3G.partnership, None))
    assert {str(r).rsplit("/", 2)[-2] for r in reports} == {"cybersecurity", "mining-industry"}
    lines = {int(o) for o in graph.objects(None, S3G.sourceLine) if isinstance(o, Literal)}
    assert max(lines) > _lines(corpus / CYBER)  # the second report's lines are the file's
    assert all(isinstance(r, URIRef) for r in reports)


def test_validate_split_locates_problems_in_the_whole_file(
    corpus: Path, shared_dir: Path, tmp_path: Path
) -> None:
    nuts = shared_dir / "reference"
    path = _cat(corpus, tmp_path, CYBER, MINING)
    split = run(tmp_path / "store", "validate", "--split", "--nuts", nuts, "--format", "json", path)
    alone = run(tmp_path / "store", "validate", "--nuts", nuts, "--format", "json", corpus / MINING)
    assert split.exit_code == 0 and alone.exit_code == 0, split.stderr
    offset = _lines(corpus / CYBER)
    moved = {(p["rule"], p["line"] + offset) for p in json.loads(alone.stdout) if p["line"]}
    found = {(p["rule"], p["line"]) for p in json.loads(split.stdout)}
    assert moved <= found


def test_validate_split_reports_the_good_parts_and_the_bad_one(
    corpus: Path, shared_dir: Path, tmp_path: Path
) -> None:
    path = _cat(corpus, tmp_path, CYBER, FARMING, MINING, cut=6000)
    result = run(tmp_path / "s", "validate", "--split", "--nuts", shared_dir / "reference", path)
    assert result.exit_code == 2, result.stderr
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith(f"{path}:") and "the report ends early" in error
    lines = [int(ln.split()[1]) for ln in result.stdout.splitlines() if ln.startswith("  ")]
    first_of_mining = _lines(path) - _lines(corpus / MINING) + 1
    assert min(lines) < _lines(corpus / CYBER) and max(lines) >= first_of_mining, result.stdout


def test_without_split_the_second_header_is_still_an_error(corpus: Path, tmp_path: Path) -> None:
    path = _cat(corpus, tmp_path, CYBER, MINING)
    for command in ("parse", "validate"):
        result = run(tmp_path / "store", command, path)
        assert result.exit_code == 2
        assert "found a second report header" in result.stderr


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_line_endings_and_a_bom_keep_the_cut_and_the_numbers(
    corpus: Path, tmp_path: Path, newline: bytes
) -> None:
    cyber, mining = ((corpus / n).read_bytes().replace(b"\n", newline) for n in (CYBER, MINING))
    path = tmp_path / "several.txt"
    path.write_bytes(b"\xef\xbb\xbf" + cyber + mining)
    first, second = read_reports(path)
    assert (first.source.size, second.first_line) == (len(cyber), _lines(corpus / CYBER) + 1)
    offset = _lines(corpus / CYBER)
    alone = parse_file(corpus / MINING)
    assert [a.line for a in parse_reports(path)[1].answers] == [
        a.line + offset for a in alone.answers
    ]


def test_ingest_split_stores_each_report_as_its_own_graph(corpus: Path, tmp_path: Path) -> None:
    path = _cat(corpus, tmp_path, CYBER, MINING)
    store = tmp_path / "store"
    refused = run(store, "ingest", path)
    assert refused.exit_code == 2 and "found a second report header" in refused.stderr
    result = run(store, "ingest", "--split", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("ingested 1 file (2 reports): ")
    listed = run(store, "query", "reports", "--format", "json")
    rows = json.loads(listed.stdout)["results"]["bindings"]
    files = sorted(row["source"]["value"] for row in rows)
    assert files == sorted(Path(p.source.name).name for p in read_reports(path)), files
