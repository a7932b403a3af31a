"""The NUTS boundaries a page draws, read through the query pool and kept per data version.

Pages run their queries in the query workers (the store may be a remote SPARQL server, with no
folder to read), so the boundaries come with two named queries: ``page-boundary-versions`` (which
NUTS versions are stored, their title, notice and source: a few rows, asked on every page) and
``page-boundaries`` (the WKT of every region of one version: a few MB, asked once per data
version). Reading and parsing a whole version costs over a second, so the WKT is kept:

* per query pool: the server builds a new pool for every new state of the data
  (:mod:`s3graph.api.live`), so a pool's boundaries never go stale while it serves, and they go
  with it;
* checked against the version's row of ``page-boundary-versions`` (title, source, notice), so a
  version loaded again from another file is read again;
* for a pool over a remote SPARQL server, whose data can change under it unannounced, for at most
  :data:`REMOTE_TTL` seconds.

Each region's WKT is parsed the first time a map draws it, not before: a partnership's map needs
its regions and the countries around them, not all 2,744 regions.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from s3graph.api.reader import PooledReader
from s3graph.api.views import rows
from s3graph.sparql import Queryable
from s3graph.vocab.boundaries import ATTRIBUTION, Shape, parse_wkt

__all__ = ["REMOTE_TTL", "BoundaryVersion", "Shapes", "boundary_versions", "shapes_of"]

#: Seconds the boundaries read from a remote SPARQL server are kept.
REMOTE_TTL = 600.0


@dataclass(frozen=True, slots=True)
class BoundaryVersion:
    """One stored version of the boundaries, as ``page-boundary-versions`` lists it."""

    version: int
    title: str
    rights: str
    source: str


class Shapes(Mapping[str, Shape]):
    """The shapes of one version by NUTS code, each parsed from its WKT on first use."""

    def __init__(self, wkt: dict[str, str]) -> None:
        self._wkt = wkt
        self._parsed: dict[str, Shape] = {}
        self._lock = threading.Lock()

    def __getitem__(self, code: str) -> Shape:
        shape = self._parsed.get(code)
        if shape is None:
            shape = parse_wkt(self._wkt[code])  # KeyError for a code not stored
            with self._lock:
                self._parsed[code] = shape
        return shape

    def __iter__(self) -> Iterator[str]:
        return iter(self._wkt)

    def __len__(self) -> int:
        return len(self._wkt)

    def __contains__(self, code: object) -> bool:
        return code in self._wkt


@dataclass(slots=True)
class _Kept:
    about: BoundaryVersion
    shapes: Shapes
    read_at: float = field(default_factory=time.monotonic)


#: Boundaries read, per pool (or per store when a page is given a store itself), by version.
_KEPT: weakref.WeakKeyDictionary[Any, dict[int, _Kept]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def boundary_versions(store: Queryable, *, base: str) -> list[BoundaryVersion]:
    """The NUTS versions whose boundaries are stored, oldest first (none: no map can be drawn)."""
    return [
        BoundaryVersion(
            version=int(row["version"]),
            title=row["title"] or "",
            rights=row["rights"] or ATTRIBUTION,
            source=row["source"] or "",
        )
        for row in rows(store, "page-boundary-versions", {}, base=base)
        if row["version"] is not None
    ]


def shapes_of(store: Queryable, about: BoundaryVersion, *, base: str) -> Shapes:
    """The shapes of the stored version ``about``, read once per data version (see above)."""
    owner = store.pool if isinstance(store, PooledReader) else store
    remote = bool(getattr(owner, "networked", False))
    with _LOCK:
        kept = _kept_by(owner).get(about.version)
    fresh = kept is not None and kept.about == about
    if fresh and kept is not None and remote and time.monotonic() - kept.read_at > REMOTE_TTL:
        fresh = False
    if fresh and kept is not None:
        return kept.shapes
    shapes = Shapes(_read_wkt(store, about.version, base=base))
    with _LOCK:
        _kept_by(owner)[about.version] = _Kept(about, shapes)
    return shapes


def _kept_by(owner: object) -> dict[int, _Kept]:
    try:
        return _KEPT.setdefault(owner, {})
    except TypeError:  # an owner that cannot be weakly referred to: nothing kept
        return {}


def _read_wkt(store: Queryable, version: int, *, base: str) -> dict[str, str]:
    """Every region's WKT of ``version``, with no row cap: a map needs all of its regions."""
    if isinstance(store, PooledReader):
        store = PooledReader(store.pool, arrived=store.arrived, max_rows=None)
    found = rows(store, "page-boundaries", {"version": str(version)}, base=base)
    return {row["code"]: row["wkt"] for row in found if row["code"] and row["wkt"]}
