"""``/query``: a SPARQL form that works with no network, its result shown in the page.

``GET /query?query=...`` runs the query as ``/sparql`` does (same workers, limits and checks)
and renders the page again with the result below the form: a table people read
(:mod:`s3graph.api.resultpage`) for ``format=html`` (the default), else the text of the chosen
format with a link that downloads it under a file name with its suffix. A query that fails shows
its error in the page. Nothing here needs any host but this one; the YASGUI editor is offered
as a button that loads it from its CDN only when asked.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response

from s3graph.api import resultpage, sparql
from s3graph.api.errors import ApiError
from s3graph.api.pages import render
from s3graph.rdf.formats import FORMATS, format_parameter
from s3graph.sparql import list_queries

__all__ = ["CHOICES", "answer"]

#: The formats the form offers: (value of ``format=``, what the choice says).
CHOICES: tuple[tuple[str, str], ...] = (
    ("html", "Table in this page"),
    ("csv", "CSV"),
    ("json", "SPARQL results JSON"),
    ("tsv", "TSV"),
    ("xml", "SPARQL results XML"),
    ("turtle", "Turtle (CONSTRUCT, DESCRIBE)"),
)
#: How much of a result's text the page shows; the download link has it all.
SHOWN_CHARACTERS = 200_000


async def answer(request: Request) -> Response:
    """The form; with ``query=``, the form again with the result (or the error) below it."""
    text = request.query_params.get("query", "")
    chosen = request.query_params.get("format", "").strip().lower() or "html"
    context: dict[str, Any] = {
        "query": text,
        "format": chosen,
        "choices": CHOICES,
        "examples": list_queries(),
    }
    if not text.strip():
        return render(request, "query.html", **context)
    if chosen == "html":
        return await sparql.html_answer(
            request, text, None, template="query.html", share=str(request.url), **context
        )
    return await _as_text(request, text, chosen, context)


async def _as_text(
    request: Request, text: str, chosen: str, context: dict[str, Any]
) -> Response:
    """The result in the chosen format, as text in the page, with a link to download it."""
    media = format_parameter(chosen)
    try:
        if media is None:
            known = ", ".join(value for value, _ in CHOICES)
            raise ApiError(400, "unknown format", f"format={chosen!r}: choose one of {known}")
        outcome, headers = await sparql.run(request, text, media, sparql.OFFERS)
    except ApiError as exc:
        failure = resultpage.failure(exc.error, exc.detail or "", text)
        return render(request, "query.html", status=exc.status, error=failure, **context)
    body = outcome.body.decode("utf-8", "replace")
    suffix = FORMATS[outcome.media_type].suffix if outcome.media_type in FORMATS else ".txt"
    download = resultpage.Link(
        FORMATS[outcome.media_type].label if outcome.media_type in FORMATS else chosen,
        "/sparql?" + urlencode({"query": text, "format": chosen}),
        outcome.media_type,
        "results" + suffix,
    )
    response = render(
        request,
        "query.html",
        raw=body[:SHOWN_CHARACTERS],
        raw_cut=len(body) > SHOWN_CHARACTERS,
        truncated=outcome.truncated,
        max_rows=request.app.state.settings.max_rows,
        download=download,
        share=str(request.url),
        **context,
    )
    response.headers.update(headers)
    return response
