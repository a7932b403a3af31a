"""``/search``: the search box of every page, over the labels of what the graph holds.

Partnerships (names and aliases), regions (names and NUTS codes), reports (titles) and events
(names) whose labels hold the text, in any case, found by the named query ``page-search`` (the
same one ``s3graph query page-search -p text=...`` and ``/api/queries/page-search`` run). A
browser gets a page of links grouped by kind; any other client the rows as JSON.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from s3graph.api import views
from s3graph.api.negotiation import HTML, negotiate
from s3graph.api.pages import render, stopped_as_page
from s3graph.api.reader import pooled_reader

__all__ = ["KINDS", "router"]

router = APIRouter(tags=["pages"])

#: The kinds of things found, in the order the page shows them, with their headings.
KINDS = {
    "partnership": "Partnerships",
    "region": "Regions",
    "report": "Reports",
    "event": "Events",
}

#: Shortest text searched for: one letter would match nearly everything.
MIN_LENGTH = 2


@router.get("/search", include_in_schema=False)
@stopped_as_page
def search(request: Request, q: str = "") -> Response:
    text = " ".join(q.split())
    found: list[views.Row] = []
    if len(text) >= MIN_LENGTH:
        base = request.app.state.settings.base
        found = views.rows(pooled_reader(request), "page-search", {"text": text}, base=base)
    if negotiate(request.headers.get("accept"), [HTML, "application/json"]) != HTML:
        return JSONResponse({"text": text, "results": found})
    groups = {kind: [r for r in found if r["kind"] == kind] for kind in KINDS}
    return render(
        request,
        "search.html",
        q=text,
        too_short=0 < len(text) < MIN_LENGTH,
        total=len(found),
        groups={KINDS[kind]: rows for kind, rows in groups.items() if rows},
    )
