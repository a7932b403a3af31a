"""The on-disk store: opening, whole-graph replacement in one transaction, snapshot reads."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace

import s3graph.store as store_module
from s3graph.errors import StoreError
from s3graph.mapping import NamedTriples
from s3graph.store import SerialisedGraph, Store, Term, replace_update, serialise, to_oxigraph

EX = Namespace("http://example.org/")
#: XML Schema datatypes (a plain Namespace: pytest trips over rdflib's closed XSD namespace).
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def select(store: Store, text: str, substitutions: Mapping[str, Term] | None = None) -> Any:
    """The solutions of a SELECT run on ``store``."""
    result = store.query(text, substitutions)
    assert isinstance(result, ox.QuerySolutions)
    return result


def graph(name: str, n: int, version: object = 1) -> Graph:
    """A graph ``EX[name]`` of ``2 * n`` triples, each subject tagged with ``version``."""
    g = Graph(identifier=EX[name])
    for i in range(n):
        g.add((EX[f"{name}/s{i}"], EX.value, Literal(f"{name} {i}")))
        g.add((EX[f"{name}/s{i}"], EX.version, Literal(version)))
    return g


def quads(store: Store) -> set[tuple[str, ...]]:
    """Every quad of the store, as N-Triples term strings."""
    return {tuple(str(solution[v]) for v in "gspo") for solution in select(store, ALL_QUADS)}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


# -- opening -----------------------------------------------------------------------------------


def test_open_creates_the_folder_and_reopens_after_close(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b"
    with Store.open(path) as store:
        assert store.path == path
        store.replace_graphs([graph("g", 3)])
    assert path.is_dir()
    with Store.open(path) as again:
        assert again.count() == 6
        assert again.graphs() == [str(EX.g)]


def test_a_locked_store_is_a_store_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path), pytest.raises(StoreError, match="locked") as caught:
        Store.open(path)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 3


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("not a store")
    with pytest.raises(StoreError, match="not a folder") as caught:
        Store.open(path)
    assert str(path) in str(caught.value)


def test_a_folder_of_other_data_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "junk"
    path.mkdir()
    (path / "CURRENT").write_text("garbage")
    with pytest.raises(StoreError, match="not an s3graph store"):
        Store.open(path)


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no store at .* \(run s3graph ingest first\)"):
        Store.open(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


def test_read_only_store_reads_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.replace_graphs([graph("g", 2)])
    with Store.open(path, read_only=True) as reader:
        assert reader.count() == 4
        assert reader.read_only


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    store.close()
    store.close()  # twice is harmless
    with pytest.raises(StoreError, match="closed"):
        store.count()


# -- replacing ---------------------------------------------------------------------------------


def test_replace_drops_the_old_content_of_each_graph_only(store: Store) -> None:
    store.replace_graphs([graph("a", 5), graph("b", 4)])
    assert (store.count(), store.graph_count()) == (18, 2)
    store.replace_graphs([graph("a", 2, version=2)])
    assert store.count() == 4 + 8
    values = {str(s[0].value) for s in select(store, f"SELECT ?v WHERE {{ ?s <{EX.version}> ?v }}")}
    assert values == {"1", "2"}  # b keeps version 1, a was rewritten with version 2
    a_only = select(store, f"SELECT ?s WHERE {{ GRAPH <{EX.a}> {{ ?s <{EX.version}> 1 }} }}")
    assert list(a_only) == []


def test_replacing_twice_leaves_the_same_quads(store: Store) -> None:
    graphs = [graph("a", 5), graph("b", 4)]
    store.replace_graphs(graphs)
    first = quads(store)
    store.replace_graphs(graphs)
    assert quads(store) == first
    assert store.count() == len(first) == 18


def test_an_empty_graph_removes_the_named_graph(store: Store) -> None:
    store.replace_graphs([graph("a", 1), graph("b", 1)])
    store.replace_graphs([Graph(identifier=EX.a)])
    assert store.graphs() == [str(EX.b)]
    assert store.graph_count() == 1


def test_graphs_are_listed_sorted(store: Store) -> None:
    store.replace_graphs([graph("c", 1), graph("a", 1), graph("b", 1)])
    assert store.graphs() == [str(EX.a), str(EX.b), str(EX.c)]


def test_literals_survive_the_round_trip(store: Store) -> None:
    g = Graph(identifier=EX.g)
    texts = ['quote " and \\ backslash', "line\nbreak\ttab", "Castilla y León ☃", ""]
    for i, text in enumerate(texts):
        g.add((EX[f"s{i}"], EX.text, Literal(text)))
    g.add((EX.s, EX.lang, Literal("Kastilien", lang="de")))
    g.add((EX.s, EX.day, Literal("2020-06-30", datatype=XSD.date)))
    g.add((EX.s, EX.n, Literal(7)))
    store.replace_graphs([g])
    stored = {str(s["o"].value) for s in select(store, f"SELECT ?o WHERE {{ ?s <{EX.text}> ?o }}")}
    assert stored == set(texts)
    assert set(quads(store)) == {
        (f"<{EX.g}>", to_oxigraph(s).__str__(), to_oxigraph(p).__str__(), str(to_oxigraph(o)))
        for s, p, o in g
    }
    (day,) = select(store, f'SELECT ?o WHERE {{ ?s <{EX.lang}> "Kastilien"@de ; <{EX.day}> ?o }}')
    assert day["o"] == ox.Literal("2020-06-30", datatype=ox.NamedNode(str(XSD.date)))


def test_a_blank_node_is_refused_and_nothing_changes(store: Store) -> None:
    store.replace_graphs([graph("a", 3)])
    before = quads(store)
    bad = graph("a", 1, version=2)
    bad.add((BNode(), EX.p, Literal("x")))
    with pytest.raises(ValueError, match="blank node"):
        store.replace_graphs([graph("b", 2), bad])
    assert quads(store) == before


@pytest.mark.parametrize(
    ("graphs", "message"),
    [
        ([Graph(), graph("a", 1)], "named by an IRI"),
        ([graph("a", 1), graph("a", 2)], "several graphs named"),
    ],
    ids=["unnamed", "twice"],
)
def test_badly_named_graphs_are_refused(store: Store, graphs: list[Graph], message: str) -> None:
    store.replace_graphs([graph("a", 3)])
    with pytest.raises(ValueError, match=message):
        store.replace_graphs(graphs)
    assert store.count() == 6


def test_a_write_failing_midway_is_rolled_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deletes and inserts already done when the request fails are undone with it."""
    store.replace_graphs([graph("a", 3), graph("b", 3)])
    before = quads(store)

    def failing_after_the_writes(graphs: list[SerialisedGraph], old: Any = None) -> str:
        # CREATE GRAPH (not SILENT) of a graph that exists fails when it runs, after the rest.
        return replace_update(graphs, old) + f" ;\nCREATE GRAPH <{EX.a}>"

    monkeypatch.setattr(store_module, "replace_update", failing_after_the_writes)
    with pytest.raises(RuntimeError, match="already exists"):
        store.replace_graphs([graph("a", 1, version=2), graph("c", 4)])
    assert quads(store) == before
    assert store.graphs() == [str(EX.a), str(EX.b)]


def test_the_update_is_one_request_of_drops_deletes_then_inserts() -> None:
    new = [serialise(graph("a", 2, 2)), serialise(graph("b", 1)), serialise(Graph(identifier=EX.c))]
    old = {f"<{EX.a}>": set(serialise(graph("a", 3, 1)).lines)}
    text = replace_update(new, old)
    assert text.count("DROP SILENT GRAPH") == 1
    assert text.count("DELETE DATA") == text.count("INSERT DATA") == 1
    assert text.index("DROP") < text.index("DELETE DATA") < text.index("INSERT DATA")
    # a: values of s0 and s1 stay; their old versions and all of s2 go (4), new versions come (2);
    # b is new (2).
    assert text.count(" .\n") == 4 + 2 + 2
    ox.Store().update(text)  # valid SPARQL Update
    assert replace_update([serialise(graph("a", 3, 1))], old) == ""  # nothing changed


def test_replacing_an_unchanged_graph_writes_nothing_but_keeps_it(store: Store) -> None:
    store.replace_graphs([graph("a", 50)])
    before = quads(store)
    store.replace_graphs([graph("a", 50)])
    assert quads(store) == before


def test_a_canonicalised_literal_is_replaced_correctly(store: Store) -> None:
    """Oxigraph stores +00:00 as Z: the diff deletes and re-inserts it, ending as before."""
    g = Graph(identifier=EX.g)
    g.add((EX.s, EX.t, Literal("2024-05-06T07:08:09+00:00", datatype=XSD.dateTime)))
    g.add((EX.s, EX.n, Literal(1)))
    store.replace_graphs([g])
    before = quads(store)
    store.replace_graphs([g])
    assert quads(store) == before
    assert store.count() == 2


def test_named_triples_are_stored_like_graphs(store: Store) -> None:
    g = graph("a", 3)
    # rdflib types a graph's triples as (Node, Node, Node); these are (URIRef, URIRef, Literal)
    store.replace_graphs([NamedTriples(EX.a, cast(Any, list(g)))])
    as_triples = quads(store)
    store.replace_graphs([g])
    assert quads(store) == as_triples
    assert store.count() == 6


class _Calls:
    """A pyoxigraph store that records which writing method the wrapper called."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name in ("bulk_load", "load", "update"):
            self.calls.append(name)
        return getattr(self.inner, name)

    def __len__(self) -> int:
        return len(self.inner)


@pytest.mark.parametrize(("limit", "method"), [(10_000, "bulk_load"), (0, "load")])
def test_new_graphs_are_written_in_one_call_of_the_right_kind(
    store: Store, monkeypatch: pytest.MonkeyPatch, limit: int, method: str
) -> None:
    monkeypatch.setattr(store_module, "ATOMIC_BULK_LIMIT", limit)
    recorder = _Calls(store._store)
    monkeypatch.setattr(store, "_inner", recorder)
    store.replace_graphs([graph("a", 10), graph("b", 10)])
    assert recorder.calls == [method]
    assert store.count() == 40
    store.replace_graphs([graph("a", 5, version=2)])  # an existing graph: a transaction
    assert recorder.calls == [method, "update"]
    assert store.count() == 30


def test_readers_see_new_graphs_whole_or_not_at_all(store: Store) -> None:
    """Bulk writes of new graphs, with a reader counting what it sees meanwhile."""
    size, writes = 3000, 12
    query = (
        f"SELECT ?g (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{EX.version}> ?v }} }} GROUP BY ?g"
    )
    problems: list[str] = []
    reads = 0
    done = threading.Event()

    def read() -> None:
        nonlocal reads
        while not done.is_set():
            counts = {s["g"].value: int(s["n"].value) for s in select(store, query)}
            reads += 1
            if any(n != size for n in counts.values()):
                problems.append(f"half-written graph: {counts}")
            runs = {g.rsplit("/", 1)[-1][:-1] for g in counts}
            if any(f"{EX}{run}a" not in counts or f"{EX}{run}b" not in counts for run in runs):
                problems.append(f"one graph of a write without the other: {sorted(counts)}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for k in range(writes):
            store.replace_graphs([graph(f"w{k}a", size), graph(f"w{k}b", size)])
    finally:
        done.set()
        reader.join()
    assert problems == []
    assert store.graph_count() == 2 * writes
    assert reads >= writes // 2, f"the reader ran only {reads} times: no real overlap"


# -- reading -----------------------------------------------------------------------------------


def test_query_sees_the_union_of_named_graphs_and_binds_substitutions(store: Store) -> None:
    store.replace_graphs([graph("a", 2), graph("b", 2, version=2)])
    text = f"SELECT ?s ?v WHERE {{ ?s <{EX.version}> ?v }} ORDER BY ?s"
    assert len(list(select(store, text))) == 4
    bound = select(store, text, {"v": ox.Literal("2", datatype=ox.NamedNode(str(XSD.integer)))})
    assert [s["s"].value for s in bound] == [str(EX["b/s0"]), str(EX["b/s1"])]


def test_readers_see_every_old_graph_or_every_new_one_never_a_mix(store: Store) -> None:
    """A reader thread queries while the writer replaces two graphs of changing sizes.

    Each write puts version ``k`` in both graphs, with ``sizes[k % 2]`` subjects each; a reader must
    always find one version only, and each graph complete for it.
    """
    sizes = (300, 120)
    writes = 40
    store.replace_graphs([graph("a", sizes[0], 0), graph("b", sizes[0], 0)])
    query = (
        f"SELECT ?g ?v (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{EX.version}> ?v }} }} "
        "GROUP BY ?g ?v"
    )
    problems: list[str] = []
    reads = 0
    done = threading.Event()

    def read() -> None:
        nonlocal reads
        while not done.is_set():
            rows = [
                (s["g"].value, int(s["v"].value), int(s["n"].value)) for s in select(store, query)
            ]
            reads += 1
            versions = {v for _, v, _ in rows}
            if len(versions) != 1 or len(rows) != 2:
                problems.append(f"mixed state: {rows}")
            elif any(n != sizes[v % 2] for _, v, n in rows):
                problems.append(f"half-written graph: {rows}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for k in range(1, writes + 1):
            store.replace_graphs([graph("a", sizes[k % 2], k), graph("b", sizes[k % 2], k)])
    finally:
        done.set()
        reader.join()
    assert problems == []
    assert reads >= writes // 2, f"the reader ran only {reads} times: no real overlap"


def test_an_in_memory_copy_answers_like_the_disk_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as disk:
        disk.replace_graphs([graph("a", 20), graph("b", 5, version=2)])
        on_disk = quads(disk)
    copy = Store.in_memory_copy(path)
    assert copy.read_only and quads(copy) == on_disk and copy.graph_count() == 2
    with Store.open(path) as disk:  # the copy holds no lock, and later writes stay on disk
        disk.replace_graphs([graph("c", 1)])
    assert quads(copy) == on_disk
    empty = tmp_path / "empty"
    Store.open(empty).close()
    assert Store.in_memory_copy(empty).count() == 0


def test_a_read_only_open_that_races_a_compaction_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer's compaction may delete a file the manifest names before the view opens it."""
    Store.open(tmp_path / "s").close()
    real = ox.Store.read_only
    failures = iter(["Corruption: IO error: No such file or directory: 000009.sst"] * 2)
    calls = []

    def flaky(path: str) -> ox.Store:
        calls.append(path)
        message = next(failures, None)
        if message is not None:
            raise OSError(message)
        return real(path)

    monkeypatch.setattr(store_module.ox.Store, "read_only", staticmethod(flaky))
    with Store.open(tmp_path / "s", read_only=True) as view:
        assert view.count() == 0
    assert len(calls) == 3


def test_a_read_only_open_of_a_broken_store_fails_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(tmp_path / "s").close()
    calls = []

    def broken(path: str) -> ox.Store:
        calls.append(path)
        raise OSError("Corruption: bad magic number")

    monkeypatch.setattr(store_module.ox.Store, "read_only", staticmethod(broken))
    with pytest.raises(StoreError, match="not an s3graph store"):
        Store.open(tmp_path / "s", read_only=True)
    assert len(calls) == 1
