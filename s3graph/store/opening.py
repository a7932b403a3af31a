"""Opening the embedded store's folder: writable (created when missing), or read-only beside a
writer, and the one-line :class:`~s3graph.errors.StoreError` that says what is wrong with it."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox

from s3graph.errors import StoreError, is_no_space, no_space_error

__all__ = ["READ_ONLY_ATTEMPTS", "open_read_only", "open_writable", "require_store", "store_error"]


def open_writable(path: Path) -> ox.Store:
    """The store in the folder ``path``, opened for writing (the folder made when missing)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corrupt data as RuntimeError
        raise store_error(path, exc, "cannot be opened") from exc


def require_store(path: Path) -> None:
    """Refuse a folder that holds no store: a read must never create one.

    A missing folder, an empty one or a plain file answers "no store at PATH" (exit 3), so a
    command run in the wrong folder says so instead of answering 0 from a store it just made.
    """
    path = Path(path)
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"no store at {path} (run s3graph ingest first)")


#: Attempts at a read-only open that raced the writer's compaction (see :func:`open_read_only`).
READ_ONLY_ATTEMPTS = 5


def open_read_only(path: Path) -> ox.Store:
    """A read-only view of the store at ``path``, beside any process that writes it.

    The view reads the files the store's manifest lists; a writer compacting meanwhile may delete
    one of them before it is opened, which RocksDB reports as corruption ("No such file"). The
    open is tried again, with the manifest read afresh, before the store is called broken.
    """
    require_store(path)
    for attempt in range(1, READ_ONLY_ATTEMPTS + 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == READ_ONLY_ATTEMPTS or "No such file" not in str(exc):
                raise store_error(path, exc, "cannot be opened read-only") from exc
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def store_error(path: Path, exc: Exception, what: str) -> StoreError:
    """A one-line :class:`StoreError` saying what is wrong with the store and what to do."""
    if is_no_space(exc):  # the disk, not the store: nothing of the failed write was kept
        return no_space_error(path, exc)
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "lock" in detail.lower():
        advice = "it is locked by another s3graph process: wait for it to finish or stop it"
    elif path.exists() and not path.is_dir():
        advice = "it is a file, not a folder: give the folder of a store"
    else:
        advice = "it is not an s3graph store: give an empty or new folder, or an existing store"
    return StoreError(f"{path}: the store {what}; {advice} ({detail})")
