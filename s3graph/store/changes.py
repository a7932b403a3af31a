"""The change marker and the change log a store folder keeps beside RocksDB's files.

Every write of :class:`s3graph.store.Store` logs the graphs it may change before it runs
(:data:`CHANGE_LOG`, :func:`log_intent`) and, once committed, rewrites the marker
(:data:`CHANGE_MARKER`, :func:`mark_changed`): a running ``serve`` polls the marker
(:func:`read_change`) and re-reads only the graphs the log names since the copy it holds
(:func:`changes_since`, :mod:`s3graph.api.live`, :mod:`s3graph.api.kept`). Plain files, no
database: a reader learns of a write in microseconds without opening the store.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "CHANGE_LOG",
    "CHANGE_LOG_LIMIT",
    "CHANGE_MARKER",
    "StoreChange",
    "changes_since",
    "log_intent",
    "mark_changed",
    "read_change",
]

logger = logging.getLogger(__name__)

#: The file in a store's folder rewritten after every committed write (RocksDB ignores it).
CHANGE_MARKER = "S3GRAPH-CHANGED"
#: The file in a store's folder where every write logs the graphs it may change, before it runs.
CHANGE_LOG = "S3GRAPH-CHANGES"
#: Bytes past which the change log starts afresh (a follower then copies the whole store once).
CHANGE_LOG_LIMIT = 256 * 1024


@dataclass(frozen=True, slots=True)
class StoreChange:
    """The last write committed to a store: when, and a token that differs for every write."""

    token: str
    at: datetime


def log_intent(path: Path, graphs: Sequence[str] | None) -> str:
    """Log in ``path`` that a write is about to change ``graphs`` (None: any); its token.

    The line is appended before the write runs, so a reader that opened the store and then
    read the log knows every graph that a write committed in what it opened may have changed
    (:func:`changes_since`). A write that fails leaves a line that only costs a graph re-read.
    """
    token = f"{time.time_ns()}-{os.getpid()}"
    log = Path(path) / CHANGE_LOG
    line = f"{token} {' '.join(sorted(set(graphs))) if graphs is not None else '*'}\n"
    try:
        if log.exists() and log.stat().st_size > CHANGE_LOG_LIMIT:
            temporary = log.with_name(f".{CHANGE_LOG}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_text("", encoding="utf-8")
            os.replace(temporary, log)
        with log.open("a", encoding="utf-8") as out:
            out.write(line)  # one append: whole to any reader of a local file
    except OSError:  # a full disk: the write fails next; else a follower must not trust the log
        with contextlib.suppress(OSError):
            log.unlink(missing_ok=True)  # without it, followers copy the whole store
    return token


def changes_since(path: Path, token: str) -> set[str] | None:
    """The graphs that writes after the write ``token`` may have changed (None: any graph, or
    not known: ``token`` is no longer in the log)."""
    try:
        text = (Path(path) / CHANGE_LOG).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [line.split() for line in text.splitlines(keepends=True) if line.endswith("\n")]
    tokens = [line[0] if line else "" for line in lines]
    if token not in tokens:
        return None
    graphs: set[str] = set()
    for line in lines[tokens.index(token) + 1 :]:
        if len(line) < 2 or "*" in line[1:]:
            return None
        graphs.update(line[1:])
    return graphs


def mark_changed(path: Path, token: str | None = None) -> StoreChange:
    """Record a committed write in the folder ``path``: a new :data:`CHANGE_MARKER`.

    Why a file of ours: pyoxigraph tells nothing about writes, and the folder's RocksDB files
    also change when nothing was written (a writable open starts a new log), so a server
    following them would reload for nothing. The marker is written after the commit, whole
    (renamed into place), and read in microseconds: a server polls it (:func:`read_change`).
    A writer killed between its commit and the marker leaves the change untold until the next.
    """
    now = time.time_ns()
    token = token or f"{now}-{os.getpid()}"
    change = StoreChange(token, datetime.fromtimestamp(now / 1e9, UTC))
    path = Path(path)
    temporary = path / f".{CHANGE_MARKER}.{os.getpid()}.{threading.get_ident()}"
    try:
        temporary.write_text(f"{token} {now}\n", encoding="ascii")
        os.replace(temporary, path / CHANGE_MARKER)
    except OSError as exc:  # the data is written; only a running server will not know at once
        logger.warning("%s: the change marker could not be written (%s)", path, exc)
    return change


def read_change(path: Path) -> StoreChange | None:
    """The last write :func:`mark_changed` recorded in ``path`` (None: none recorded)."""
    try:
        text = (Path(path) / CHANGE_MARKER).read_text(encoding="ascii")
        token, _, committed = text.strip().partition(" ")
        nanoseconds = int(committed or token.partition("-")[0])
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return StoreChange(token, datetime.fromtimestamp(nanoseconds / 1e9, UTC))

