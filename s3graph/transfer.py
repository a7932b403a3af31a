"""Named graphs between the embedded store and a SPARQL server: :func:`push` and :func:`pull`.

Both copy whole named graphs, every one the store holds (reports, their validation and
source-text graphs, the vocabularies), or those matching ``graphs`` patterns, in batches of about
``batch`` triples (a graph is never split: it is the unit a reader must see whole).

**push** writes each batch with :meth:`RemoteStore.replace_graphs`: every graph is *replaced*,
never appended to, so sending a graph twice leaves it once on the server. Resuming is recorded
in a small state file per server, in the store's folder (:func:`state_path`): after each batch
the server confirmed (``replace_graphs`` counts what it holds after writing), each of its graphs
is written there with its fingerprint, the triple count and a SHA-256 of its sorted N-Triples
lines as the embedded store writes them. A run skips a graph whose fingerprint is recorded
unchanged *and* whose triple count on the server (one grouped query for all graphs) is still
the same; everything else is sent again. Why a state file rather than a digest computed on the
server: SPARQL has no digest of a graph, so the server would have to send every triple back
to be hashed here, and a server writes some literals in its own forms (the digest would differ
for the same graph); the count is cheap and catches a server that was emptied or reset since.
A batch cut off half-way (the process killed, the server gone) is not recorded, and is sent
again whole. ``full=True`` ignores the record (each graph is then compared with the server's
triples by ``replace_graphs``, which writes only those that differ).

**pull** reads the server's graphs batch by batch (one SELECT each, every graph checked against
the server's count of it) and writes them all into the embedded store in ONE write, as ingest
does: the local store gets every graph pulled or none. Graphs the other side holds and the
patterns leave out are left alone on both sides.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pyoxigraph as ox

from s3graph.errors import StoreError
from s3graph.rdf.graphs import SerialisedGraph
from s3graph.remote import RemoteStore
from s3graph.remote.binding import write_term
from s3graph.store import Store

__all__ = [
    "DEFAULT_BATCH",
    "Fingerprint",
    "Transferred",
    "fingerprint",
    "pull",
    "push",
    "state_path",
]

#: triples per batch: below Virtuoso's default ``ResultSetMaxRows`` (10,000), which would cut a
#: larger read short (the count check would then say so)
DEFAULT_BATCH = 10_000

#: where push records, per server, the graphs it wrote (a folder inside the store's)
STATE_FOLDER = "S3GRAPH-PUSHED"

AnyStore = Store | RemoteStore
#: told after each graph is done (sent, skipped or read): its triples
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a graph holds, in short: its triple count and a digest of its sorted lines."""

    triples: int
    sha256: str


def fingerprint(lines: Iterable[str]) -> Fingerprint:
    """The fingerprint of a graph's N-Triples lines (any order; each distinct line once)."""
    ordered = sorted(set(lines))
    digest = hashlib.sha256()
    for line in ordered:
        digest.update(line.encode("utf-8"))
    return Fingerprint(len(ordered), digest.hexdigest())


@dataclass(frozen=True, slots=True)
class Transferred:
    """What a push or pull did: graphs and triples copied, graphs skipped as already there."""

    graphs: int
    triples: int
    skipped: int
    batches: int
    #: the push's state file (None for a pull)
    state: Path | None = None

    def line(self, verb: str, where: str) -> str:
        """The summary a user reads: ``pushed 40 graphs (12345 triples) to URL in 3 batches``."""
        text = f"{verb} {self.graphs} graphs ({self.triples} triples) {where}"
        text += f" in {self.batches} batch{'es' if self.batches != 1 else ''}"
        if self.skipped:
            text += f"; {self.skipped} graphs already there, unchanged"
        return text


def state_path(folder: Path, url: str) -> Path:
    """The state file of pushes from the store in ``folder`` to the server at ``url``."""
    key = hashlib.sha256(url.rstrip("/").encode("utf-8")).hexdigest()[:16]
    return Path(folder) / STATE_FOLDER / f"{key}.json"


# -- push ----------------------------------------------------------------------------------------


def push(
    source: Store,
    target: RemoteStore,
    *,
    batch: int = DEFAULT_BATCH,
    graphs: Sequence[str] = (),
    full: bool = False,
    progress: Progress | None = None,
    started: Callable[[int], None] | None = None,
) -> Transferred:
    """Copy the named graphs of ``source`` (those matching ``graphs``, else all) to ``target``.

    ``started`` is told the triples of the whole run before the first batch, ``progress`` the
    triples of each graph done. A failure raises :class:`StoreError` saying how far the push got
    and that running it again resumes.
    """
    state_file = state_path(source.path, target.url)
    record = {} if full else _read_state(state_file, target.url)
    local = _chosen(graph_sizes(source), graphs)
    try:
        remote = graph_sizes(target)
    except StoreError as exc:
        raise StoreError(f"{exc}; nothing pushed; run the same command again to resume") from None
    if started is not None:
        started(sum(local.values()))
    todo: list[str] = []
    skipped = 0
    for iri, size in local.items():
        known = record.get(iri)
        if known is not None and known.triples == size == remote.get(iri):
            skipped += 1
            if progress is not None:
                progress(size)
        else:
            todo.append(iri)
    sent = triples = batches = 0
    for chunk in _batches(todo, local, batch):
        lines = graph_lines(source, chunk)
        serialised = [SerialisedGraph(write_term(ox.NamedNode(i)), lines.get(i, ())) for i in chunk]
        try:
            target.replace_graphs(serialised)
        except StoreError as exc:
            raise StoreError(
                f"{exc}; pushed {sent} of {len(todo)} graphs to send ({skipped} were already "
                f"there) before this; run the same command again to resume"
            ) from None
        for graph in serialised:
            record[graph.iri] = fingerprint(graph.lines)
        _write_state(state_file, target.url, record)
        sent += len(chunk)
        triples += sum(len(g) for g in serialised)
        batches += 1
        if progress is not None:
            for graph in serialised:
                progress(len(graph))
    return Transferred(sent, triples, skipped, batches, state_file)


def _read_state(path: Path, url: str) -> dict[str, Fingerprint]:
    """The graphs recorded as pushed to ``url`` (none when the file is missing or unreadable:
    everything is then compared again, never skipped on a guess)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("server") != url.rstrip("/"):
            return {}
        return {
            iri: Fingerprint(int(entry["triples"]), str(entry["sha256"]))
            for iri, entry in data["graphs"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_state(path: Path, url: str, record: Mapping[str, Fingerprint]) -> None:
    """Rewrite the state file whole (a temporary file renamed over it: never half written)."""
    data = {
        "server": url.rstrip("/"),
        "graphs": {
            iri: {"triples": f.triples, "sha256": f.sha256} for iri, f in sorted(record.items())
        },
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise StoreError(f"{path}: cannot record the push's progress ({exc.strerror})") from None


# -- pull ----------------------------------------------------------------------------------------


def pull(
    source: RemoteStore,
    target: Store | Callable[[], Store],
    *,
    batch: int = DEFAULT_BATCH,
    graphs: Sequence[str] = (),
    progress: Progress | None = None,
    started: Callable[[int], None] | None = None,
) -> Transferred:
    """Copy the named graphs of the server ``source`` into ``target``, all in one write.

    Nothing is written locally until every graph has been read and counted; a failure raises
    :class:`StoreError` and leaves ``target`` as it was. ``target`` may be a function opening
    the store: it is then called only once everything was read (a pull from a server that is
    down creates no store folder), and the store it gives closed after the write.
    """
    try:
        sizes = _chosen(graph_sizes(source), graphs)
    except StoreError as exc:
        raise StoreError(f"{exc}; nothing pulled, the local store is unchanged") from None
    if started is not None:
        started(sum(sizes.values()))
    read: list[SerialisedGraph] = []
    batches = 0
    for chunk in _batches(list(sizes), sizes, batch):
        try:
            lines = graph_lines(source, chunk)
        except StoreError as exc:
            raise StoreError(
                f"{exc}; read {len(read)} of {len(sizes)} graphs, nothing written to the "
                f"local store; run the same command again"
            ) from None
        batches += 1
        for iri in chunk:
            got = lines.get(iri, ())
            if len(got) != sizes[iri]:
                raise StoreError(
                    f"{source.url}: the server gave {len(got)} of the {sizes[iri]} triples of "
                    f"<{iri}> (a limit on result rows, or a write meanwhile?); nothing written "
                    "to the local store; run again, with a smaller --batch if it persists"
                )
            read.append(SerialisedGraph(write_term(ox.NamedNode(iri)), got))
            if progress is not None:
                progress(len(got))
    if isinstance(target, Store):
        target.replace_graphs(read)
    else:
        with target() as opened:
            opened.replace_graphs(read)
    return Transferred(len(read), sum(len(g) for g in read), 0, batches)


# -- both ----------------------------------------------------------------------------------------


def graph_sizes(store: AnyStore) -> dict[str, int]:
    """Triples per named graph, in IRI order (a server's own graphs left out)."""
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    results = store.query(text)
    assert isinstance(results, ox.QuerySolutions)
    own = store.preset.system_graphs if isinstance(store, RemoteStore) else frozenset()
    sizes: dict[str, int] = {}
    for row in results:
        graph, count = row["g"], row["n"]
        if isinstance(graph, ox.NamedNode) and graph.value not in own:
            sizes[graph.value] = int(count.value) if isinstance(count, ox.Literal) else 0
    return dict(sorted(sizes.items()))


def graph_lines(store: AnyStore, iris: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The triples of each graph of ``iris`` as sorted N-Triples lines, read in one query."""
    if not iris:
        return {}
    values = " ".join(write_term(ox.NamedNode(iri)) for iri in iris)
    text = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    results = store.query(text)
    assert isinstance(results, ox.QuerySolutions)
    lines: dict[str, set[str]] = {}
    for row in results:
        graph = row["g"]
        if any(isinstance(row[v], ox.BlankNode) for v in ("s", "o")):
            raise StoreError(
                f"{store.path}: <{_value(graph)}> holds blank nodes, which s3graph's stores do "
                "not keep (leave the graph out with --graphs)"
            )
        lines.setdefault(_value(graph), set()).add(f"{row['s']} {row['p']} {row['o']} .\n")
    return {iri: tuple(sorted(found)) for iri, found in lines.items()}


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""


def _chosen(sizes: Mapping[str, int], patterns: Sequence[str]) -> dict[str, int]:
    """The graphs whose IRI matches one of ``patterns`` (shell-style, ``*`` any text), or all."""
    if not patterns:
        return dict(sizes)
    return {g: n for g, n in sizes.items() if any(fnmatchcase(g, p) for p in patterns)}


def _batches(iris: Sequence[str], sizes: Mapping[str, int], batch: int) -> list[list[str]]:
    """``iris`` in order, cut into runs of about ``batch`` triples (a larger graph alone)."""
    if batch < 1:
        raise ValueError("a batch holds at least one triple")
    runs: list[list[str]] = []
    current: list[str] = []
    filled = 0
    for iri in iris:
        if current and filled + sizes[iri] > batch:
            runs.append(current)
            current, filled = [], 0
        current.append(iri)
        filled += sizes[iri]
    if current:
        runs.append(current)
    return runs
