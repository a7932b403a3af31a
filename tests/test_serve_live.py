"""``s3graph serve`` follows its store, and stops at once: a real server process on 127.0.0.1.

A report ingested while the server runs shows on its page and in a SPARQL count within 5 s,
with no restart; the requests fired meanwhile (200 and more, over the real socket, from many
threads) all answer 200; the "Data as of" of the pages moves forward. SIGINT or SIGTERM ends the
server within 2 s while a query that would run for long is in flight, and leaves none of its
processes behind (the query workers among them, by pid).
"""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import find_shared_dir, shared_missing_reason

from s3graph.api.execute import QueryJob, handle_job
from s3graph.api.kept import kept_copy
from s3graph.namespaces import DEFAULT_BASE
from s3graph.querypool import PoolLimits, QueryPool, QueryStopped
from s3graph.querypool.mother import Mother, ZygoteNotReady
from s3graph.store import CHANGE_LOG, CHANGE_LOG_LIMIT, Store, changes_since

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HOST = "127.0.0.1"
SERVING = re.compile(rf"open http://{re.escape(HOST)}:(\d+)/")
S3G = "https://w3id.org/s3graph/def#"
FIRST = ("advanced-materials-for-batteries-2020-h1", "cybersecurity-2021-h1")
LATER = "high-tech-farming-2021-h1"
REPORTS = f"SELECT ?r WHERE {{ ?r a <{S3G}MonitoringReport> }}"
TRIPLE = f"<{DEFAULT_BASE}a> <{S3G}b> 1"
COUNT_REPORTS = f"SELECT (COUNT(?r) AS ?n) WHERE {{ ?r a <{S3G}MonitoringReport> }}"
#: A cross join that runs far longer than the test waits (the store holds thousands of triples).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
AS_OF = re.compile(r'Data as of <time datetime="([^"]+)">')
#: Requests fired while the server switches to the new data, at least.
REQUESTS = 200


def _s3graph(store: Path, *args: str) -> list[str]:
    command = "from s3graph.cli import main; main()"
    return [sys.executable, "-c", command, "--store", str(store), *args]


def _corpus(name: str) -> Path:
    shared = find_shared_dir()
    if shared is None:
        pytest.skip(shared_missing_reason())
    return shared / "corpus" / f"{name}.txt"


def _ingest(store: Path, *names: str) -> None:
    files = [str(_corpus(name)) for name in names]
    subprocess.run(_s3graph(store, "ingest", *files), check=True, capture_output=True, timeout=300)


class Server:
    """A running ``s3graph serve --port 0`` and a client of it."""

    def __init__(self, store: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            _s3graph(store, "serve", "--host", HOST, "--port", "0", *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = SERVING.search(line)
        assert found, (line, self.process.stderr.read() if self.process.stderr else "")
        self.url = f"http://{HOST}:{found.group(1)}"
        self.client = httpx.Client(base_url=self.url, timeout=60)

    def reports(self) -> set[str]:
        answer = self.client.get(
            "/sparql", params={"query": REPORTS}, headers={"Accept": "application/json"}
        )
        assert answer.status_code == 200, answer.text
        return {row["r"]["value"] for row in answer.json()["results"]["bindings"]}

    def as_of(self) -> str:
        page = self.client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200
        found = AS_OF.search(page.text)
        assert found, "the page does not say as of when its data is"
        assert page.headers["X-S3graph-Data-As-Of"][:16] == found.group(1)[:16]
        return found.group(1)

    def descendants(self) -> set[int]:
        """The pids of the server's processes below it: mother, zygotes, query workers."""
        found: set[int] = set()
        parents = {self.process.pid}
        while parents:
            children = {pid for pid, ppid in _processes().items() if ppid in parents}
            parents = children - found
            found |= children
        return found

    def stop(self) -> str:
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        _, errors = self.process.communicate(timeout=30)
        return errors


def _processes() -> dict[int, int]:
    """Every live process (zombies aside) by pid, with its parent's pid."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            found[int(entry.name)] = int(fields[1])
    return found


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    _ingest(path, *FIRST)
    return path


@pytest.fixture
def server(store: Path) -> Iterator[Server]:
    running = Server(store)
    yield running
    assert "Traceback" not in running.stop()


def _hammer(url: str, stop: threading.Event, statuses: list[int]) -> None:
    """Requests, one after the other, until ``stop``: a page and a query in turn."""
    with httpx.Client(base_url=url, timeout=60) as client:
        while not stop.is_set():
            if len(statuses) % 2:
                answer = client.get("/", headers={"Accept": "text/html"})
            else:
                answer = client.get("/sparql", params={"query": REPORTS})
            statuses.append(answer.status_code)


def test_a_report_ingested_while_serving_shows_within_5_s_with_no_failed_request(
    store: Path, server: Server
) -> None:
    before = server.reports()
    assert len(before) == len(FIRST)
    first_as_of = server.as_of()
    time.sleep(1.1)  # the marker's time is in seconds on the page: let the next one differ
    statuses: list[int] = []
    stop = threading.Event()
    with ThreadPoolExecutor(20) as threads:
        for _ in range(20):
            threads.submit(_hammer, server.url, stop, statuses)
        try:
            _ingest(store, LATER)
            ingested = time.monotonic()
            while (after := server.reports()) == before:
                assert time.monotonic() - ingested < 5, "the new report did not show within 5 s"
                time.sleep(0.05)
            shown = time.monotonic() - ingested
            while len(statuses) < 2 * REQUESTS:  # and as many after the switch as before
                time.sleep(0.05)
        finally:
            stop.set()
    assert shown < 5
    assert len(statuses) >= REQUESTS
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    (new,) = after - before
    page = server.client.get("/" + new.removeprefix(DEFAULT_BASE), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "high tech farming" in page.text.lower()
    assert server.as_of() > first_as_of


def test_the_disk_mode_follows_the_store_too(store: Path) -> None:
    server = Server(store, "--disk")
    try:
        before = server.reports()
        _ingest(store, LATER)
        ingested = time.monotonic()
        while server.reports() == before:
            assert time.monotonic() - ingested < 5, "the new report did not show within 5 s"
            time.sleep(0.05)
    finally:
        assert "Traceback" not in server.stop()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_ends_the_server_within_2_s_while_a_long_query_runs(
    store: Path, sig: signal.Signals
) -> None:
    server = Server(store, "--query-timeout", "60")
    answers: list[httpx.Response | Exception] = []

    def endless() -> None:
        try:
            answers.append(server.client.get("/sparql", params={"query": ENDLESS}))
        except Exception as exc:  # the server may drop the connection as it ends
            answers.append(exc)

    asking = threading.Thread(target=endless)
    try:
        asking.start()
        time.sleep(1.5)  # the query runs in a worker by now
        processes = server.descendants()
        ticks = {pid: _cpu_ticks(pid) for pid in processes}
        time.sleep(0.3)
        computing = [pid for pid in processes if _cpu_ticks(pid) > ticks[pid]]
        assert computing, "no process of the server is computing the query"
        sent = time.monotonic()
        server.process.send_signal(sig)
        server.process.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        errors = server.stop()
    asking.join(timeout=30)
    assert took < 2, f"the server took {took:.2f} s to end"
    assert "Traceback" not in errors, errors
    deadline = time.monotonic() + 2  # the kernel's death signals travel down the tree
    while (left := set(_processes()) & processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"processes of the server left running: {sorted(left)}"
    assert len(answers) == 1
    if isinstance(answers[0], httpx.Response):  # else the connection closed first
        assert answers[0].status_code == 503, answers[0].text


def _cpu_ticks(pid: int) -> int:
    """User and system clock ticks ``pid`` has used (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def test_the_change_marker_moves_with_each_write(store: Path) -> None:
    from s3graph.store import read_change

    first = read_change(store)
    assert first is not None
    with Store.open(store) as opened:
        opened.update(f"INSERT DATA {{ GRAPH <{DEFAULT_BASE}g> {{ {TRIPLE} }} }}")
    second = read_change(store)
    assert second is not None and second != first and second.at >= first.at
    with Store.open(store) as opened:
        opened.replace_graphs([])  # nothing written, nothing told
    assert read_change(store) == second
    assert os.path.exists(store / "S3GRAPH-CHANGED")


def _memory_pool(quads: int) -> QueryPool:
    inner = ox.Store()
    for i in range(quads):
        subject, graph = ox.NamedNode(f"{DEFAULT_BASE}s{i}"), ox.NamedNode(f"{DEFAULT_BASE}g")
        inner.add(ox.Quad(subject, ox.NamedNode(f"{S3G}p"), ox.Literal(str(i)), graph))
    store = Store(inner, Path("memory"), read_only=True, in_memory=True)
    return QueryPool(lambda: store, handle_job, PoolLimits(timeout=60), inherit=True)


def _count(pool: QueryPool, text: str = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") -> int:
    body = pool.run(QueryJob(text)).result().body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_a_pool_handed_over_serves_from_its_successor_and_closes_after_its_last_job() -> None:
    old, new = _memory_pool(40), _memory_pool(7)
    try:
        assert _count(old) == 40
        running: list[int] = []
        slow = threading.Thread(
            target=lambda: running.append(
                _count(old, "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }")
            )
        )
        slow.start()
        while not old.counts()["busy"]:
            time.sleep(0.01)
        workers = old.worker_pids()
        old.hand_over(new)
        assert _count(old) == 7  # a caller holding the old pool is served by the new one
        assert not old.closed  # its running query goes on, on the data it started with
        slow.join(timeout=60)
        assert running == [40**4]
        deadline = time.monotonic() + 5
        while not old.closed:
            assert time.monotonic() < deadline, "the old pool did not close after its last job"
            time.sleep(0.02)
        time.sleep(0.2)
        assert not set(workers) & set(_processes()), "a worker of the old pool is left"
        assert _count(old) == 7
    finally:
        old.close()
        new.close()


def test_a_zygote_whose_store_cannot_be_made_says_why(tmp_path: Path) -> None:
    prepare = functools.partial(Store.in_memory_copy, tmp_path / "nothing")
    with Mother() as mother, pytest.raises(ZygoteNotReady, match="no store at"):
        QueryPool(prepare, handle_job, PoolLimits(), inherit=True, zygote=mother.zygote)


def test_zygotes_of_the_mother_serve_the_store_as_it_was_when_each_was_made(store: Path) -> None:
    with Mother() as mother:
        pools = []
        try:
            for _ in range(2):
                prepare = functools.partial(Store.in_memory_copy, store)
                pools.append(
                    QueryPool(prepare, handle_job, PoolLimits(), inherit=True, zygote=mother.zygote)
                )
                if len(pools) == 1:
                    _ingest(store, LATER)
            counts = [_count(pool, COUNT_REPORTS) for pool in pools]
        finally:
            for pool in pools:
                pool.close()
    assert counts == [len(FIRST), len(FIRST) + 1]


def _quads(store: Store) -> set[str]:
    return {str(quad) for quad in store._store}


def test_the_kept_copy_rereads_only_what_changed_and_equals_a_fresh_copy(store: Path) -> None:
    kept = kept_copy(store)
    assert _quads(kept) == _quads(Store.in_memory_copy(store))
    _ingest(store, LATER)
    assert kept_copy(store) is kept  # brought up to date in place, graph by graph
    assert _quads(kept) == _quads(Store.in_memory_copy(store))
    subprocess.run(
        _s3graph(store, "remove", "cybersecurity/2021-H1"), check=True, capture_output=True
    )
    assert kept_copy(store) is kept
    assert _quads(kept) == _quads(Store.in_memory_copy(store))
    with Store.open(store) as opened:  # an update may change any graph: copied whole
        opened.update(f"INSERT DATA {{ GRAPH <{DEFAULT_BASE}g> {{ {TRIPLE} }} }}")
    again = kept_copy(store)
    assert again is not kept
    assert _quads(again) == _quads(Store.in_memory_copy(store))


def test_a_change_log_started_afresh_makes_the_kept_copy_whole_again(store: Path) -> None:
    kept = kept_copy(store)
    with (store / CHANGE_LOG).open("a", encoding="utf-8") as log:  # past its limit
        log.write(f"0-0 {DEFAULT_BASE}g\n" * (CHANGE_LOG_LIMIT // 10))
    _ingest(store, LATER)
    assert (store / CHANGE_LOG).stat().st_size < CHANGE_LOG_LIMIT
    assert changes_since(store, "0-0") is None
    again = kept_copy(store)
    assert again is not kept
    assert _quads(again) == _quads(Store.in_memory_copy(store))


def test_a_server_taking_updates_follows_its_own_writes(store: Path) -> None:
    server = Server(store, "--update-token", "secret")
    try:
        first_as_of = server.as_of()
        time.sleep(1.1)
        inserted = f"INSERT DATA {{ GRAPH <{DEFAULT_BASE}g> {{ {TRIPLE} }} }}"
        answer = server.client.post(
            "/update", data={"update": inserted}, headers={"Authorization": "Bearer secret"}
        )
        assert answer.status_code == 204, answer.text
        asked = f"ASK {{ GRAPH <{DEFAULT_BASE}g> {{ {TRIPLE} }} }}"
        found = server.client.get("/sparql", params={"query": asked})
        assert found.json()["boolean"] is True
        deadline = time.monotonic() + 5
        while server.as_of() == first_as_of:
            assert time.monotonic() < deadline, "the as-of time did not move within 5 s"
            time.sleep(0.1)
    finally:
        assert "Traceback" not in server.stop()


def test_a_job_given_to_a_closed_pool_is_told_the_server_is_stopping() -> None:
    pool = _memory_pool(3)
    pool.close()
    with pytest.raises(QueryStopped, match="the server is stopping"):
        pool.run(QueryJob("ASK { ?s ?p ?o }"))
