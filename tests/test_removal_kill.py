"""``kill -9`` during ``s3graph remove``: the store opens and holds the old state or the new one.

The run removes many reports in one write (two thirds of a store of synthetic reports, so the
write lasts seconds); each round kills a fresh copy's run after a random delay drawn between the
moment the command is ready to write and the moment it ends unhindered, then opens the store
and compares every named graph and its size with the states before and after.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hardening_synth import write_reports

from s3graph.ingest import ingest
from s3graph.namespaces import DEFAULT_BASE
from s3graph.removal import graphs_of
from s3graph.store import Store

pytestmark = pytest.mark.slow

ROUNDS = 8
REPORTS = 150
#: The CLI in a fresh interpreter (the console script need not be on PATH).
CLI = [sys.executable, "-c", "from s3graph.cli import main; main()"]

State = dict[str, int]


def state(path: Path) -> State:
    """Every named graph of the store at ``path`` and its number of triples."""
    with Store.open(path, read_only=True) as store:
        return {g: store.graph_size(g) for g in store.graphs()}


def run_remove(store: Path, reports: list[str]) -> subprocess.Popen[bytes]:
    command = [*CLI, "--store", str(store), "remove", *reports]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def timed(store: Path, reports: list[str]) -> float:
    """Seconds one unhindered run takes (it must succeed: exit 0, or 2 for a report not there)."""
    started = time.monotonic()
    process = run_remove(store, reports)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode in (0, 2), stderr.decode()
    return time.monotonic() - started


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill-remove")
    reports = write_reports(folder / "reports", REPORTS)
    with Store.open(folder / "store") as store:
        ingest(store, [reports], base=DEFAULT_BASE)
    return folder / "store"


def test_kill_9_during_remove_leaves_the_old_state_or_the_new_one(
    template: Path, tmp_path: Path
) -> None:
    old = state(template)
    under = f"{DEFAULT_BASE}report/"
    reports = sorted(g for g in old if g.startswith(under) and g.count("/") == under.count("/") + 1)
    assert len(reports) == REPORTS
    removed = reports[: 2 * REPORTS // 3]
    gone = {graph for report in removed for graph in graphs_of(report, old)}
    # How long the command takes to be ready to write (it stops at a report it does not find)
    # and to run whole: the kills are spread over the span between.
    ready = timed(_copy(template, tmp_path / "ready"), [*removed, "no-such/2000-H1"])
    unhindered = _copy(template, tmp_path / "whole")
    whole = timed(unhindered, removed)
    # The partnerships' changes are computed again from the reports they keep, in the same write.
    changes = f"{DEFAULT_BASE}graph/changes/"
    new = state(unhindered)
    assert {g: n for g, n in new.items() if not g.startswith(changes)} == {
        g: n for g, n in old.items() if g not in gone and not g.startswith(changes)
    }
    draw = random.Random(12)
    outcomes = []
    for round_ in range(ROUNDS):
        store = _copy(template, tmp_path / f"round-{round_}")
        process = run_remove(store, removed)
        time.sleep(draw.uniform(ready * 0.8, whole))
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        found = state(store)
        assert found in (old, new), f"round {round_}: a mix of the old and the new state"
        outcomes.append("old" if found == old else "new")
        with Store.open(store) as reopened:  # and it opens for writing again
            assert reopened.count() == sum(found.values())
    print(f"ready {ready:.2f} s, whole {whole:.2f} s, outcomes: {outcomes}")


def _copy(template: Path, to: Path) -> Path:
    shutil.copytree(template, to)
    return to
