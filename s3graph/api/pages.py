"""Linked-data pages: every IRI under the data base dereferences at the same path here.

``{base}partnership/mining-industry`` is served at ``/partnership/mining-industry``: HTML for
browsers (Jinja2 templates, SVG pictures drawn on the server), Turtle, JSON-LD, N-Triples or
RDF/XML for RDF clients (the resource's outgoing triples plus the labels of what they link to).
A suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``) beats ``Accept``. A resource the store says
nothing about is a 404. Also here: the home page ``/``, the cross-partnership view ``/cross``,
the indexes ``/partnership/``, ``/region/`` and ``/report/``, and the query page ``/query``.

Include this router LAST: its catch-all ``/{path}`` would shadow the routes included after it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.convertors import PathConvertor, register_url_convertor

from s3graph.api import crossview, indexview, mapview, svg, views
from s3graph.api.errors import stopped_error
from s3graph.api.negotiation import HTML, RDF_TYPES, SUFFIXES, negotiate
from s3graph.api.reader import pooled_reader
from s3graph.querypool import QueryStopped
from s3graph.sparql import Queryable

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(tags=["pages"])

S3G = views.S3G
_TEMPLATES = {
    S3G + "Partnership": "partnership.html",
    S3G + "Region": "region.html",
    S3G + "MonitoringReport": "report.html",
}


class Site:
    """What a template needs to turn IRIs into local links and short names."""

    def __init__(self, base: str) -> None:
        self.base = base

    def href(self, iri: str | None) -> str:
        """A data IRI as the local path that serves it; any other IRI unchanged."""
        iri = iri or ""
        return "/" + iri[len(self.base) :] if iri.startswith(self.base) else iri

    def short(self, iri: str | None) -> str:
        """A compact name: ``s3g:Partnership``, ``data:region/FI1D7``."""
        iri = iri or ""
        for prefix, namespace in {**views.PREFIXES, "data": self.base}.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def tail(self, iri: str | None) -> str:
        """The last segment of an IRI: ``...#leading`` -> ``leading``."""
        iri = iri or ""
        return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def _state(request: Request) -> tuple[Queryable, str]:
    """The reader of the request's queries (run in the query pool) and the data's base IRI."""
    return pooled_reader(request), request.app.state.settings.base


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    base = request.app.state.settings.base
    response = templates.TemplateResponse(
        request, name, {"site": Site(base), **context}, status_code=status
    )
    response.headers["Vary"] = "Accept"
    return response


def not_found(request: Request, iri: str) -> Response:
    detail = f"the graph holds nothing about <{iri}>"
    if negotiate(request.headers.get("accept"), [HTML, "application/json"]) == HTML:
        return render(request, "not_found.html", status=404, iri=iri, detail=detail)
    return JSONResponse({"error": "not found", "detail": detail}, status_code=404)


def stopped_as_page(page: Callable[..., Response]) -> Callable[..., Response]:
    """``page``, answering a browser with an HTML page when one of its queries is stopped."""

    @functools.wraps(page)
    def answer(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return page(request, *args, **kwargs)
        except QueryStopped as exc:
            if negotiate(request.headers.get("accept"), [HTML, "application/json"]) != HTML:
                raise
            error = stopped_error(exc)
            response = render(request, "stopped.html", status=error.status, error=error)
            response.headers.update(error.headers)
            return response

    return answer


# -- fixed pages -------------------------------------------------------------------------------


@router.get("/", include_in_schema=False)
@stopped_as_page
def home(request: Request) -> Response:
    store, base = _state(request)
    digest = request.app.state.settings.reference_digest
    return render(request, "home.html", **views.home(store, base=base, digest=digest))


@router.get("/cross", include_in_schema=False)
@stopped_as_page
def cross(request: Request) -> Response:
    store, base = _state(request)
    data = crossview.cross(store, base=base)
    nodes = [(r["partnership"], r["label"] or r["partnership"]) for r in data["partnerships"]]
    pictures = {
        "network": _network(data, Site(base)),
        "heatmap": svg.heatmap(nodes, data["sdg"], "SDG ratings: partnerships x goals"),
    }
    return render(request, "cross.html", pictures=pictures, anchor=cross_anchor, **data)


def _network(data: dict[str, Any], site: Site) -> str:
    """The collaboration picture of ``/cross``: every partner, every pair, each linked."""
    nodes = [
        svg.Node(r["partnership"], r["label"], site.href(r["partnership"]), r["reported"])
        for r in data["partners"]
    ]
    mentions = [
        svg.Edge(
            p["partnership"],
            p["other"],
            len(p["mentions"]),
            f"{p['partnershipLabel']} mentions {p['otherLabel']} "
            f"({_times(len(p['mentions']))}): see the evidence",
            "#" + cross_anchor("mentions", site, p["partnership"], p["other"]),
        )
        for p in data["pairs"]
    ]
    shared = [
        svg.Edge(
            r["partnership"],
            r["other"],
            r["shared"],
            f"{r['partnershipLabel']} and {r['otherLabel']}: {r['shared']} shared region(s)",
            "#" + cross_anchor("shared", site, r["partnership"], r["other"]),
        )
        for r in data["shared"]
    ]
    title = "Partnerships: mentions of each other (arrows) and shared regions (grey lines)"
    return svg.network(nodes, mentions, shared, title)


def cross_anchor(kind: str, site: Site, one: str, other: str) -> str:
    """The id of a pair's rows on ``/cross``: ``mentions-mining-industry--cybersecurity``."""
    return f"{kind}-{site.tail(one)}--{site.tail(other)}"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


@router.get("/map", include_in_schema=False)
@stopped_as_page
def map_page(request: Request) -> Response:
    store, base = _state(request)
    return render(request, "map.html", region_map=mapview.platform_map(store, base=base))


@router.get("/query", include_in_schema=False)
async def query_page(request: Request) -> Response:
    # Imported here: the query page renders with this module (s3graph.api.querypage).
    from s3graph.api.querypage import answer

    return await answer(request)


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return JSONResponse({"error": "not found", "detail": name}, status_code=404)
    return FileResponse(path)


# -- indexes: the ways in to every partnership, region and report -------------------------------


def _index(request: Request, kind: str, sort: str | None, page: str | None) -> Response:
    path = request.scope["path"]
    if path != f"/{kind}/":  # the route's ``$`` also matches before a final line break (%0A)
        return resource(request, path[1:])
    store, base = _state(request)
    number = int(page) if page and page.isascii() and page.isdigit() else 1
    digest = request.app.state.settings.reference_digest
    data = indexview.index(store, kind, base=base, sort=sort, page=number, digest=digest)
    return render(request, f"index-{kind}.html", **data)


@router.get("/partnership/", include_in_schema=False)
@stopped_as_page
def partnership_index(
    request: Request, sort: str | None = None, page: str | None = None
) -> Response:
    return _index(request, "partnership", sort, page)


@router.get("/region/", include_in_schema=False)
@stopped_as_page
def region_index(request: Request, sort: str | None = None, page: str | None = None) -> Response:
    return _index(request, "region", sort, page)


@router.get("/report/", include_in_schema=False)
@stopped_as_page
def report_index(request: Request, sort: str | None = None, page: str | None = None) -> Response:
    return _index(request, "report", sort, page)


# -- every other IRI under the base ------------------------------------------------------------


def split_suffix(path: str) -> tuple[str, str | None]:
    """``partnership/x.ttl`` -> (``partnership/x``, ``text/turtle``); no suffix -> (path, None)."""
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media
    return path, None


class _AnyPath(PathConvertor):
    """Starlette's ``path`` convertor across line breaks too: its ``.*`` stops at a ``%0A``.

    Without it a path holding a decoded line break matches no route and gets the bare JSON 404
    of the app, not the pages' not-found answer (HTML for browsers).
    """

    regex = r"[\s\S]*"


register_url_convertor("anypath", _AnyPath())


@router.get("/{path:anypath}", include_in_schema=False)
@stopped_as_page
def resource(request: Request, path: str) -> Response:
    store, base = _state(request)
    path, media = split_suffix(path)
    iri = base + path
    if not _is_iri(iri):  # never in the graph: the store holds IRIs only
        return not_found(request, _shown(iri))
    description = views.describe(store, iri, base=base)
    if not description:
        return not_found(request, _shown(iri))
    if media is None:
        media = negotiate(request.headers.get("accept"), [HTML, *RDF_TYPES])
    if media is None:
        offered = ", ".join([HTML, *RDF_TYPES])
        detail = f"<{iri}> is served as {offered}"
        return JSONResponse({"error": "not acceptable", "detail": detail}, status_code=406)
    if media != HTML:
        body = views.serialise(description, RDF_TYPES[media], base=base)
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    return _page(request, description)


def _is_iri(text: str) -> bool:
    """Whether ``text`` is an IRI as the store checks them (RFC 3987, by Oxigraph's parser).

    A request path is decoded before it gets here, so ``%5C``, ``%00`` or a lone ``%`` arrive
    as a backslash, a NUL or a bad escape: such a path names nothing the graph can hold.
    """
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def _shown(iri: str) -> str:
    """``iri`` fit to be echoed between ``<>`` in a message.

    What cannot be seen (control and format characters: NUL, line breaks, right-to-left
    overrides, zero-width spaces, ...) and what would end or blur the ``<>`` is percent-encoded;
    the rest, non-ASCII letters included, is shown as it is.
    """
    from urllib.parse import quote

    return "".join(
        char
        if char.isprintable() and char not in ' <>"{}|\\^`'
        else quote(char.encode("utf-8", "surrogatepass"), safe="")
        for char in iri
    )


def _page(request: Request, description: views.Description) -> Response:
    store, base = _state(request)
    iri, types = description.iri, description.types()
    alternates = {suffix: media for suffix, media in SUFFIXES.items()}
    common: dict[str, Any] = {"d": description, "alternates": alternates}
    name = next((t for k, t in _TEMPLATES.items() if k in types), "resource.html")
    if name == "partnership.html":
        data = views.partnership(store, iri, base=base)
        picture = svg.sdg_profile(data["sdg"], f"SDG profile of {description.label()}")
        return render(request, name, **common, **data, sdg_picture=picture)
    if name == "region.html":
        return render(request, name, **common, **views.region(store, iri, base=base))
    if name == "report.html":
        digest = request.app.state.settings.reference_digest
        data = views.report(store, iri, base=base, digest=digest)
        return render(request, name, **common, **data)
    return render(request, name, **common, **views.resource(store, description, base=base))
