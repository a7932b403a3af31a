"""Live data: a running server follows its store, and says as of when its data is.

Every committed write to a store leaves a change marker in its folder
(:func:`s3graph.store.mark_changed`: ingest, remove, vocab load, check, ``/update`` alike).
:class:`Follower` polls it on a thread of its own (every :data:`POLL` seconds: a read of a
tiny file). On a change it builds a NEW query pool over the data as it is now, while the old pool
keeps answering: its zygote is forked by the :class:`~s3graph.querypool.mother.Mother` (the
server has threads by then; forking it would be unsafe). In memory, the mother first brings its
copy of the store up to date, re-reading only the graphs the writes logged
(:mod:`s3graph.api.kept`), and the zygote shares that copy; on disk, the workers open the store
afresh. One query through the new pool starts a worker; then ``app.state.pool`` is swapped (one
attribute: atomic) and the old pool handed over to the new
(:meth:`~s3graph.querypool.QueryPool.hand_over`): a request that still holds it is served by
the new one, its running queries finish on the old data, and it closes once they have. So no
request fails during a switch, and the data is at most a poll plus the re-read behind.

Memory: the mother holds one copy; each zygote shares it as it was when forked. The graphs a
switch re-reads are held twice until the old pool has closed; a whole copy (at start, after a
SPARQL update, or when the change log was started afresh) is held twice meanwhile.

A pool carries the time of the change it serves (``QueryPool.as_of``); the pages' footer and
the ``X-S3graph-Data-As-Of`` header of every answer say it. No ``Last-Modified``: without
``Cache-Control`` browsers would cache pages heuristically, and show old data once new is in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from s3graph.api.execute import QueryJob
from s3graph.querypool import QueryPool
from s3graph.store import Store, StoreChange, read_change

__all__ = ["AS_OF_HEADER", "DataAsOf", "Follower", "as_of_text", "data_as_of"]

logger = logging.getLogger(__name__)

#: Seconds between two looks at the store's change marker.
POLL = 0.5
#: The header of every answer saying when its data was current (ISO 8601, UTC).
AS_OF_HEADER = "X-S3graph-Data-As-Of"
#: What a new pool answers before it is swapped in: a worker is up and the store is readable.
_PROBE = QueryJob("ASK { ?s ?p ?o }")

#: Makes a pool over the store as it is now, stamped with ``as_of``.
BuildPool = Callable[[datetime], QueryPool]


class Follower:
    """Swaps ``state.pool`` (and ``state.store``, given ``reopen``) when the store changes."""

    def __init__(
        self,
        store: Path,
        build: BuildPool,
        *,
        reopen: Callable[[], Store] | None = None,
        poll: float = POLL,
    ) -> None:
        self.state: Any = None  # the app's state, given to start()
        self.store = Path(store)
        self.build = build
        self.reopen = reopen
        self.poll = poll
        #: The change served now (None: the store recorded none yet).
        self.change = read_change(self.store)
        self._handed_over: list[QueryPool] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._follow, name="s3graph-follow", daemon=True)

    def first_pool(self) -> QueryPool:
        """The pool to start with, over the store as it is now."""
        return self.build(_as_of(self.change))

    def start(self, state: Any) -> None:
        """Follow the store, swapping ``state.pool`` (an app's state, holding the first pool)."""
        self.state = state
        self._thread.start()

    def _follow(self) -> None:
        said = ""
        while not self._stop.wait(self.poll):
            change = read_change(self.store)
            if change is None or change == self.change:
                continue
            try:
                self._switch(change)
            except Exception as exc:  # the old pool goes on; the next look tries again
                if not self._stop.is_set() and str(exc) != said:  # said once, not every look
                    said = str(exc)
                    logger.warning("s3graph: could not take up the new data (%s)", exc)

    def _switch(self, change: StoreChange) -> None:
        seen = time.monotonic()
        pool = self.build(_as_of(change))
        try:
            pool.run(_PROBE).result()
            store = self.reopen() if self.reopen is not None else None
        except BaseException:
            pool.close()
            raise
        with self._lock:
            if self._stop.is_set():
                pool.close()
                return
            old, self.state.pool = self.state.pool, pool
            if store is not None:
                self.state.store = store  # the old one closes with its last reader
            self.change = change
            old.hand_over(pool)
            self._handed_over = [p for p in self._handed_over if not p.closed] + [old]
        took = time.monotonic() - seen
        logger.info("s3graph: serving the data as of %s (%.2f s)", as_of_text(pool.as_of), took)

    def stop(self) -> None:
        """Stop following and close every pool, the current one too: their workers are killed
        at once (a query running in them cannot be cancelled otherwise)."""
        with self._lock:
            self._stop.set()
            pools, self._handed_over = self._handed_over, []
            current = getattr(self.state, "pool", None)
        for pool in [*pools, *([current] if current is not None else [])]:
            pool.close()


def _as_of(change: StoreChange | None) -> datetime:
    """When the data about to be read was current: its change, else now (no change recorded)."""
    return change.at if change is not None else datetime.now(UTC)


def data_as_of(store: Path) -> datetime:
    """When the data of the store folder ``store`` was current: its last write, else now."""
    return _as_of(read_change(store))


def as_of_text(when: datetime | None) -> str:
    """``2026-12-07 20:41 UTC``: as the pages say it."""
    return "" if when is None else when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class DataAsOf:
    """Adds :data:`AS_OF_HEADER` to every answer of an app whose pool knows its data's time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pool = getattr(scope["app"].state, "pool", None)  # as the request found it
        when: datetime | None = getattr(pool, "as_of", None)
        if when is None:
            await self.app(scope, receive, send)
            return
        value = when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((AS_OF_HEADER.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped)
