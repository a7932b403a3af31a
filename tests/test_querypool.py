"""The query pool on its own: isolation, limits, crashes, refresh, and the end of its processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from s3graph.api.execute import QueryJob, handle_job
from s3graph.querypool import (
    PoolLimits,
    QueryPool,
    ServerBusy,
    WorkerCrashed,
    WorkerOutOfMemory,
    WorkerTimeout,
    parse_size,
)
from s3graph.store import Store

EX = "http://example.org/"
PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j }"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self.sock.settimeout(0.2)
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    opened = Listener()
    yield opened
    opened.close()


def memory_store() -> Store:
    inner = ox.Store()
    for i in range(40):
        inner.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)),
                          ox.NamedNode(f"{EX}g")))
    return Store(inner, Path("memory"), read_only=True, in_memory=True)


def pool(**limits: object) -> QueryPool:
    store = memory_store()
    return QueryPool(lambda: store, handle_job, PoolLimits(**limits), inherit=True)  # type: ignore[arg-type]


def count(done_value: object) -> int:
    import json

    body = json.loads(done_value.body)  # type: ignore[attr-defined]
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_a_worker_answers_from_the_inherited_store() -> None:
    with pool(timeout=5) as p:
        done = p.run(QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        assert count(done.result()) == 40
        assert done.waited >= 0 and done.ran > 0


def test_a_malformed_query_raises_in_the_caller_and_the_worker_stays() -> None:
    with pool(timeout=5) as p:
        done = p.run(QueryJob("SELECT nonsense"))
        with pytest.raises(SyntaxError):
            done.result()
        assert p.counts()["idle"] == 1
        assert p.run(QueryJob("ASK { ?s ?p ?o }")).result().body


def test_workers_have_no_network(listener: Listener) -> None:
    """Even a SERVICE that no guard looked at cannot connect from a worker."""
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with pool(timeout=5) as p:
        done = p.run(QueryJob(text))
        if p.isolated is False:
            pytest.skip("this machine gives workers no network namespace of their own")
        with pytest.raises(Exception, match=r"(?i)unreachable|refused|connect|network|error"):
            done.result()
    time.sleep(0.3)
    assert listener.connections == 0


def test_a_worker_asked_for_with_network_reaches_an_allowed_service(listener: Listener) -> None:
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with pool(timeout=5) as p:
        p.run(QueryJob(text), network=True)
    time.sleep(0.3)
    assert listener.connections >= 1


def test_a_crash_takes_only_its_worker() -> None:
    deep = "SELECT * WHERE " + "{" * 100_000 + " ?s ?p ?o " + "}" * 100_000
    with pool(timeout=10) as p:
        with pytest.raises(WorkerCrashed, match="the server goes on"):
            p.run(QueryJob(deep))
        assert p.run(QueryJob("ASK { ?s ?p ?o }")).result().body


def test_the_deadline_kills_the_worker_and_a_fresh_one_answers() -> None:
    with pool(timeout=0.5) as p:
        started = time.monotonic()
        with pytest.raises(WorkerTimeout) as stopped:
            p.run(QueryJob(PRODUCT))
        assert 0.45 <= time.monotonic() - started < 1.5
        assert stopped.value.ran >= 0.4
        assert p.run(QueryJob("ASK { ?s ?p ?o }")).result().body


def test_memory_past_the_limit_stops_the_query() -> None:
    grow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l LIMIT 1"
    stopped = (WorkerOutOfMemory, WorkerCrashed)
    with pool(timeout=30, query_memory=parse_size("48M")) as p, pytest.raises(stopped):
        p.run(QueryJob(grow))


def test_all_queries_together_stay_within_the_total_memory() -> None:
    grow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l LIMIT 1"
    limits = {"query_memory": parse_size("4G"), "total_memory": parse_size("48M")}
    with pool(timeout=30, **limits) as p, pytest.raises(WorkerOutOfMemory):
        p.run(QueryJob(grow))


def test_long_queries_beyond_the_limit_are_refused() -> None:
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            p.run(QueryJob(PRODUCT))
        except BaseException as exc:
            errors.append(exc)

    with pool(timeout=4, workers=3, long_queries=1, long_after=0.3) as p:
        threads = [threading.Thread(target=slow) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.8)
        started = time.monotonic()
        assert p.run(QueryJob("ASK { ?s ?p ?o }")).result().body
        assert time.monotonic() - started < 0.5
        for thread in threads:
            thread.join()
    assert sorted(type(e).__name__ for e in errors) == ["ServerBusy", "WorkerTimeout"]
    assert any(isinstance(e, ServerBusy) for e in errors)


def _stopped(p: QueryPool, job: QueryJob) -> None:
    with pytest.raises(WorkerTimeout):
        p.run(job)


def test_a_job_behind_slow_queries_gets_a_spare_worker() -> None:
    with pool(timeout=3, workers=2, long_queries=2) as p:
        threads = [
            threading.Thread(target=lambda: _stopped(p, QueryJob(PRODUCT))) for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        time.sleep(0.1)
        started = time.monotonic()
        done = p.run(QueryJob("ASK { ?s ?p ?o }"))
        assert time.monotonic() - started < 0.6
        assert done.waited < 0.5
        for thread in threads:
            thread.join()
        assert p.counts()["alive"] <= 2  # the spare retired once nobody waited


def test_refresh_serves_what_the_store_holds_now() -> None:
    store = memory_store()
    limits = PoolLimits(timeout=5)
    with QueryPool(lambda: store, handle_job, limits, inherit=True) as p:
        query = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert count(p.run(query).result()) == 40
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}new> <{EX}p> 1 }} }}")
        assert count(p.run(query).result()) == 40  # a snapshot, until refreshed
        p.refresh()
        assert count(p.run(query).result()) == 41


def test_a_store_on_disk_is_opened_in_each_worker(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as store:
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1 }} }}")
        opener = lambda: Store.open(store.path, read_only=True)  # noqa: E731
        with QueryPool(opener, handle_job, PoolLimits(timeout=5)) as p:
            query = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert count(p.run(query).result()) == 1
            store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> 2 }} }}")
            p.refresh()
            assert count(p.run(query).result()) == 2


def test_a_missing_store_is_said_in_the_caller(tmp_path: Path) -> None:
    from s3graph.errors import StoreError

    opener = lambda: Store.open(tmp_path / "none", read_only=True)  # noqa: E731
    with QueryPool(opener, handle_job, PoolLimits(timeout=5)) as p, pytest.raises(StoreError):
        p.run(QueryJob("ASK {}"))


CHILD = """
import sys, time
from pathlib import Path
import pyoxigraph as ox
from s3graph.api.execute import QueryJob, handle_job
from s3graph.querypool import PoolLimits, QueryPool
from s3graph.store import Store

store = Store(ox.Store(), Path("memory"), read_only=True, in_memory=True)
pool = QueryPool(lambda: store, handle_job, PoolLimits(timeout=60), inherit=True)
pool.run(QueryJob("ASK {}"))
print(pool._zygote.pid, *pool.worker_pids(), flush=True)
time.sleep(60)
"""


def test_the_zygote_and_workers_end_when_their_parent_is_killed() -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    pids = [int(p) for p in child.stdout.readline().split()]
    assert len(pids) == 2
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize(
    ("text", "size"),
    [("512M", 512 << 20), ("2G", 2 << 30), ("1.5GiB", int(1.5 * (1 << 30))), ("1024", 1024)],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_a_bad_size_says_what_was_expected() -> None:
    with pytest.raises(ValueError, match="expected a size like 512M"):
        parse_size("lots")


def test_updates_run_on_threads_without_network(tmp_path: Path, listener: Listener) -> None:
    """The second line behind the LOAD guard: the app's store threads cannot connect."""
    from s3graph.api.app import create_app
    from s3graph.api.settings import ApiSettings

    with Store.open(tmp_path / "store") as store:
        app = create_app(ApiSettings(update_token="t"), store)
        try:
            update = app.state.executor.submit(store.update, f"LOAD <{listener.url}>")
            with pytest.raises(OSError):
                update.result(timeout=10)
        finally:
            app.state.pool.close()
    time.sleep(0.3)
    assert listener.connections == 0


def test_an_allowed_service_reaches_its_target_through_the_endpoint(
    tmp_path: Path, listener: Listener
) -> None:
    """Only a query whose SERVICE the guard allowed runs on a worker that has the network."""
    from fastapi.testclient import TestClient

    from s3graph.api.app import create_app
    from s3graph.api.settings import ApiSettings

    text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with Store.open(tmp_path / "store") as store:
        closed = create_app(ApiSettings(), store)
        allowing = create_app(ApiSettings(service_allow=frozenset({listener.url})), store)
        try:
            refused = TestClient(closed).get("/sparql", params={"query": text})
            assert refused.status_code == 400
            time.sleep(0.3)
            assert listener.connections == 0
            failed = TestClient(allowing).get("/sparql", params={"query": text})
            assert failed.status_code == 502  # the listener hangs up: said, not a bug
            assert failed.json()["error"] == "federated query failed"
            time.sleep(0.3)
            assert listener.connections >= 1
        finally:
            closed.state.pool.close()
            allowing.state.pool.close()
