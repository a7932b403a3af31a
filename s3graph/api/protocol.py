"""Reading SPARQL Protocol requests: the operation text and dataset from GET or POST.

Shared by queries (``query``, ``application/sparql-query``) and updates (``update``,
``application/sparql-update``). Bodies must be UTF-8; a parameter given twice is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs

from fastapi import Request

from s3graph.api.errors import ApiError
from s3graph.rdf.formats import parse_media_type
from s3graph.store import QueryDataset

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class Operation:
    """A query or update as sent: its text (None when absent) and protocol dataset."""

    text: str | None
    dataset: QueryDataset | None
    params: dict[str, list[str]]


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's ``Content-Type`` without parameters, lowercased, and its parameters."""
    media, params = parse_media_type(request.headers.get("content-type", ""))
    return media, {key: value.lower() for key, value in params}


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "bad encoding", f"the {what} must be UTF-8 ({exc})") from exc


def _parse_form(raw: str) -> dict[str, list[str]]:
    """The fields of a query string or form body (a fresh dict: callers may add to it)."""
    return {key: list(values) for key, values in _fields(raw)}


@lru_cache(maxsize=256)
def _fields(raw: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Decoding a query's percent escapes in Python costs about a tenth of a small query's time;
    the same texts come again and again (named queries, dashboards), so they are decoded once."""
    try:
        parsed = parse_qs(raw, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "bad encoding", f"form values must be UTF-8 ({exc})") from exc
    return tuple((key, tuple(values)) for key, values in parsed.items())


def _query_string(request: Request) -> str:
    """``request.url.query``, without building the whole URL (a tenth of a small query's time)."""
    query = request.scope.get("query_string", b"").decode()
    return query.split("#", 1)[0]


async def read_operation(
    request: Request, field: str, direct_type: str, dataset_fields: tuple[str, str]
) -> Operation:
    """The ``field`` (``query`` or ``update``) of a GET or POST request, and its dataset.

    ``direct_type`` is the media type of a POST whose body is the operation itself;
    ``dataset_fields`` the names of the default- and named-graph parameters.
    """
    params = _parse_form(_query_string(request))
    text: str | None = None
    if request.method == "POST":
        media, content_params = media_type(request)
        charset = content_params.get("charset", "utf-8")
        body = await request.body()
        if charset not in ("utf-8", "utf8"):
            raise ApiError(415, "unsupported charset", f"send the body as UTF-8, not {charset}")
        if media == FORM:
            form = _parse_form(_utf8(body, "form"))
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == direct_type:
            text = _utf8(body, "body")
            if field in params:
                raise ApiError(400, f"two {field} texts", f"give the {field} in the body only")
        else:
            shown = media or "no Content-Type"
            raise ApiError(
                415,
                "unsupported media type",
                f"POST a {field} as {FORM} (with {field}=...) or as {direct_type}, not {shown}",
            )
    if text is None:
        values = params.get(field, [])
        if len(values) > 1:
            raise ApiError(400, f"several {field} texts", f"give exactly one {field} parameter")
        text = values[0] if values else None
    default, named = (tuple(params.get(name, [])) for name in dataset_fields)
    dataset = QueryDataset(default, named) if default or named else None
    return Operation(text, dataset, params)
