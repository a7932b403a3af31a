"""``push``: the embedded store's named graphs to a SPARQL server, in batches, resumable.

Each batch is written with :meth:`RemoteStore.replace_graphs`: every graph is *replaced*, never
appended to, so sending a graph twice leaves it once on the server. After each batch the server
confirmed (``replace_graphs`` counts what it holds after writing), its graphs are recorded in the
push's state file (:mod:`.record`). A run skips a graph whose fingerprint is recorded unchanged
*and* whose triple count on the server (one grouped query for all graphs) is still the same;
everything else is sent again. The count is cheap and catches a server emptied or reset since.
A batch cut off half-way is not recorded, and is sent again whole. ``full=True`` ignores the
record (each graph is then compared with the server's triples by ``replace_graphs``, which
writes only those that differ).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
from s3graph.transfer.record import Progress, Run, Transferred, read_state, state_path

__all__ = ["push"]


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
    run = Run(state_file, target.url, {} if full else read_state(state_file, target.url), progress)
    local = chosen(graph_sizes(source), graphs)
    try:
        remote = graph_sizes(target, batch)
    except StoreError as exc:
        raise StoreError(f"{exc}; nothing pushed; run the same command again to resume") from None
    if started is not None:
        started(sum(local.values()))
    todo: list[str] = []
    for iri, size in local.items():
        known = run.record.get(iri)
        if known is not None and known.triples == size == remote.get(iri):
            run.skipped(size)
        else:
            todo.append(iri)
    skipped = len(local) - len(todo)
    for chunk in batches(todo, local, batch):
        sending = as_graphs(chunk, graph_lines(source, chunk, local))
        try:
            target.replace_graphs(sending)
        except StoreError as exc:
            raise StoreError(
                f"{exc}; pushed {run.graphs} of {len(todo)} graphs to send ({skipped} were "
                "already there) before this; run the same command again to resume"
            ) from None
        run.confirmed(sending)
    return run.result(skipped)
