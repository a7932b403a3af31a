"""The settings of the web app, given to :func:`s3graph.api.app.create_app`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from s3graph.namespaces import DEFAULT_BASE

MIB = 1024 * 1024


def default_workers() -> int:
    """One query worker per usable core, at least 2 (a slow query never holds up all others).

    Queries are CPU-bound in Rust: more workers than cores only share the cores, and the time a
    query waits for a worker does not count against its timeout.
    """
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(2, cores)


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """What the server allows: limits, the update token, federation targets, CORS."""

    #: Seconds a query may run before the client gets a 503 timeout error.
    query_timeout: float = 10.0
    #: The most rows (or triples) a response holds; more are cut and the cut is signalled.
    max_rows: int = 10_000
    #: The largest request body accepted (413 beyond).
    max_body: int = MIB
    #: Bearer token that enables ``/update`` and ``/store``; None keeps the server read-only.
    update_token: str | None = None
    #: Absolute URLs that ``SERVICE`` (queries) and ``LOAD`` (updates) may reach.
    service_allow: frozenset[str] = field(default_factory=frozenset)
    #: Worker threads running queries off the event loop (see :func:`default_workers`).
    workers: int = field(default_factory=default_workers)
    #: Base of the data IRIs (the resources the pages serve, VoID, the service description).
    base: str = DEFAULT_BASE
    #: Folder of the ``s3graph export`` served at ``/dumps/`` and ``/dataset`` (None: none).
    dumps: Path | None = None
