"""English names of NUTS regions from Wikidata, cached as a TSV file.

Reports often name a region without its NUTS code ("Lapland" for FI1D7). Wikidata items with a
NUTS code (property P605) carry English labels and aliases; :func:`fetch_wikidata_names` asks a
SPARQL endpoint for them (the query is ``wikidata-nuts-names.rq`` beside this module) and keeps
the answer in ``<cache>/wikidata-names.tsv`` (columns ``code``, ``name``, ``kind``), which
:func:`load_cached_names` reads without any network.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from http.client import HTTPException
from importlib import resources
from pathlib import Path

from SPARQLWrapper import GET, JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from s3graph.folding import tidy_text
from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sources.fetch import USER_AGENT, FetchError, default_cache_dir

#: The query file, beside this module.
QUERY_FILE = "wikidata-nuts-names.rq"
#: The cache file name, in the cache folder.
NAMES_FILE = "wikidata-names.tsv"
#: The TSV header.
COLUMNS = ("code", "name", "kind")
#: Kinds of name, in the order :func:`load_cached_names` lists them.
KINDS = ("label", "alias")

_CODE_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def load_query() -> str:
    """The text of ``wikidata-nuts-names.rq``."""
    return resources.files(__package__).joinpath(QUERY_FILE).read_text(encoding="utf-8")


def names_path(cache_dir: Path | None = None) -> Path:
    """Where the names are cached (the file may not exist yet)."""
    return (cache_dir if cache_dir is not None else default_cache_dir()) / NAMES_FILE


def _rows(result: object, endpoint: str) -> list[tuple[str, str, str]]:
    """(code, name, kind) rows of a SPARQL JSON result, cleaned, deduplicated and sorted."""
    try:
        bindings = result["results"]["bindings"]  # type: ignore[index]
    except (TypeError, KeyError) as exc:
        raise FetchError(
            endpoint,
            "the answer is not a SPARQL JSON result",
            hint="check that the endpoint is a SPARQL endpoint",
        ) from exc
    rows: set[tuple[str, str, str]] = set()
    for binding in bindings:
        try:
            code = binding["code"]["value"].strip().upper()
            name = tidy_text(binding["name"]["value"])
            kind = binding["kind"]["value"].strip()
        except (KeyError, TypeError, AttributeError):
            continue
        if _CODE_RE.match(code) and name and kind in KINDS:
            rows.add((code, name, kind))
    return sorted(rows, key=lambda r: (r[0], KINDS.index(r[2]), r[1]))


def _write_tsv(path: Path, rows: list[tuple[str, str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".tsv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fetch_wikidata_names(
    endpoint: str, *, timeout: float = 60, cache_dir: Path | None = None
) -> list[tuple[str, str, str]]:
    """Ask ``endpoint`` for the English labels and aliases of items with a NUTS code.

    Returns sorted ``(code, name, kind)`` rows (``kind`` is ``"label"`` or ``"alias"``) and
    writes them to :func:`names_path`, replacing the previous file only once the answer is
    complete. Raises :class:`FetchError` when the endpoint cannot be queried; the cached file
    is then left as it was.
    """
    sparql = SPARQLWrapper(endpoint, agent=USER_AGENT)
    sparql.setQuery(load_query())
    sparql.setMethod(GET)
    sparql.setReturnFormat(JSON)
    sparql.setOnlyConneg(True)  # Accept header only: no format=json parameters
    sparql.setTimeout(max(1, round(timeout)))
    try:
        result = sparql.queryAndConvert()
    except (OSError, HTTPException, SPARQLWrapperException, ValueError) as exc:
        # OSError covers urllib's URLError/HTTPError, refused connections and timeouts
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(
            endpoint,
            f"the SPARQL query failed ({type(exc).__name__}: {reason})",
            hint="check the network connection or the endpoint "
            "($S3GRAPH_WIKIDATA_ENDPOINT); names already cached are kept",
        ) from exc
    rows = _rows(result, endpoint)
    _write_tsv(names_path(cache_dir), rows)
    return rows


def load_cached_names(cache_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """NUTS code -> its cached English names, labels first, then aliases; no network.

    Returns an empty dict when nothing was fetched yet (the names are an optional help for
    matching region names). Raises :class:`VocabFileError` if the file is not the TSV written
    by :func:`fetch_wikidata_names`.
    """
    path = names_path(cache_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    header = next(reader, None)
    if header is None or tuple(header) != COLUMNS:
        raise VocabFileError(path, "a TSV file with the columns code, name, kind")
    ranked: dict[str, list[tuple[int, str]]] = {}
    for row in reader:
        if len(row) != len(COLUMNS) or row[2] not in KINDS:
            continue
        code, name, kind = row
        ranked.setdefault(code, []).append((KINDS.index(kind), name))
    names: dict[str, tuple[str, ...]] = {}
    for code, entries in ranked.items():
        ordered: list[str] = []
        for _, name in sorted(entries, key=lambda e: e[0]):  # stable: file order within a kind
            if name not in ordered:
                ordered.append(name)
        names[code] = tuple(ordered)
    return names


__all__ = [
    "COLUMNS",
    "KINDS",
    "NAMES_FILE",
    "QUERY_FILE",
    "fetch_wikidata_names",
    "load_cached_names",
    "load_query",
    "names_path",
]
