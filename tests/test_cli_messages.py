"""What the command line says: each place once, counts in the right number, files named plainly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from s3graph.cli import main

MINING = "mining-industry-2020-h1.txt"


def run(store: Path, *args: str | Path) -> Result:
    runner = CliRunner(env={"S3GRAPH_STORE": None, "S3GRAPH_BASE": None})
    return runner.invoke(main, ["--store", str(store), *map(str, args)])


@pytest.fixture
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture
def nuts(shared_dir: Path) -> Path:
    return shared_dir / "reference"


def test_a_problem_line_names_its_line_once(corpus: Path, nuts: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "store", "ingest", "--nuts", nuts, corpus)
    assert result.exit_code == 0, result.stderr
    _assert_each_line_said_once(result.stderr, r"^.+?:(\d+): ")


def test_the_text_format_names_each_line_once(corpus: Path, nuts: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "store", "validate", "--nuts", nuts, corpus)
    _assert_each_line_said_once(result.stdout, r"^\s+line (\d+)\s")


def _assert_each_line_said_once(output: str, located: str) -> None:
    """Every output line that ``located`` finds a line number in does not repeat it."""
    found = [(m, ln) for ln in output.splitlines() if (m := re.match(located, ln))]
    assert found, output
    for match, line in found:
        assert f"line {match.group(1)}:" not in line, line


def test_counts_take_the_right_number(corpus: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    (one / MINING).write_bytes((corpus / MINING).read_bytes())
    result = run(tmp_path / "store", "ingest", one)
    assert result.exit_code == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("ingested 1 file: "), summary
    for count, noun in re.findall(r"(\d+) ([a-z]+(?: [a-z]+)?)", summary):
        if count == "1":
            assert not noun.endswith("s"), summary
        else:
            assert noun.endswith("s"), summary


@pytest.mark.parametrize("command", ["ingest", "validate", "parse"])
def test_a_missing_file_is_said_to_be_missing(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = run(tmp_path / "store", command, missing)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{missing}: no such file or directory"
    assert ":0:" not in result.stderr


@pytest.mark.parametrize("command", ["ingest", "validate", "parse"])
def test_latin1_input_is_answered_with_the_iconv_command(
    command: str, corpus: Path, tmp_path: Path
) -> None:
    text = (corpus / MINING).read_text("utf-8") + "\nRégion Île-de-France\n"
    latin = tmp_path / "latin.txt"
    latin.write_bytes(text.encode("latin-1", errors="replace"))
    result = run(tmp_path / "store", command, latin)
    assert result.exit_code == 2
    expected = f"iconv -f LATIN1 -t UTF-8 {latin} > {latin}.utf8"
    assert result.stderr.strip().endswith(expected), result.stderr
    assert re.match(rf"^{re.escape(str(latin))}:\d+: expected UTF-8 text", result.stderr)


# -- a read never creates a store ----------------------------------------------------------------

READS = (
    ("stats",),
    ("query", "partnerships"),
    ("export", "--out", "OUT"),
    ("serve", "--port", "1"),
    ("vocab", "list"),
)


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("made", [False, True], ids=["missing", "empty folder"])
def test_a_read_without_a_store_is_exit_3_and_creates_none(
    args: tuple[str, ...], made: bool, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    if made:
        store.mkdir()
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = run(store, *argv)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert result.stderr.strip() == f"no store at {store} (run s3graph ingest first)"
    assert store.exists() == made and (not made or not any(store.iterdir()))


def test_a_write_still_creates_the_store(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(store, "ingest", corpus / MINING).exit_code == 0
    result = run(store, "stats")
    assert result.exit_code == 0 and "quads: 0" not in result.stdout, result.stdout


# -- a folder with no report ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["ingest", "validate"])
def test_a_folder_without_reports_is_exit_2_naming_it(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.md").write_text("not a report\n", encoding="utf-8")
    store = tmp_path / "store"
    result = run(store, command, folder)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.strip() == f"{folder}: no report files (*.txt) in this folder"
    assert result.stdout == ""
    assert not store.exists()


# -- query --list --------------------------------------------------------------------------------


def test_query_list_gives_each_parameter_its_type_need_and_an_example(tmp_path: Path) -> None:
    from s3graph.sparql import list_queries

    result = run(tmp_path / "store", "query", "--list")
    assert result.exit_code == 0, result.stderr
    lines = {ln.split("\t")[0]: ln for ln in result.stdout.splitlines()}
    named_queries = list_queries()
    described = " ".join(p.description for q in named_queries for p in q.parameters)
    for named in named_queries:
        line = lines[named.name]
        if not named.parameters:
            assert line.endswith("\tparameters: -"), line
        for p in named.parameters:
            need = "required" if p.required else "optional"
            shown = re.search(rf"\b{p.name} \({p.type}, {need}; e\.g\. -p {p.name}=(\S+?)\)", line)
            assert shown, line
            assert f"e.g. {shown.group(1)}" in described, line  # a header's own example
    assert not (tmp_path / "store").exists(), "listing reads no store"


def test_a_listed_example_runs(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(store, "ingest", corpus / MINING).exit_code == 0
    listed = run(store, "query", "--list").stdout
    found = re.search(r"^regions-of-partnership\t.*e\.g\. -p (partnership=\S+?)\)", listed, re.M)
    assert found, listed
    result = run(store, "query", "regions-of-partnership", "-p", found.group(1), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) > 1, result.stdout
