"""``s3graph push`` and ``pull`` against real servers: ``oxigraph serve`` and Virtuoso (issue 14).

The embedded store holding the corpus (reports, validation and source-text graphs, the
vocabularies, NUTS 2021) is pushed to each server; the server must then answer every named
query with the rows the embedded store gives. A push cut off after some batches (a fault
injected, or the process killed) and run again must complete with every graph held once, and
a pull into a fresh folder must give back the same quads; a pull cut off keeps whole graphs
and resumes. A graph larger than the rows Virtuoso answers as packaged (10,000) goes both ways
whole. A server that is down is one line.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import corpus_store
from rdflib import Graph, URIRef
from servers import (
    PACKAGED_ROWS,
    Server,
    free_port,
    oxigraph_server,
    virtuoso_capped_server,
    virtuoso_server,
)
from test_remote_store import BASE, TEST_LIMITS, parameter_sets, rows

from s3graph.cli import main
from s3graph.errors import StoreError
from s3graph.rdf.graphs import SerialisedGraph
from s3graph.remote import RemoteStore
from s3graph.sparql import bind_parameters, list_queries
from s3graph.store import Store
from s3graph.transfer import (
    fingerprint,
    graph_lines,
    graph_sizes,
    pull,
    push,
    state_path,
)

__all__ = ["oxigraph_server", "virtuoso_capped_server", "virtuoso_server"]  # fixtures, by name

SERVERS = ("oxigraph", "virtuoso")


@pytest.fixture(scope="module")
def source(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The embedded store of the corpus, as ``s3graph ingest`` and ``vocab load`` leave it."""
    with corpus_store(tmp_path_factory.mktemp("transfer") / "store", shared_dir, BASE) as store:
        yield store


def server_of(kind: str, request: pytest.FixtureRequest) -> Server:
    return cast(Server, request.getfixturevalue(f"{kind}_server"))


@pytest.fixture(params=SERVERS)
def target(request: pytest.FixtureRequest, source: Store) -> Iterator[RemoteStore]:
    """Each server, emptied of named graphs, and no record of an earlier push to it."""
    server = server_of(request.param, request)
    store = RemoteStore.open(
        server.url, server=server.kind, environ=server.environ(), limits=TEST_LIMITS
    )
    with store:
        empty_server(store)
        state_path(source.path, store.url).unlink(missing_ok=True)
        yield store


def empty_server(store: RemoteStore) -> None:
    for iri in store.graphs():
        store.replace_graphs([Graph(identifier=URIRef(iri))])


def assert_same_quads(found: Store | RemoteStore, expected: Store | RemoteStore) -> None:
    """The same graphs with the same triples (the lines that differ shown, if any)."""
    names = list(graph_sizes(expected))
    assert list(graph_sizes(found)) == names
    for start in range(0, len(names), 10):
        chunk = names[start : start + 10]
        have, want = graph_lines(found, chunk), graph_lines(expected, chunk)
        for iri in chunk:
            if fingerprint(have[iri]) != fingerprint(want[iri]):
                extra = sorted(set(have[iri]) - set(want[iri]))[:3]
                missing = sorted(set(want[iri]) - set(have[iri]))[:3]
                pytest.fail(f"<{iri}> differs: extra {extra}, missing {missing}")


# -- push, then the same rows ----------------------------------------------------------------


def test_a_pushed_store_answers_every_named_query_alike(source: Store, target: RemoteStore) -> None:
    sizes = graph_sizes(source)
    kinds = {iri.rsplit("/", 1)[-1] for iri in sizes}
    assert {"source-text", "validation"} <= kinds, "the corpus store lacks graphs to carry"
    done = push(source, target, batch=5_000)
    assert done.graphs == len(sizes) and done.triples == sum(sizes.values())
    assert done.batches > 1 and done.skipped == 0
    assert graph_sizes(target) == sizes
    differences = []
    for query in list_queries():
        for params in parameter_sets(source)[query.name]:
            bound = bind_parameters(query, params, base=BASE)
            expected, found = rows(source, query.text, bound), rows(target, query.text, bound)
            if found != expected:
                differences.append(f"{query.name} {params}: {len(found)} rows, {len(expected)}")
    assert not differences, "\n".join(differences)
    again = push(source, target, batch=5_000)
    assert (again.graphs, again.skipped) == (0, len(sizes)), "a second push sends nothing"


# -- interrupted, resumed --------------------------------------------------------------------


def test_a_push_failing_after_some_batches_resumes_without_duplicates(
    source: Store, target: RemoteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = graph_sizes(source)
    write = target.replace_graphs
    calls: list[int] = []

    def failing_third(graphs: Any) -> None:
        calls.append(len(graphs))
        if len(calls) == 3:
            write(graphs[:1])  # part of the batch reached the server, then it failed
            raise StoreError(f"{target.url}: the SPARQL server refused a write; HTTP 503")
        write(graphs)

    monkeypatch.setattr(target, "replace_graphs", failing_third)
    with pytest.raises(StoreError) as raised:
        push(source, target, batch=2_000)
    message = str(raised.value)
    assert "\n" not in message and "run the same command again to resume" in message
    sent_before = sum(calls[:2])
    assert f"pushed {sent_before} of " in message
    monkeypatch.undo()

    resumed = push(source, target, batch=2_000)
    assert resumed.skipped == sent_before, "the graphs of the batches confirmed are not resent"
    assert resumed.graphs == len(sizes) - sent_before
    assert graph_sizes(target) == sizes, "each graph held once: its count as in the store"
    assert_same_quads(target, source)


def s3graph_program() -> str:
    found = shutil.which("s3graph") or str(Path(sys.executable).parent / "s3graph")
    assert Path(found).exists(), "the s3graph command is installed with the package"
    return found


def killed_and_run_again(
    server: Server, arguments: list[str], state: Path
) -> tuple[int, subprocess.CompletedProcess[str]]:
    """``s3graph ARGUMENTS --batch 1`` (a graph a request: a long run) killed with SIGKILL once
    its state file records 3 graphs, then run again: the graphs recorded, and the second run."""
    command = [s3graph_program(), *arguments, "--server", server.kind, "--batch", "1"]
    environ = {**server.environ(), "PATH": str(Path(sys.executable).parent)}
    process = subprocess.Popen(command, env=environ, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists() and len(json.loads(state.read_text())["graphs"]) >= 3:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the command ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    recorded = len(json.loads(state.read_text())["graphs"])
    result = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return recorded, result


def test_a_killed_push_resumes_and_holds_each_graph_once(
    source: Store, target: RemoteStore, request: pytest.FixtureRequest
) -> None:
    """The process killed (SIGKILL) once some batches are recorded; the same command again."""
    server = next(server_of(k, request) for k in SERVERS if k == target.preset.name)
    state = state_path(source.path, target.url)
    arguments = ["--store", str(source.path), "push", "--to", target.url]
    recorded, result = killed_and_run_again(server, arguments, state)
    assert 3 <= recorded < len(graph_sizes(source))
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and f"{recorded} graphs already there" in lines[0], lines
    assert result.stderr == "", "no progress bar when stderr is not a terminal"
    assert graph_sizes(target) == graph_sizes(source)
    assert_same_quads(target, source)


# -- pull ------------------------------------------------------------------------------------


def test_a_pull_into_a_fresh_folder_gives_the_same_quads(
    source: Store, target: RemoteStore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    push(source, target)
    server = next(server_of(k, request) for k in SERVERS if k == target.preset.name)
    folder = tmp_path / "pulled"
    result = CliRunner().invoke(
        main,
        ["--store", str(folder), "pull", "--from", target.url, "--batch", "3000"],
        env={**server.environ(), "S3GRAPH_SERVER": server.kind},
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"pulled {len(graph_sizes(source))} graphs")
    with Store.open(folder, read_only=True) as pulled:
        assert pulled.count() == source.count()
        assert_same_quads(pulled, source)


def test_a_pull_that_fails_part_way_keeps_whole_graphs_and_resumes(
    source: Store, target: RemoteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    push(source, target)
    sizes = graph_sizes(source)
    with Store.open(tmp_path / "local") as local:
        real = target.query

        def failing_later(text: str, *args: Any, **kwargs: Any) -> Any:
            if local.graph_count() >= 3:  # some batches written: the next read refused
                raise StoreError(f"{target.url}: the SPARQL server cannot be queried; HTTP 503")
            return real(text, *args, **kwargs)

        monkeypatch.setattr(target, "query", failing_later)
        with pytest.raises(StoreError) as raised:
            pull(source=target, target=local, batch=2_000)
        message = str(raised.value)
        assert "\n" not in message and "run the same command again to resume" in message
        kept = graph_sizes(local)
        assert f"pulled {len(kept)} of {len(sizes)} graphs" in message
        assert 0 < len(kept) < len(sizes)
        assert all(sizes[iri] == n for iri, n in kept.items()), "every graph written is whole"
        monkeypatch.undo()

        resumed = pull(source=target, target=local, batch=2_000)
        assert resumed.skipped == len(kept), "the graphs written are not read again"
        assert resumed.graphs == len(sizes) - len(kept)
        assert_same_quads(local, source)
        again = pull(source=target, target=local, batch=2_000, full=True)
        assert (again.graphs, again.skipped) == (len(sizes), 0)
        assert_same_quads(local, source)


def test_a_pull_resumes_only_graphs_unchanged_on_both_sides(
    source: Store, target: RemoteStore, tmp_path: Path
) -> None:
    """A graph changed locally since the last pull, or on the server, is read again."""
    push(source, target)
    with Store.open(tmp_path / "local") as local:
        pull(source=target, target=local)
        sizes = graph_sizes(source)
        changed_here, changed_there = list(sizes)[:2]
        lines = graph_lines(local, [changed_here])[changed_here]
        local.replace_graphs([SerialisedGraph(f"<{changed_here}>", lines[1:])])
        there = graph_lines(target, [changed_there])[changed_there]
        target.replace_graphs([SerialisedGraph(f"<{changed_there}>", there[1:])])
        done = pull(source=target, target=local)
        assert (done.graphs, done.skipped) == (2, len(sizes) - 2)
        assert graph_lines(local, [changed_here])[changed_here] == lines
        assert graph_lines(local, [changed_there])[changed_there] == there[1:]


def test_a_killed_pull_resumes_where_it_stopped(
    source: Store, target: RemoteStore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The pull killed (SIGKILL) once some batches are written; the same command again reads
    only the rest, and the store holds every graph once, as on the server."""
    push(source, target)
    server = next(server_of(k, request) for k in SERVERS if k == target.preset.name)
    folder = tmp_path / "pulled"
    state = state_path(folder, target.url, "pull")
    arguments = ["--store", str(folder), "pull", "--from", target.url]
    recorded, result = killed_and_run_again(server, arguments, state)
    assert 3 <= recorded < len(graph_sizes(source))
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and f"{recorded} graphs already there" in lines[0], lines
    with Store.open(folder, read_only=True) as pulled:
        assert pulled.count() == sum(graph_sizes(target).values()), "each graph held once"
        assert_same_quads(pulled, target)


# -- more rows than a server answers -----------------------------------------------------------


def big_graph(iri: str, triples: int) -> SerialisedGraph:
    """A graph of ``triples`` lines of several kinds of term (typed, tagged, plain literals)."""
    lines = []
    for i in range(triples):
        subject = f"<{iri}/item/{i // 3}>"
        kind = i % 3
        if kind == 0:
            obj = f'"item {i}"@en'
        elif kind == 1:
            obj = f'"{i}"^^<http://www.w3.org/2001/XMLSchema#integer>'
        else:
            obj = f'"text {i} with a \\"quote\\""'
        lines.append(f"{subject} <{iri}/p{kind}> {obj} .\n")
    return SerialisedGraph(f"<{iri}>", tuple(sorted(lines)))


def test_a_graph_over_virtuosos_row_cap_goes_both_ways_whole(
    virtuoso_capped_server: Server, tmp_path: Path
) -> None:
    """Virtuoso as packaged answers at most 10,000 rows a query and says so only in a header:
    a graph of 25,000 triples is pushed, pulled and pushed again changed, every triple kept."""
    server = virtuoso_capped_server
    big = "https://example.org/big"
    small = "https://example.org/small"
    with (
        Store.open(tmp_path / "local") as local,
        RemoteStore.open(
            server.url, server=server.kind, environ=server.environ(), limits=TEST_LIMITS
        ) as remote,
    ):
        empty_server(remote)
        local.replace_graphs([big_graph(big, 25_000), big_graph(small, 30)])
        sent = push(local, remote)
        assert (sent.graphs, sent.triples) == (2, 25_030)
        assert graph_sizes(remote) == {big: 25_000, small: 30}
        probe = remote.query(f"SELECT ?s WHERE {{ GRAPH <{big}> {{ ?s ?p ?o }} }}")
        assert len(list(cast(Any, probe))) == PACKAGED_ROWS, "the server caps its answers"

        with Store.open(tmp_path / "pulled") as pulled:
            done = pull(remote, pulled, batch=8_000)
            assert (done.graphs, done.triples) == (2, 25_030)
            assert_same_quads(pulled, local)

        new = {f'<{big}/new/{k}> <{big}/p0> "new" .\n' for k in range(3)}
        changed = tuple(sorted(set(big_graph(big, 20_000).lines[5:]) | new))
        local.replace_graphs([SerialisedGraph(f"<{big}>", changed)])
        again = push(local, remote)
        assert (again.graphs, again.skipped) == (1, 1)
        assert graph_sizes(remote)[big] == len(changed)
        assert_same_quads(remote, local)
        # export reads a graph with dump_graph: whole too
        dumped = remote.dump_graph(big, ox.RdfFormat.N_TRIPLES)
        assert len(list(ox.parse(dumped, format=ox.RdfFormat.N_TRIPLES))) == len(changed)


# -- a server down ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["push", "pull"])
def test_a_down_server_is_one_line_and_exit_3(command: str, source: Store, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    option = "--to" if command == "push" else "--from"
    folder = source.path if command == "push" else tmp_path / "fresh"
    result = CliRunner().invoke(
        main,
        ["--store", str(folder), command, option, url],
        env={"S3GRAPH_STORE_TIMEOUT": "2"},
    )
    assert result.exit_code == StoreError.exit_code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and url in lines[0] and "cannot connect" in lines[0], lines
    if command == "push":
        assert "nothing pushed; run the same command again to resume" in lines[0]
    else:
        assert "nothing pulled" in lines[0] and not folder.exists(), "no store created"


@pytest.mark.parametrize("target", ["virtuoso"], indirect=True)
def test_a_refused_write_is_one_line_without_the_password(
    source: Store, target: RemoteStore, virtuoso_server: Server
) -> None:
    """Virtuoso (emptied: there is something to write) refusing the user's write: one line,
    exit 3, the password never shown."""
    secret = "not-the-password-7f3a"
    result = CliRunner().invoke(
        main,
        ["--store", str(source.path), "push", "--to", virtuoso_server.url, "--full"],
        env={
            "S3GRAPH_SERVER": "virtuoso",
            "S3GRAPH_STORE_USER": "dba",
            "S3GRAPH_STORE_PASSWORD": secret,
            "S3GRAPH_STORE_TIMEOUT": "30",
        },
    )
    assert result.exit_code == StoreError.exit_code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "HTTP 401" in lines[0], lines
    assert "pushed 0 of " in lines[0] and "run the same command again to resume" in lines[0]
    assert secret not in result.output


def test_a_push_without_a_store_is_exit_3_and_creates_none(tmp_path: Path) -> None:
    folder = tmp_path / "none"
    result = CliRunner().invoke(
        main, ["--store", str(folder), "push", "--to", f"http://127.0.0.1:{free_port()}"]
    )
    assert result.exit_code == StoreError.exit_code, result.output
    assert result.output.strip() == f"no store at {folder} (run s3graph ingest first)"
    assert not folder.exists()


@pytest.mark.parametrize("target", ["oxigraph"], indirect=True)
def test_graphs_patterns_choose_what_is_pushed(source: Store, target: RemoteStore) -> None:
    sizes = graph_sizes(source)
    chosen = {iri: n for iri, n in sizes.items() if iri.endswith("/source-text")}
    assert chosen and len(chosen) < len(sizes)
    done = push(source, target, graphs=["*/source-text"])
    assert (done.graphs, done.triples) == (len(chosen), sum(chosen.values()))
    assert graph_sizes(target) == chosen
    rest = push(source, target)
    assert (rest.skipped, rest.graphs) == (len(chosen), len(sizes) - len(chosen))
    assert graph_sizes(target) == sizes
