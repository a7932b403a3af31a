"""``/dumps/`` and ``/dataset``: the files of the last ``s3graph export``, and their description.

The server lists and serves only what the export's ``SHA256SUMS`` names (nothing else of the
folder is reachable, whatever the path asked for). ``/dataset`` is the DCAT-AP description,
negotiated: Turtle, JSON-LD, or for a browser the page of the dumps. Without an export the
answer is a 404 that says how to make one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse

from s3graph.api.errors import ApiError
from s3graph.export.description import DESCRIPTION_STEM, EXPORT_FORMATS
from s3graph.export.run import SUMS_FILE
from s3graph.rdf.formats import FORMATS, HTML, negotiate

router = APIRouter()

#: Media types of the exported files by extension (``.gz`` files are served as gzip).
MEDIA_TYPES = {f.suffix: f.media_type for f in EXPORT_FORMATS}
MEDIA_TYPES[".gz"] = "application/gzip"
#: The description's forms, by media type.
DESCRIPTIONS = {
    media: f"{DESCRIPTION_STEM}{FORMATS[media].suffix}"
    for media in ("text/turtle", "application/ld+json")
}


@dataclass(frozen=True, slots=True)
class Dump:
    """One file of the export, as ``SHA256SUMS`` lists it."""

    path: str
    sha256: str
    size: int
    media_type: str


def listed(folder: Path | None) -> list[Dump]:
    """The files ``SHA256SUMS`` of ``folder`` lists; a 404 error when there is no export."""
    sums = folder / SUMS_FILE if folder is not None else None
    if folder is None or sums is None or not sums.is_file():
        where = f" in {folder}" if folder is not None else ""
        raise ApiError(
            404,
            "no export",
            f"no s3graph export{where}: run `s3graph export --out DIR`,"
            " then serve with --dumps DIR",
        )
    dumps = []
    for line in sums.read_text("utf-8").splitlines():
        digest, _, name = line.partition("  ")
        path = folder / name
        if name and path.is_file():
            dumps.append(
                Dump(
                    name,
                    digest,
                    path.stat().st_size,
                    MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                )
            )
    return dumps


def _folder(request: Request) -> Path | None:
    folder: Path | None = request.app.state.settings.dumps
    return folder


@router.get("/dumps", include_in_schema=False)
@router.get("/dumps/", summary="The files of the export")
def dump_index(request: Request) -> Response:
    """The exported files (HTML for browsers, else JSON), with sizes and SHA-256 checksums."""
    folder = _folder(request)
    dumps = listed(folder)
    if negotiate(request.headers.get("accept"), ["application/json", HTML]) == HTML:
        from s3graph.api.pages import render

        return render(request, "dumps.html", dumps=dumps)
    files = [
        {"path": d.path, "url": f"/dumps/{d.path}", "bytes": d.size, "sha256": d.sha256,
         "mediaType": d.media_type}
        for d in dumps
    ]  # fmt: skip
    return JSONResponse({"description": "/dataset", "files": files}, headers={"Vary": "Accept"})


@router.get("/dumps/{path:path}", summary="One file of the export")
def dump_file(request: Request, path: str) -> Response:
    """A file the export's ``SHA256SUMS`` lists, or that file itself (404 for anything else)."""
    folder = _folder(request)
    dumps = listed(folder)
    assert folder is not None
    if path == SUMS_FILE:
        return FileResponse(folder / SUMS_FILE, media_type="text/plain; charset=utf-8")
    for dump in dumps:
        if dump.path == path:
            return FileResponse(folder / dump.path, media_type=dump.media_type)
    raise ApiError(404, "not found", f"the export has no file {path!r}; see /dumps/")


@router.get("/dataset", summary="The DCAT-AP description of the export")
def dataset(request: Request) -> Response:
    """``dataset.ttl`` or ``dataset.jsonld`` by content negotiation; browsers get ``/dumps/``."""
    folder = _folder(request)
    dumps = listed(folder)
    assert folder is not None
    offered = [*DESCRIPTIONS, HTML]
    chosen = negotiate(request.headers.get("accept"), offered)
    if chosen is None:
        raise ApiError(406, "not acceptable", f"the description is offered as {', '.join(offered)}")
    if chosen == HTML:
        from s3graph.api.pages import render

        return render(request, "dumps.html", dumps=dumps)
    response = FileResponse(folder / DESCRIPTIONS[chosen], media_type=chosen)
    response.headers["Vary"] = "Accept"
    return response
