"""Download a reference file once, keep it in the user's cache and revalidate it cheaply.

The cache lives in ``$S3GRAPH_CACHE``, else ``$XDG_CACHE_HOME/s3graph``, else
``~/.cache/s3graph``. HTTP itself is left to maintained libraries: CacheControl keeps the
responses (``http/``) and turns a later fetch into a conditional request (``If-None-Match`` /
``If-Modified-Since``), and urllib3's ``Retry`` retries connection errors, timeouts, 5xx and 429
with exponential back-off. What s3graph adds is the copy callers read: each URL has a body file
(``downloads/<name>-<hash><suffix>``, the suffix kept so that formats can be guessed from it) and
a side JSON file holding the URL, the validators and a SHA-256 of the body. The body is written
to a temporary file in the same folder and renamed, so a reader never sees half a download, and
it is not rewritten when the server says it has not changed.

When the server cannot be reached (connection error, timeout, 5xx after the retries), a cached
copy is used with a warning; without one, :class:`FetchError` tells the user what to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import takewhile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cachecontrol import CacheControlAdapter
from cachecontrol.caches import SeparateBodyFileCache
from cachecontrol.controller import CacheController
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.util.retry import RequestHistory, Retry

from s3graph import __version__
from s3graph.errors import S3GraphError
from s3graph.vocab.rdf_files import VocabFileError

log = logging.getLogger(__name__)

#: Environment variable naming the cache folder.
CACHE_ENV = "S3GRAPH_CACHE"
#: Sent with every request, as the Wikidata and GitHub usage policies ask.
USER_AGENT = f"s3graph/{__version__} (+https://w3id.org/s3graph)"

_CHUNK = 1 << 16


class FetchError(S3GraphError):
    """A reference file cannot be downloaded and no cached copy exists."""

    exit_code = 4

    def __init__(self, url: str, reason: str, *, hint: str | None = None) -> None:
        self.url = url
        self.reason = reason
        self.hint = (
            hint
            if hint is not None
            else (
                "check the network connection (or the proxy settings), or download the file "
                "yourself and run `s3graph vocab load FILE`"
            )
        )
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"cannot download {self.url}: {self.reason}; {self.hint}"


def default_cache_dir() -> Path:
    """``$S3GRAPH_CACHE``, else ``$XDG_CACHE_HOME/s3graph``, else ``~/.cache/s3graph``."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return root / "s3graph"


@dataclass(frozen=True)
class _Entry:
    """Where one URL is cached: the body and its side JSON file."""

    body: Path
    meta: Path


def _entry(url: str, cache_dir: Path) -> _Entry:
    name = Path(urlsplit(url).path).name or "index"
    stem, suffix = os.path.splitext(name)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem)[:80] or "file"
    suffix = re.sub(r"[^A-Za-z0-9.]+", "", suffix)[:16]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    body = cache_dir / "downloads" / f"{stem}-{digest}{suffix}"
    return _Entry(body=body, meta=body.with_name(body.name + ".json"))


def cache_path(url: str, cache_dir: Path | None = None) -> Path:
    """Where the body of ``url`` is (or would be) cached; the file may not exist."""
    return _entry(url, cache_dir if cache_dir is not None else default_cache_dir()).body


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_meta(entry: _Entry, url: str) -> dict[str, Any] | None:
    """The side JSON of a cached body, or None when missing, unreadable or not matching it."""
    try:
        meta = json.loads(entry.meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("url") != url:
        return None
    try:
        if meta.get("sha256") != _sha256(entry.body):
            return None
    except OSError:
        return None
    return meta


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_meta(entry: _Entry, meta: dict[str, Any]) -> None:
    text = json.dumps(meta, indent=2, sort_keys=True) + "\n"
    _write_atomically(entry.meta, text.encode("utf-8"))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


#: Answers worth retrying (the server is busy or failing), and then worth falling back on a copy.
TRANSIENT_STATUSES = frozenset({429, *range(500, 600)})
#: The folder of the cache, below the cache folder, where CacheControl keeps the responses.
HTTP_CACHE = "http"


class _Retry(Retry):
    """urllib3's ``Retry`` waiting ``backoff``, ``2 * backoff``, ``4 * backoff``... seconds.

    urllib3 retries the first failure at once and starts the doubling from the second; s3graph
    has always waited before the first retry too (a server that just failed is given a moment).
    """

    def get_backoff_time(self) -> float:
        failures = sum(1 for _ in takewhile(_not_redirect, reversed(self.history)))
        if failures == 0:
            return 0.0
        return float(min(self.backoff_max, self.backoff_factor * 2 ** (failures - 1)))


def _not_redirect(attempt: RequestHistory) -> bool:
    return attempt.redirect_location is None


def _retry_notice(record: logging.LogRecord) -> bool:
    """Keep urllib3's warning about a retry of ours out of the user's sight (logged at INFO here).

    A retry is expected and may well succeed: what the user is told is the outcome (the cached
    copy used, or :class:`FetchError`), as before urllib3 did the retrying.
    """
    args = record.args if isinstance(record.args, tuple) else ()
    if args and isinstance(args[0], _Retry):
        log.info("%s", record.getMessage())
        return False
    return True


logging.getLogger("urllib3.connectionpool").addFilter(_retry_notice)


def _session(cache: SeparateBodyFileCache, retries: int, backoff: float) -> requests.Session:
    """A session whose GETs go through the response cache and are retried when transient."""
    retry = _Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=TRANSIENT_STATUSES,
        backoff_factor=backoff,
        raise_on_status=False,  # the last answer is reported (or the cached copy used)
    )
    adapter = CacheControlAdapter(cache=cache, max_retries=retry)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _Transient(Exception):
    """A failure that outlived the retries: connection error, timeout, 5xx or 429."""


@dataclass(frozen=True)
class _Downloaded:
    tmp: Path | None  # None: not modified since the copy in the cache
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None


def _download(
    http: requests.Session, url: str, timeout: float, entry: _Entry, meta: dict[str, Any] | None
) -> _Downloaded:
    """One GET (retried by the session); a new body is streamed into a temporary file next to
    the cached one."""
    try:
        with http.get(url, timeout=timeout, stream=True) as response:
            status = response.status_code
            if status == 304:
                raise FetchError(url, "the server answered 304 Not Modified but nothing is cached")
            if status in TRANSIENT_STATUSES:
                raise _Transient(f"the server answered HTTP {status} {response.reason or ''}")
            if status != 200:
                raise FetchError(url, f"the server answered HTTP {status} {response.reason or ''}")
            etag = response.headers.get("ETag")
            if getattr(response, "from_cache", False) and meta and meta.get("etag") == etag:
                return _Downloaded(tmp=None)
            fd, tmp_name = tempfile.mkstemp(
                dir=entry.body.parent, prefix=".tmp-", suffix=entry.body.suffix
            )
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as handle:
                    for chunk in response.iter_content(_CHUNK):
                        handle.write(chunk)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            return _Downloaded(
                tmp=tmp,
                etag=etag,
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type"),
            )
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise _Transient(_describe(exc)) from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        raise _Transient(f"the download was cut short ({exc})") from exc
    except requests.RequestException as exc:
        raise FetchError(url, _describe(exc)) from exc


def _describe(exc: requests.RequestException) -> str:
    reason = exc.args[0].reason if exc.args and isinstance(exc.args[0], MaxRetryError) else None
    if isinstance(exc, requests.Timeout) or isinstance(reason, ReadTimeoutError):
        return "the server did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        return "the server cannot be reached (offline, or the host is down)"
    return f"{type(exc).__name__}: {exc}"


def fetch(
    url: str,
    *,
    cache_dir: Path | None = None,
    timeout: float = 30,
    retries: int = 3,
    backoff: float = 0.5,
) -> Path:
    """Download ``url`` into the cache (or revalidate the cached copy) and return its path.

    ``retries`` is the number of further attempts after a connection error, a timeout, a 5xx
    or a 429; the waits are ``backoff``, ``2 * backoff``, ``4 * backoff``... seconds (or what a
    ``Retry-After`` header asks). Other HTTP errors raise :class:`FetchError` at once. When the
    server stays unreachable, the cached copy is returned with a logged warning, or
    :class:`FetchError` raised if there is none. The returned path is inside the cache: read
    it, do not move it.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(
            url,
            "only http:// and https:// URLs can be downloaded",
            hint="to use a local file, run `s3graph vocab load FILE`",
        )
    root = cache_dir if cache_dir is not None else default_cache_dir()
    entry = _entry(url, root)
    try:
        entry.body.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(
            url,
            f"the cache folder {entry.body.parent} cannot be created ({exc})",
            hint=f"set {CACHE_ENV} to a writable folder",
        ) from exc

    cached = entry.body.is_file()
    meta = _read_meta(entry, url) if cached else None
    responses = SeparateBodyFileCache(root / HTTP_CACHE)
    if meta is None:  # no copy to keep: ask for the whole body, without validators
        responses.delete(CacheController.cache_url(url))
    try:
        with _session(responses, retries, backoff) as http:
            result = _download(http, url, timeout, entry, meta)
    except _Transient as exc:
        if cached:
            log.warning("cannot reach %s (%s); using the cached copy %s", url, exc, entry.body)
            return entry.body
        raise FetchError(url, f"{exc}, and nothing is cached for it in {root}") from exc

    if result.tmp is None:
        assert meta is not None  # only an intact copy is kept
        meta["validated_at"] = _now()
        _write_meta(entry, meta)
        log.debug("%s not modified; using %s", url, entry.body)
        return entry.body

    digest = _sha256(result.tmp)
    os.replace(result.tmp, entry.body)
    now = _now()
    _write_meta(
        entry,
        {
            "url": url,
            "etag": result.etag,
            "last_modified": result.last_modified,
            "content_type": result.content_type,
            "sha256": digest,
            "size": entry.body.stat().st_size,
            "fetched_at": now,
            "validated_at": now,
        },
    )
    log.debug("downloaded %s to %s", url, entry.body)
    return entry.body


__all__ = [
    "CACHE_ENV",
    "USER_AGENT",
    "FetchError",
    "VocabFileError",
    "cache_path",
    "default_cache_dir",
    "fetch",
]
