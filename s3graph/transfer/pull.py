"""``pull``: a SPARQL server's named graphs into the embedded store, batch by batch, resumable.

The server's graphs are read a batch at a time (about ``batch`` triples: several small graphs,
or one larger graph alone, read in pages), each graph checked against the server's count of it,
and each batch written at once as ONE write of the embedded store, so memory holds one batch,
not the store, and a reader of the local store sees each graph whole, before or after. After
each batch is written, its graphs are recorded in the pull's state file in the store folder
(:mod:`.record`): a pull cut off (the server gone, the process killed) and run again skips a
graph recorded with the triple count the server still gives and the same fingerprint as the
local store now holds (its lines read again here: cheap, and it catches a graph changed locally
since), and reads the rest. ``full=True`` ignores the record. Graphs the patterns leave out, and
local graphs the server does not hold, are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from s3graph.errors import StoreError
from s3graph.remote import RemoteStore
from s3graph.store import Store
from s3graph.transfer.reading import (
    DEFAULT_BATCH,
    as_graphs,
    batches,
    chosen,
    graph_lines,
    graph_sizes,
)
from s3graph.transfer.record import (
    Fingerprint,
    Progress,
    Run,
    Transferred,
    fingerprint,
    read_state,
    state_path,
)

__all__ = ["pull"]


def pull(
    source: RemoteStore,
    target: Store | Callable[[], Store],
    *,
    batch: int = DEFAULT_BATCH,
    graphs: Sequence[str] = (),
    full: bool = False,
    progress: Progress | None = None,
    started: Callable[[int], None] | None = None,
) -> Transferred:
    """Copy the named graphs of the server ``source`` into ``target``, a batch per write.

    ``target`` may be a function opening the store: it is then called only once the server
    listed its graphs (a pull from a server that is down creates no store folder), and the
    store it gives closed at the end. A failure raises :class:`StoreError` saying how far the
    pull got (every graph written is whole) and that running it again resumes.
    """
    try:
        sizes = chosen(graph_sizes(source, batch), graphs)
    except StoreError as exc:
        raise StoreError(f"{exc}; nothing pulled, the local store is unchanged") from None
    if started is not None:
        started(sum(sizes.values()))
    with _opened(target) as local:
        state_file = state_path(local.path, source.url, "pull")
        record = {} if full else read_state(state_file, source.url)
        run = Run(state_file, source.url, record, progress)
        here = _unchanged(local, record, sizes, batch)
        for iri in here:
            run.skipped(sizes[iri])
        todo = [iri for iri in sizes if iri not in here]
        for chunk in batches(todo, sizes, batch):
            try:
                lines = graph_lines(source, chunk, sizes, batch)
            except StoreError as exc:
                raise StoreError(
                    f"{exc}; pulled {run.graphs} of {len(todo)} graphs to read ({len(here)} "
                    "were already here) before this; run the same command again to resume"
                ) from None
            read = as_graphs(chunk, lines)
            del lines  # memory holds one batch: the next is read into what this one leaves
            local.replace_graphs(read)
            run.confirmed(read)
    return run.result(len(here))


@contextmanager
def _opened(target: Store | Callable[[], Store]) -> Iterator[Store]:
    if isinstance(target, Store):
        yield target
    else:
        with target() as opened:
            yield opened


def _unchanged(
    local: Store, record: Mapping[str, Fingerprint], sizes: Mapping[str, int], batch: int
) -> set[str]:
    """The graphs an earlier pull recorded that are still the same on both sides: the server
    counts as many triples, the local store holds the lines recorded."""
    if not record:
        return set()
    held = graph_sizes(local)
    candidates = [
        iri
        for iri, size in sizes.items()
        if (known := record.get(iri)) is not None and known.triples == size == held.get(iri)
    ]
    same: set[str] = set()
    for chunk in batches(candidates, sizes, batch):
        lines = graph_lines(local, chunk, held)
        same.update(iri for iri in chunk if fingerprint(lines.get(iri, ())) == record[iri])
    return same
