"""Reports out of the store, all or nothing: ``find_reports`` names them, ``remove`` drops them.

A report is stored as named graphs under its IRI ``{base}report/{slug}/{period}``: the report
graph itself, its validation graph ``{report}/validation``, and any other graph whose IRI starts
with the report IRI and ``/`` (such as the report's source text). Removing a report drops every
one of them, for every report asked, in ONE :meth:`~s3graph.store.Store.replace_graphs` call (an
empty graph there is a drop): one transaction, so readers and a killed process see all the
reports gone or none. A report that is not in the store stops the run before anything is written.

One thing derived across reports is stored: the changes between a partnership's consecutive
reports (one graph per partnership, :mod:`s3graph.recompute`), computed again from the reports
the partnership keeps and written in the same transaction. Nothing else needs recomputing:

- a report's mentions of other partnerships, the ``s3g:collaboratesWith`` triples they give and
  the type and label of each partnership mentioned are triples of the mentioning report's graph
  (:mod:`s3graph.mapping.links`), as are its region judgements and ``s3g:resolvedRegion`` links;
- its validation results are its validation graph, and judging or validating a report reads only
  that report, the registry and NUTS, never another report;
- shared regions, the most shared regions, partnership counts and the export's statistics are
  computed by queries at read time over the union of the graphs (``queries/*.rq``).

So after a removal the store holds exactly what it would hold had the report never been
ingested; ``tests/test_removal.py`` compares the two stores quad for quad and through the
collaborations and shared-regions queries. (An export written before, or a server holding an
in-memory copy, shows the old state until it is written or started again, as after an ingest.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from s3graph.errors import S3GraphError
from s3graph.mapping.iris import Iris
from s3graph.mapping.triples import NamedTriples
from s3graph.sparql import load_query, plain, run_query

if TYPE_CHECKING:
    from s3graph.linking.links import Linker
    from s3graph.store import GraphStore

#: ``PARTNERSHIP-SLUG/PERIOD`` as a user writes it: ``cybersecurity/2021-H1`` (any case).
_SLUG_PERIOD = re.compile(
    r"^([A-Za-z0-9-]+)/([0-9]{4}-[Hh][12]|[0-9]{4}-[0-9]{2}--[0-9]{4}-[0-9]{2})$"
)


class NotInStoreError(S3GraphError):
    """A report (or a partnership's reports) asked for is not in the store: nothing is removed."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Removed:
    """One report taken out: its IRI, the named graphs dropped and the triples they held."""

    report: str
    graphs: tuple[str, ...]
    triples: int


def report_of(reference: str, *, base: str) -> str:
    """The report IRI that ``reference`` names: a report IRI, or ``SLUG/PERIOD`` under ``base``.

    The slug and the period are read in any case (``Cybersecurity/2021-h1`` is
    ``{base}report/cybersecurity/2021-H1``), in an IRI under ``base`` too. Raises
    :class:`NotInStoreError` for something that is neither.
    """
    under = reference.removeprefix(base + "report/") if reference.startswith(base) else None
    match = _SLUG_PERIOD.match(under if under is not None else reference)
    if match is not None:
        slug, period = match.groups()
        try:
            return str(Iris(base).report(slug.lower(), period.upper()))
        except ValueError:  # no slug s3graph makes ("-x", "a--b"): named below as not a report
            pass
    if under is not None or "://" in reference:
        expected = f"a report IRI {base}report/SLUG/PERIOD"
    else:
        expected = "a report as PARTNERSHIP-SLUG/PERIOD (such as cybersecurity/2021-H1)"
    raise NotInStoreError(f"{reference}: expected {expected}")


def find_reports(
    store: GraphStore,
    references: Sequence[str] = (),
    *,
    base: str,
    partnerships: Sequence[str] = (),
    examples: bool = False,
) -> list[str]:
    """The IRIs of the stored reports named by ``references``, ``partnerships`` and ``examples``.

    ``partnerships`` are slugs (any case) or partnership IRIs, each standing for all of its
    reports; ``examples`` stands for every report marked ``s3g:synthetic``. Each report comes
    once, in the order asked. Raises :class:`NotInStoreError` naming every reference that is not
    a stored report (and a partnership or ``examples`` that stands for none).
    """
    stored = set(store.graphs())
    found: list[str] = []
    missing: list[str] = []
    for reference in references:
        iri = report_of(reference, base=base)
        if iri in stored:
            found.append(iri)
        else:
            missing.append(reference if reference == iri else f"{reference} (<{iri}>)")
    for partnership in partnerships:
        of = _reports_of_partnership(stored, partnership, base=base)
        found += of
        if not of:
            missing.append(f"a report of partnership {partnership}")
    if examples:
        synthetic = synthetic_reports(store, base=base)
        found += synthetic
        if not synthetic:
            missing.append("a synthetic example report")
    if missing:
        raise NotInStoreError(
            f"not in the store {store.path}: {', '.join(missing)}; nothing was removed"
        )
    return list(dict.fromkeys(found))


def _reports_of_partnership(stored: Iterable[str], partnership: str, *, base: str) -> list[str]:
    """The stored report graphs ``{base}report/{slug}/{period}`` of one partnership."""
    slug = partnership.removeprefix(base + "partnership/").lower()
    prefix = f"{base}report/{slug}/"
    return sorted(g for g in stored if g.startswith(prefix) and "/" not in g[len(prefix) :])


def synthetic_reports(store: GraphStore, *, base: str) -> list[str]:
    """The reports marked ``s3g:synthetic true`` (the bundled examples), sorted."""
    result = run_query(store, load_query("page-synthetic"), {}, base=base)
    column = result.columns.index("report")
    return sorted({plain(row[column]) for row in result.rows if row[column] is not None})


def graphs_of(report: str, stored: Iterable[str]) -> list[str]:
    """The named graphs that belong to ``report``: its own and those under ``{report}/``."""
    return sorted(g for g in stored if g == report or g.startswith(report + "/"))


def remove(
    store: GraphStore, reports: Sequence[str], *, linker: Linker | None = None
) -> list[Removed]:
    """Drop every graph of each report of ``reports`` in one transaction; what was dropped.

    ``reports`` are report IRIs from :func:`find_reports`. The changes graph of each partnership
    that loses a report is computed again from the reports it keeps (with ``linker``, the one
    the reports were ingested with) and written in the same transaction.
    """
    from s3graph.recompute import base_of, changes_graphs

    stored = store.graphs()
    removed = [
        Removed(report, tuple(graphs), sum(store.graph_size(g) for g in graphs))
        for report in reports
        for graphs in [graphs_of(report, stored)]
    ]
    changed = [
        graph
        for base in sorted({base_of(r) for r in reports})
        for graph in changes_graphs(
            store, base=base, written={}, removed=[r for r in reports if base_of(r) == base],
            linker=linker,
        )
    ]
    store.replace_graphs(
        [*(NamedTriples(URIRef(g), []) for r in removed for g in r.graphs), *changed]
    )
    return removed
