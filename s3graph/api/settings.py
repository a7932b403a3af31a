"""The settings of the web app, given to :func:`s3graph.api.app.create_app`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from s3graph.namespaces import DEFAULT_BASE
from s3graph.querypool.limits import PoolLimits, default_query_memory, default_workers

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """What the server allows: limits, the update token, federation targets, CORS."""

    #: Seconds from a query's arrival (time queued included) to its 503 timeout error.
    query_timeout: float = 10.0
    #: Bytes a query may grow its worker by before it is stopped (503).
    query_memory: int = field(default_factory=default_query_memory)
    #: The most rows (or triples) a response holds; more are cut and the cut is signalled.
    max_rows: int = 10_000
    #: The largest request body accepted (413 beyond).
    max_body: int = MIB
    #: Bearer token that enables ``/update`` and ``/store``; None keeps the server read-only.
    update_token: str | None = None
    #: Absolute URLs that ``SERVICE`` (queries) and ``LOAD`` (updates) may reach.
    service_allow: frozenset[str] = field(default_factory=frozenset)
    #: Query worker processes (see :class:`s3graph.querypool.PoolLimits`).
    workers: int = field(default_factory=default_workers)
    #: Long queries (a second of CPU or more) at once; -1: one per core.
    long_queries: int = -1
    #: Base of the data IRIs (the resources the pages serve, VoID, the service description).
    base: str = DEFAULT_BASE
    #: Folder of the ``s3graph export`` served at ``/dumps/`` and ``/dataset`` (None: none).
    dumps: Path | None = None
    #: Digest of the reference data in force (:class:`s3graph.reference.ReferenceStamp`): the
    #: pages say which stored judgements were made against other data (None: they say nothing).
    reference_digest: str | None = None

    def pool_limits(self) -> PoolLimits:
        """The limits of the query pool these settings ask for."""
        return PoolLimits(
            timeout=self.query_timeout,
            query_memory=self.query_memory,
            workers=self.workers,
            long_queries=self.long_queries,
        )
