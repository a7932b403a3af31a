"""The in-memory copy of a store that the mother keeps in step with it, graph by graph.

A server following its store (:mod:`s3graph.api.live`) needs a copy of the store as it is now at
every change. Copying all of it costs 1-1.5 s of CPU per 100,000 quads, however little changed.
So the copy lives in the :class:`~s3graph.querypool.mother.Mother`, which :func:`kept_copy` runs
in (a pool's ``prepare``, ``in_mother``): the first call copies the whole store, each later call
re-reads only the graphs that the writes since logged (:func:`s3graph.store.changes_since`), and
the zygote forked next shares the result copy-on-write. Zygotes forked before keep what they
saw: the mother's changes touch only its own pages.

Why it is exact: the marker's last committed write is read first, the store opened after (so it
holds that write at least), and the log read last (every write committed in what was opened had
logged its graphs before it ran). Lines after that write are read again next time: a write
logged but not yet committed when the store was opened is caught then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from s3graph.store import Store, changes_since, read_change

__all__ = ["kept_copy"]


@dataclass(slots=True)
class _Kept:
    store: Store
    #: The last write committed that the copy holds (None: not known; copied whole next time).
    token: str | None


#: The copies kept in this process (the mother), by store folder.
_KEPT: dict[Path, _Kept] = {}


def kept_copy(path: Path) -> Store:
    """An in-memory copy of the store at ``path`` as it is now, updated in place since the last
    call in this process (call it in the mother only: the copy changes under its holders)."""
    path = Path(path).resolve()
    change = read_change(path)
    with Store.open(path, read_only=True) as disk:
        kept = _KEPT.get(path)
        graphs = None if kept is None or kept.token is None else changes_since(path, kept.token)
        if kept is None or graphs is None:
            kept = _KEPT[path] = _Kept(Store.copy_of(disk), None)
        else:
            kept.store.refresh_graphs(disk, sorted(graphs))
        kept.token = change.token if change is not None else None
    return kept.store
