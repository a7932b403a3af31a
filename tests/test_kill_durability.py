"""kill -9 at random moments: the store and the export hold the old state or the new, never a mix.

``ingest`` of 2,000 reports (200 by default, see :data:`REPORTS`) is killed with SIGKILL 20 times
at random moments over the span one run takes; after each kill the store must open and hold
exactly what it held before the run or exactly what the run writes. The reports come in two
editions of the same report graphs
(one answer differs in each report), and every run ingests the edition the store does not hold,
so a torn write (some reports of each edition) is neither state. ``export`` is killed likewise:
the export folder is the earlier complete export or the new one.

"What it held before" is compared quad by quad (count and hash of every quad, sorted); "what the
run writes" likewise except the run's instants (the ingestion time, which no test can know
before the run), which are blanked in both. The runs are the real command line except for the
SHACL engine (see :mod:`durability_cli`): the kill moments cover a run of a few seconds instead
of a minute. The moments come from a seeded generator (half of them in the last third of a run,
where the writing is); a failure prints the seed and moment.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from durability_reports import TEMPLATE, Fingerprint, fingerprint, small, write_reports

#: Reports an ingest run reads. Issue 12 says 2,000: ``S3GRAPH_KILL_REPORTS=2000`` runs that
#: scale (41 s a run measured on a busy two-core machine: 10-15 minutes for the 20 kills); the
#: default (8.5 s a run there, the test ~2.5 minutes) keeps within CI's budget, the same kills
#: over a shorter run.
REPORTS = int(os.environ.get("S3GRAPH_KILL_REPORTS", "200"))
INGEST_KILLS = 20
#: The export tests export a smaller store (an export of 2,000 reports takes about a minute).
EXPORT_REPORTS = 100
EXPORT_KILLS = 10
SEED = int(os.environ.get("S3GRAPH_KILL_SEED", "12"))
RUNNER = Path(__file__).with_name("durability_cli.py")
EDITIONS = ("first", "second")

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _command(store: Path, *args: str) -> list[str]:
    return [sys.executable, str(RUNNER), "--store", str(store), *args]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3GRAPH_")}
    env["S3GRAPH_CACHE"] = str(tmp / "cache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(RUNNER.parent), env.get("PYTHONPATH")]))
    return env


@dataclass(frozen=True, slots=True)
class Span:
    """How long a complete run took, and when its forked readers were last seen (the reading
    is done and the one write begins), in seconds from its start."""

    seconds: float
    reading: float

    def moment(self, rng: random.Random, kill: int) -> float:
        """Even kills anywhere in a run (and a little after), odd ones while it writes."""
        start = 0.0 if kill % 2 == 0 else self.reading
        return rng.uniform(start, self.seconds * 1.05)


def _complete(command: list[str], env: dict[str, str]) -> Span:
    """Run ``command`` to its end (it must succeed), watching for the processes it forks."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    reading = 0.0
    while process.poll() is None:
        try:
            if children.read_text().strip():
                reading = time.perf_counter() - started
        except OSError:  # gone, or no such file on this kernel
            pass
        time.sleep(0.02)
    _, stderr = process.communicate()
    assert process.returncode == 0, stderr.decode("utf-8", "replace")[-3000:]
    seconds = time.perf_counter() - started
    return Span(seconds, reading or seconds * 0.67)


def _killed(command: list[str], env: dict[str, str], after: float) -> str:
    """Start ``command`` and SIGKILL it ``after`` seconds in: "killed", or "finished" first."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, stderr = process.communicate(timeout=after)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)  # the command only: its forked readers die with it
        process.communicate()
        return "killed"
    assert process.returncode == 0, stderr.decode("utf-8", "replace")[-3000:]
    return "finished"


@pytest.fixture(scope="module")
def editions(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two editions of the same 2,000 small reports, each in a folder."""
    template = small((shared_dir / "corpus" / TEMPLATE).read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("editions")
    for edition in EDITIONS:
        write_reports(template, root / edition, REPORTS, edition)
    return {edition: root / edition for edition in EDITIONS}


def _stores(
    editions: dict[str, Path], root: Path, count: int | None = None
) -> tuple[dict[str, Path], Span]:
    """A store holding each edition (its first ``count`` reports, ingested whole), and the span
    of the second ingest."""
    env = _env(root)
    made, span = {}, Span(0.0, 0.0)
    for edition in EDITIONS:
        made[edition] = root / edition
        files = sorted(editions[edition].glob("*.txt"))[:count] if count else [editions[edition]]
        span = _complete(_command(made[edition], "ingest", *map(str, files)), env)
    return made, span


@pytest.fixture(scope="module")
def stores(
    editions: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Path], Span]:
    return _stores(editions, tmp_path_factory.mktemp("stores"))


def test_ingest_killed_at_random_moments(
    editions: dict[str, Path], stores: tuple[dict[str, Path], Span], tmp_path: Path
) -> None:
    made, span = stores
    states = {edition: fingerprint(path).timeless for edition, path in made.items()}
    assert states["first"] != states["second"]
    store = tmp_path / "store"
    shutil.copytree(made["second"], store)
    env = _env(tmp_path)
    rng = random.Random(SEED)
    held, before = "second", fingerprint(store)
    seen: Counter[str] = Counter()
    for kill in range(INGEST_KILLS):
        target = EDITIONS[1 - EDITIONS.index(held)]
        after = span.moment(rng, kill)
        how = _killed(_command(store, "ingest", str(editions[target])), env, after)
        now = fingerprint(store)  # opens the store as the next command would
        where = f"seed={SEED} kill={kill} after={after:.2f}s of {span} ({how})"
        if now == before:
            assert how == "killed", f"{where}: the run finished and changed nothing"
            seen[f"old state ({how})"] += 1
            continue
        assert now.timeless == states[target], f"{where}: neither the old state nor the new"
        seen[f"new state ({how})"] += 1
        held, before = target, now
    print(
        f"\ningest of {REPORTS} reports ({span.seconds:.1f} s a run, writing from "
        f"{span.reading:.1f} s), {INGEST_KILLS} kills: {dict(seen)}"
    )


def _digest(folder: Path) -> str:
    """Every file of an export folder: its path and its bytes."""
    hashed = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hashed.update(f"{path.relative_to(folder)}\0".encode())
        hashed.update(hashlib.sha256(path.read_bytes()).digest())
    return hashed.hexdigest()


def test_export_killed_at_random_moments(editions: dict[str, Path], tmp_path: Path) -> None:
    made, _ = _stores(editions, tmp_path / "stores", EXPORT_REPORTS)
    env = _env(tmp_path)
    exports, span = {}, Span(0.0, 0.0)
    for edition, store in made.items():
        reference = tmp_path / f"reference-{edition}"
        span = _complete(_command(store, "export", "--out", str(reference)), env)
        exports[edition] = _digest(reference)
    assert exports["first"] != exports["second"]
    out = tmp_path / "dumps"
    shutil.copytree(tmp_path / "reference-first", out)
    rng = random.Random(SEED)
    held = "first"
    seen: Counter[str] = Counter()
    for kill in range(EXPORT_KILLS):
        target = EDITIONS[1 - EDITIONS.index(held)]
        after = span.moment(rng, kill)
        how = _killed(_command(made[target], "export", "--out", str(out)), env, after)
        where = f"seed={SEED} kill={kill} after={after:.2f}s of {span} ({how})"
        assert out.is_dir(), f"{where}: no export at {out} (left: {sorted(os.listdir(tmp_path))})"
        now = _digest(out)
        assert now in (exports[held], exports[target]), f"{where}: neither the old nor the new"
        state = "new" if now == exports[target] else "old"
        assert how == "killed" or state == "new", f"{where}: finished, yet the old export"
        seen[f"{state} export ({how})"] += 1
        held = target if state == "new" else held
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}."))
    print(
        f"\nexport of {EXPORT_REPORTS} reports ({span.seconds:.1f} s a run), {EXPORT_KILLS} kills: "
        f"{dict(seen)}; left beside the folder: {left}"
    )


def test_a_fingerprint_sees_one_changed_quad(tmp_path: Path) -> None:
    """The comparison the tests rest on: one literal changed is another fingerprint."""
    from s3graph.store import Store

    store = tmp_path / "store"
    with Store.open(store) as opened:
        opened.update('INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "a" } }')
    first = fingerprint(store)
    with Store.open(store) as opened:
        opened.update('DELETE DATA { GRAPH <urn:g> { <urn:s> <urn:p> "a" } } ;'
                      ' INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "b" } }')
    second = fingerprint(store)
    assert first.count == second.count == 1
    assert first != second and isinstance(first, Fingerprint)


#: Runs the command line with a SIGKILL right after ``export`` has moved the earlier export away.
_KILLED_BETWEEN_RENAMES = """
import os, pathlib, signal, sys
rename = pathlib.Path.rename
def killing_rename(self, target):
    moved = rename(self, target)
    if ".old-" in pathlib.Path(target).name:
        os.kill(os.getpid(), signal.SIGKILL)
    return moved
pathlib.Path.rename = killing_rename
from s3graph.cli import main
main(sys.argv[1:], prog_name="s3graph")
"""


def test_export_killed_between_its_two_renames(tmp_path: Path) -> None:
    """Found here: export renamed the earlier export away, then the new one into its place, and a
    kill between the two left no export. The folders are now exchanged in one step (renameat2),
    so the kill hook never fires and the new export is in place."""
    env = _env(tmp_path)
    store, out = tmp_path / "store", tmp_path / "dumps"
    _complete(_command(store, "ingest", "--examples"), env)
    _complete(_command(store, "export", "--out", str(out), "--formats", "nt"), env)
    reference = tmp_path / "reference"
    _complete(_command(store, "export", "--out", str(reference), "--formats", "nt,csv"), env)
    states = (_digest(out), _digest(reference))
    command = [sys.executable, "-c", _KILLED_BETWEEN_RENAMES, "--store", str(store)]
    killed = subprocess.run(
        [*command, "export", "--out", str(out), "--formats", "nt,csv"], env=env, check=False
    )
    assert killed.returncode in (0, -signal.SIGKILL)  # 0: the swap no longer renames so
    assert out.is_dir(), f"no export at {out}: {sorted(os.listdir(tmp_path))}"
    assert _digest(out) in states
