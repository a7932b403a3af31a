"""Judgements are a function of the data, not of history (issue 12).

Whatever the order of ``ingest`` and ``vocab load``, the store ends up holding the same graph; a
``vocab load`` killed at any moment leaves the old state or the new one; ``s3graph check`` renews
what the reference data in force says; ``stats`` says when stored judgements are stale.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from s3graph.cli import main
from s3graph.store import Store

#: Lines of the ingestion's own time: the one thing two runs may differ in.
_TIMES = ("prov#startedAtTime", "prov#endedAtTime")


@pytest.fixture(scope="module")
def inputs(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real report, a NUTS 2016 table without ES41 (so it changes a judgement), the changes."""
    folder = tmp_path_factory.mktemp("judging-inputs")
    rows = (shared_dir / "reference" / "nuts-2016.csv").read_text(encoding="utf-8").splitlines()
    (folder / "nuts-2016.csv").write_text(
        "\n".join(r for r in rows if not r.startswith("ES41,")) + "\n", encoding="utf-8"
    )
    return {
        "report": shared_dir / "corpus" / "mining-industry-2020-h1.txt",
        "nuts": folder / "nuts-2016.csv",
        "changes": shared_dir / "reference" / "nuts-changes.csv",
    }


def _step(store: Path, name: str, inputs: dict[str, Path]) -> None:
    if name == "report":
        args = ["ingest", str(inputs["report"])]
    else:
        args = ["vocab", "load", str(inputs[name])]
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    assert result.exit_code == 0, result.output


def _quads(store: Path, keep: Callable[[str], bool] = lambda line: True) -> list[str]:
    with Store.open(store, read_only=True) as opened:
        rows = opened.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, ox.QuerySolutions)
        lines = [f"{r['s']} {r['p']} {r['o']} {r['g']} ." for r in rows]
    return sorted(line for line in lines if keep(line))


def _timeless(line: str) -> bool:
    return not any(t in line for t in _TIMES)


def test_every_order_of_ingest_and_vocab_load_gives_the_same_graph(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    graphs = {}
    for order in itertools.permutations(("report", "nuts", "changes")):
        store = tmp_path / "-".join(order)
        for name in order:
            _step(store, name, inputs)
        graphs[order] = _quads(store, _timeless)
    first, *others = graphs.values()
    for order, quads in graphs.items():
        missing, extra = set(first) - set(quads), set(quads) - set(first)
        assert quads == first, f"{order}: {len(missing)} quads missing, {len(extra)} extra"
    assert len(others) == 5


def test_the_loaded_table_changes_the_judgement_of_a_stored_report(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    _step(store, "report", inputs)
    before = _quads(store, _timeless)
    _step(store, "nuts", inputs)
    after = _quads(store, _timeless)
    changed = set(after) ^ set(before)
    validation = [q for q in changed if "/validation" in q and "ES41" in q]
    assert validation, "loading a NUTS version without ES41 must judge ES41 again"
    sources = [q for q in after if "def#nutsSource" in q and "/validation>" in q]
    assert sources and all("loaded" in q and "snapshot" in q for q in sources)


def test_validation_graphs_record_the_reference_data(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    _step(store, "report", inputs)
    quads = _quads(store)
    judged = [q for q in quads if "def#judgedAgainst" in q]
    assert any("/nuts/scheme/2016>" in q for q in judged)
    assert any("/graph/registry>" in q for q in judged)
    digest = [q for q in quads if "def#referenceDigest" in q]
    assert len(digest) == 1


def test_check_renews_and_stats_says_when_judgements_are_stale(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    _step(store, "report", inputs)
    fresh = CliRunner().invoke(main, ["--store", str(store), "stats"])
    assert fresh.exit_code == 0 and "stale" not in fresh.output
    # A stored judgement made against other reference data (as after an upgrade of s3graph).
    with Store.open(store) as opened:
        opened.update(
            "PREFIX s3g: <https://w3id.org/s3graph/def#> "
            "DELETE { GRAPH ?g { ?v s3g:referenceDigest ?d } } "
            'INSERT { GRAPH ?g { ?v s3g:referenceDigest "0000" } } '
            "WHERE { GRAPH ?g { ?v s3g:referenceDigest ?d } }"
        )
    stale = CliRunner().invoke(main, ["--store", str(store), "stats"])
    assert stale.exit_code == 0
    assert "1 report judged against older reference data" in stale.output
    assert "s3graph check" in stale.output
    checked = CliRunner().invoke(main, ["--store", str(store), "check"])
    assert checked.exit_code == 0, checked.output
    assert "judged again: 1 stored report" in checked.output
    again = CliRunner().invoke(main, ["--store", str(store), "stats"])
    assert "older reference data" not in again.output


def _fingerprint(store: Path) -> str:
    return hashlib.sha256("\n".join(_quads(store)).encode()).hexdigest()


def test_vocab_load_killed_at_any_moment_leaves_the_old_or_the_new_state(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    base = tmp_path / "base"
    _step(base, "report", inputs)
    command = [sys.executable, "-c", "from s3graph.cli import main; main()", "--store"]
    load = ["vocab", "load", str(inputs["nuts"]), str(inputs["changes"])]
    old = _fingerprint(base)
    complete = tmp_path / "complete"
    subprocess.run(["cp", "-a", str(base), str(complete)], check=True)
    started = time.monotonic()
    subprocess.run([*command, str(complete), *load], check=True, capture_output=True)
    span = time.monotonic() - started
    new = _fingerprint(complete)
    assert new != old
    rng = random.Random(12)
    outcomes = []
    for attempt in range(6):
        store = tmp_path / f"killed-{attempt}"
        subprocess.run(["cp", "-a", str(base), str(store)], check=True)
        process = subprocess.Popen(
            [*command, str(store), *load], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.2, span))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        state = _fingerprint(store)
        assert state in (old, new), f"attempt {attempt}: a mix of old and new"
        outcomes.append("old" if state == old else "new")
    assert outcomes  # which of the two each kill left is chance; a mix is never one of them


def test_reports_split_out_of_one_file_are_judged_again_as_they_were_read(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    """``ingest --split``: each report keeps its own bytes and first line, so ``check`` (which
    reads them again) gives back the very same graphs, line numbers included."""
    from s3graph.cli import examples_dir

    two = tmp_path / "two.txt"
    example = examples_dir() / "mining-industry-2020-h2.txt"
    two.write_bytes(inputs["report"].read_bytes() + example.read_bytes())
    store = tmp_path / "store"
    refused = CliRunner().invoke(main, ["--store", str(store), "ingest", str(two)])
    assert refused.exit_code == 2
    split = CliRunner().invoke(main, ["--store", str(store), "ingest", "--split", str(two)])
    assert split.exit_code == 0, split.output
    before = _quads(store)
    titles = [q for q in before if "/source> <http://purl.org/dc/terms/title>" in q]
    assert len(titles) == 4 and any('"two.txt:' in q for q in titles)  # report and source graphs
    first_lines = [q for q in before if "def#sourceFirstLine" in q]
    second = len(inputs["report"].read_bytes().splitlines()) + 1  # the example's first line
    assert len(first_lines) == 1 and f'"{second}"' in first_lines[0]
    checked = CliRunner().invoke(main, ["--store", str(store), "check"])
    assert checked.exit_code == 0 and "judged again: 2 stored reports" in checked.output
    assert _quads(store) == before
