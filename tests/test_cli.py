"""The command line in process (click's runner), plus one run of the installed console script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from s3graph.cli import main

#: A bad input's one line: located where it goes wrong, or the file named as missing (issue 12).
ERROR_LINE = re.compile(r"^.+(:\d+: expected |: no such file or directory$)")
WARNING_LINE = re.compile(r"^.+:\d+: (warning|violation): ")
SUMMARY_LINE = re.compile(
    r"^ingested (\d+) files?: (\d+) triples?, (\d+) parse warnings?; "
    r"validation: \d+ problems?: .*$",
    re.M,
)
MINING = "mining-industry-2020-h1.txt"

#: Partnerships of the corpus reports, as the form's selection writes them (compared folded).
CORPUS_PARTNERSHIPS = (
    "Advanced materials for batteries",
    "Cybersecurity",
    "High Tech Farming",
    "Hydrogen Valleys",
    "Mining industry",
    "Smart Regional Investment in Textile Innovation",
)


def _runner() -> CliRunner:
    # The environment must not choose the store or the base behind the tests' back.
    env = {"S3GRAPH_STORE": None, "S3GRAPH_BASE": None}
    try:
        return CliRunner(mix_stderr=False, env=env)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner(env=env)  # click >= 8.2 keeps stdout and stderr apart


def run(store: Path, *args: str | Path) -> Result:
    return _runner().invoke(main, ["--store", str(store), *map(str, args)], catch_exceptions=False)


def quads(store: Path) -> int:
    result = run(store, "stats")
    assert result.exit_code == 0, result.stderr
    found = re.search(r"^quads: (\d+)$", result.stdout, re.M)
    assert found, result.stdout
    return int(found.group(1))


@pytest.fixture
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


# -- parse ---------------------------------------------------------------------------------------


def test_parse_json_prints_only_the_contract_on_stdout(corpus: Path, store: Path) -> None:
    result = run(store, "parse", corpus / MINING)

    assert result.exit_code == 0, result.stderr
    contract = json.loads(result.stdout)
    assert contract["partnership"] == "Mining industry"
    assert contract["reporting_period"]["label"] == "January - June 2020"
    for line in result.stderr.splitlines():
        assert WARNING_LINE.match(line), line
    assert not store.exists(), "parse must not touch the store"


def test_parse_json_keeps_non_ascii_characters(corpus: Path, store: Path) -> None:
    result = run(store, "parse", corpus / MINING, "--format", "json")

    assert result.exit_code == 0, result.stderr
    assert "Västerbotten" in result.stdout


def test_parse_ttl_is_the_reports_graph(store: Path) -> None:
    from rdflib import Graph

    from s3graph.cli import examples_dir

    result = run(store, "parse", examples_dir() / "mining-industry-2020-h2.txt", "--format", "ttl")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.lstrip().startswith("@prefix")
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 100
    assert "https://w3id.org/s3graph/report/" in result.stdout


def test_parse_ttl_uses_the_base(store: Path) -> None:
    from s3graph.cli import examples_dir

    example = examples_dir() / "advanced-materials-for-batteries-2021-h1.txt"
    result = _runner().invoke(
        main, ["--base", "https://example.org/g/", "parse", str(example), "--format", "ttl"]
    )

    assert result.exit_code == 0, result.stderr
    assert "https://example.org/g/report/" in result.stdout
    assert "https://w3id.org/s3graph/report/" not in result.stdout


# -- ingest, query, stats ------------------------------------------------------------------------


def test_ingest_corpus_then_query_partnerships(corpus: Path, store: Path) -> None:
    ingested = run(store, "ingest", corpus)

    assert ingested.exit_code == 0, ingested.stderr
    summary = SUMMARY_LINE.search(ingested.stdout)
    assert summary, ingested.stdout
    assert int(summary.group(1)) == len(list(corpus.glob("*.txt")))
    assert int(summary.group(2)) > 0
    for line in ingested.stderr.splitlines():
        assert WARNING_LINE.match(line), line

    result = run(store, "query", "partnerships", "--format", "json")

    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)
    listed = result.stdout.casefold()
    for name in CORPUS_PARTNERSHIPS:
        assert name.casefold() in listed, name


def test_ingest_twice_gives_the_same_quads(corpus: Path, store: Path) -> None:
    assert run(store, "ingest", corpus).exit_code == 0
    first = quads(store)
    assert run(store, "ingest", corpus).exit_code == 0

    assert first > 0
    assert quads(store) == first


def test_ingest_examples(store: Path) -> None:
    result = run(store, "ingest", "--examples")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ingested 2 files: ")
    assert result.stderr == ""


def test_stats_counts_the_store(corpus: Path, store: Path) -> None:
    assert run(store, "ingest", corpus / MINING).exit_code == 0

    result = run(store, "stats")

    assert result.exit_code == 0, result.stderr
    assert re.search(r"^quads: [1-9]\d*$", result.stdout, re.M)
    assert re.search(r"^named graphs: [1-9]\d*$", result.stdout, re.M)


def test_query_list_names_the_queries(store: Path) -> None:
    result = run(store, "query", "--list")

    assert result.exit_code == 0, result.stderr
    assert re.search(r"^partnerships\t", result.stdout, re.M)


def test_query_unknown_name_exits_2(store: Path) -> None:
    result = run(store, "query", "no-such-query")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr


# -- bad input -----------------------------------------------------------------------------------


def _bad_input(kind: str, tmp_path: Path, corpus: Path) -> Path:
    path = tmp_path / "bad" / f"{kind}.txt"
    path.parent.mkdir()
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "readme":
        return corpus / "README.md"
    elif kind == "truncated":
        lines = (corpus / MINING).read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:40]), encoding="utf-8")
    elif kind == "nonexistent":
        return path.with_name("no-such-report.txt")
    return path


BAD_INPUTS = ("empty", "binary", "readme", "truncated", "nonexistent")


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_parse_bad_input_exits_2_with_one_line(
    kind: str, tmp_path: Path, corpus: Path, store: Path
) -> None:
    result = run(store, "parse", _bad_input(kind, tmp_path, corpus))

    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert ERROR_LINE.match(lines[0]), lines[0]


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_ingest_bad_input_exits_2_and_keeps_the_store(
    kind: str, tmp_path: Path, corpus: Path, store: Path
) -> None:
    assert run(store, "ingest", "--examples").exit_code == 0
    before = quads(store)
    bad = _bad_input(kind, tmp_path, corpus)

    result = run(store, "ingest", corpus / MINING, bad)

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert ERROR_LINE.match(lines[0]), lines[0]
    assert quads(store) == before


def test_unexpected_exception_is_a_bug_exit_70(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import s3graph.parse

    def boom(_path: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(s3graph.parse, "parse_file", boom)

    quiet = _runner().invoke(main, ["parse", "x.txt"])
    verbose = _runner().invoke(main, ["--verbose", "parse", "x.txt"])

    assert quiet.exit_code == 70
    assert len(quiet.stderr.splitlines()) == 1
    assert "report" in quiet.stderr and "Traceback" not in quiet.stderr
    assert verbose.exit_code == 70
    assert "Traceback" in verbose.stderr and "RuntimeError: boom" in verbose.stderr


def test_help_documents_exit_codes() -> None:
    result = _runner().invoke(main, ["--help"])

    assert result.exit_code == 0
    for code in ("0", "1", "2", "3", "70"):
        assert re.search(rf"^\s+{code}\s+\S", result.stdout, re.M), code


# -- end to end ----------------------------------------------------------------------------------


def _console_script() -> Path | None:
    name = "s3graph.exe" if os.name == "nt" else "s3graph"
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return beside
    found = shutil.which(name)
    return Path(found) if found else None


def _installed(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The installed console script, and an environment whose store is in ``tmp_path``.

    Skipped where the package is not installed, except in CI, where that is a failure.
    """
    script = _console_script()
    if script is None:
        if os.environ.get("CI"):
            pytest.fail("the s3graph console script is not installed (pip install -e .)")
        pytest.skip("the s3graph console script is not installed (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3GRAPH_")}
    env["S3GRAPH_STORE"] = str(tmp_path / "store")
    return script, env


@pytest.mark.e2e
def test_installed_console_script_ingests_and_queries(tmp_path: Path) -> None:
    script, env = _installed(tmp_path)

    def s3graph(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *args], capture_output=True, text=True, env=env, timeout=300, check=False
        )

    ingested = s3graph("ingest", "--examples")
    assert ingested.returncode == 0, ingested.stderr
    assert ingested.stdout.startswith("ingested 2 files: ")

    result = s3graph("query", "partnerships", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "mining industry" in result.stdout.casefold()
    assert "advanced materials for batteries" in result.stdout.casefold()

    missing = s3graph("parse", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2
    assert ERROR_LINE.match(missing.stderr), missing.stderr


@pytest.mark.e2e
def test_installed_console_script_serves_what_it_ingested(tmp_path: Path) -> None:
    """The Quick start's main job: ingest the examples, serve, and the printed page works."""
    import re as regex
    import socket
    import time
    import urllib.request

    script, env = _installed(tmp_path)
    ingested = subprocess.run(
        [str(script), "ingest", "--examples"], capture_output=True, text=True, env=env, timeout=300
    )
    assert ingested.returncode == 0, ingested.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(script), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        printed = server.stdout.readline()
        link = regex.search(r"open (http://127\.0\.0\.1:\d+/) ", printed)
        assert link, printed
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(link.group(1), timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer in 30 s"
                time.sleep(0.2)
        assert "Mining Industry" in page and "Advanced Materials for Batteries" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
