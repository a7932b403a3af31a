"""A store-shaped reader whose queries run in the query pool: for named queries and pages.

Named queries (:func:`s3graph.sparql.run_query`) and the pages' views call ``reader.query(text,
substitutions)`` as they would on a :class:`~s3graph.store.Store`; here every call is a job for a
query worker, under the pool's limits and the request's one deadline (counted from its arrival,
for all the queries a page runs). The worker caps the rows (``max_rows``) and writes SPARQL JSON
results, read back here as pyoxigraph solutions; a cut is remembered in :attr:`truncated`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from fastapi import Request

from s3graph.api.arrival import arrival
from s3graph.api.execute import JSON_RESULTS, QueryJob, QueryOutcome
from s3graph.querypool import QueryPool
from s3graph.store import QueryDataset, Term

__all__ = ["PooledReader", "pooled_reader", "readable_json"]

_N_TRIPLES = "application/n-triples"
_OFFERS = {"solutions": [JSON_RESULTS], "boolean": [JSON_RESULTS], "graph": [_N_TRIPLES]}


class PooledReader:
    """Runs queries in ``pool`` against one deadline; remembers cuts and time spent."""

    def __init__(self, pool: QueryPool, *, arrived: float, max_rows: int | None) -> None:
        self.pool = pool
        self.arrived = arrived
        self.max_rows = max_rows
        #: Whether any answer was cut at ``max_rows``.
        self.truncated = False
        #: Seconds spent waiting for a worker, and running, over all the queries so far.
        self.waited = 0.0
        self.ran = 0.0

    def query(
        self,
        text: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        dataset: QueryDataset | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        """The results of ``text``, as :meth:`Store.query` gives them.

        Raises what the query raises in the worker (:class:`SyntaxError`, ...), or
        :class:`~s3graph.querypool.QueryStopped` when the pool stopped it.
        """
        job = QueryJob(
            text,
            accept=f"{JSON_RESULTS}, {_N_TRIPLES}",
            offers=_OFFERS,
            max_rows=self.max_rows,
            dataset=dataset,
            base_iri=base_iri,
            substitutions=dict(substitutions) if substitutions else None,
        )
        done = self.pool.run(job, arrived=self.arrived)
        self.waited += done.waited
        self.ran += done.ran
        outcome = done.result()
        self.truncated |= outcome.truncated
        if outcome.media_type == JSON_RESULTS:
            return ox.parse_query_results(readable_json(outcome), format=ox.QueryResultsFormat.JSON)
        quads = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)
        return (ox.Triple(q.subject, q.predicate, q.object) for q in quads)


def readable_json(outcome: QueryOutcome) -> bytes:
    """The JSON results without the member saying a cut (``"s3graph":{...}``, written last),
    which pyoxigraph's parser does not take: the cut is known from ``outcome.truncated``."""
    body = outcome.body
    if outcome.truncated:
        body = body[: body.rindex(b',"s3graph":')] + b"}"
    return body


def pooled_reader(request: Request) -> PooledReader:
    """A reader for the queries of ``request``, under the app's pool, deadline and row cap.

    All the readers of one request use the pool the first one found (``request.state.data_pool``),
    even when the server switched to newer data meanwhile (:mod:`s3graph.api.live`): a page's
    queries read one state of the data, and its footer says as of when.
    """
    state = request.app.state
    pool = getattr(request.state, "data_pool", None) or state.pool
    request.state.data_pool = pool
    return PooledReader(pool, arrived=arrival(request.scope), max_rows=state.settings.max_rows)
