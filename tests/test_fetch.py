"""Downloading reference files: cache, revalidation, retries and the offline cases.

Nothing here reaches the internet: a local HTTP server (127.0.0.1, port 0) serves files from the
shared reference folder, or from a temporary folder, and the real download code is pointed at it.
The handler sets an ``ETag`` and honours ``If-None-Match``; it can be told to answer with errors
first, and it records every request.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from s3graph.errors import S3GraphError
from s3graph.vocab.sources import fetch as fetch_module
from s3graph.vocab.sources import urls as sources
from s3graph.vocab.sources.fetch import FetchError, cache_path, default_cache_dir, fetch

# --------------------------------------------------------------------------------------------------
# A small file server with ETags


@dataclass
class Served:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class FileServer:
    """A running server: its base URL, the requests seen, and errors to answer first."""

    root: Path
    base: str = ""
    requests: list[Served] = field(default_factory=list)
    fail_first: list[int] = field(default_factory=list)
    httpd: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    def url(self, name: str) -> str:
        return self.base + name

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:20] + '"'


def _handler_for(server: FileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

        def _answer(self, record: Served, status: int, headers: dict[str, str], body: bytes):
            record.status = status
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            record = Served(self.path, {k: v for k, v in self.headers.items()})
            server.requests.append(record)
            if server.fail_first:
                status = server.fail_first.pop(0)
                self._answer(record, status, {"Content-Type": "text/plain"}, b"try again later")
                return
            relative = unquote(urlsplit(self.path).path).lstrip("/")
            target = (server.root / relative).resolve()
            if not target.is_file() or server.root.resolve() not in target.parents:
                self._answer(record, 404, {"Content-Type": "text/plain"}, b"not found")
                return
            data = target.read_bytes()
            etag = _etag(data)
            headers = {
                "ETag": etag,
                "Last-Modified": formatdate(target.stat().st_mtime, usegmt=True),
                "Content-Type": "text/csv; charset=utf-8",
            }
            wanted = [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]
            if etag in wanted or "*" in wanted:
                self._answer(record, 304, {"ETag": etag}, b"")
                return
            self._answer(record, 200, headers, data)

    return Handler


def start_server(root: Path) -> FileServer:
    """Serve ``root`` on 127.0.0.1 with a free port, in a daemon thread."""
    server = FileServer(root=root)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(server))
    server.httpd = httpd
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    server.thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    server.thread.start()
    return server


@pytest.fixture
def reference_dir(shared_dir: Path) -> Path:
    folder = shared_dir / "reference"
    if not (folder / "nuts-2016.csv").is_file():
        pytest.skip(f"no NUTS reference files in {folder}; set S3GRAPH_SHARED")
    return folder


@pytest.fixture
def serve() -> Iterator[Callable[[Path], FileServer]]:
    """Start file servers on demand; all are stopped at teardown."""
    started: list[FileServer] = []

    def _serve(root: Path) -> FileServer:
        server = start_server(root)
        started.append(server)
        return server

    yield _serve
    for server in started:
        server.stop()


@pytest.fixture
def ref_server(serve: Callable[[Path], FileServer], reference_dir: Path) -> FileServer:
    return serve(reference_dir)


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the back-off waits instead of sleeping (urllib3's Retry sleeps with time.sleep).

    Only this test's own thread is recorded: a thread another test left running (a query pool's
    supervisor looks every 50 ms) still sleeps, and its sleeps are not this test's waits.
    """
    waits: list[float] = []
    sleep, own = time.sleep, threading.current_thread()

    def recorded(seconds: float) -> None:
        if threading.current_thread() is own:
            waits.append(seconds)
        else:
            sleep(seconds)

    monkeypatch.setattr(time, "sleep", recorded)
    return waits


def closed_port_url(name: str = "nuts-2016.csv") -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{name}"


def meta_of(body: Path) -> dict[str, object]:
    return json.loads(body.with_name(body.name + ".json").read_text(encoding="utf-8"))


def leftovers(cache: Path) -> list[Path]:
    return [p for p in cache.rglob(".tmp-*")]


# --------------------------------------------------------------------------------------------------
# Download, cache, revalidate


def test_first_fetch_downloads_into_the_cache(
    ref_server: FileServer, reference_dir: Path, tmp_path: Path
) -> None:
    url = ref_server.url("nuts-2016.csv")
    path = fetch(url, cache_dir=tmp_path)

    assert path == cache_path(url, tmp_path)
    assert path.is_relative_to(tmp_path) and path.suffix == ".csv"
    assert path.read_bytes() == (reference_dir / "nuts-2016.csv").read_bytes()
    [request] = ref_server.requests
    assert request.status == 200
    assert "If-None-Match" not in request.headers
    assert request.headers["User-Agent"].startswith("s3graph/")
    meta = meta_of(path)
    assert meta["url"] == url
    assert meta["etag"] == _etag(path.read_bytes())
    assert meta["last_modified"]
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert leftovers(tmp_path) == []


def test_second_fetch_is_a_conditional_request_answered_304(
    ref_server: FileServer, tmp_path: Path
) -> None:
    url = ref_server.url("nuts-2016.csv")
    first = fetch(url, cache_dir=tmp_path)
    etag = meta_of(first)["etag"]
    os.utime(first, (1_000_000, 1_000_000))  # a rewrite would change this

    second = fetch(url, cache_dir=tmp_path)

    assert second == first
    assert [r.status for r in ref_server.requests] == [200, 304]
    assert ref_server.requests[1].headers["If-None-Match"] == etag
    assert "If-Modified-Since" in ref_server.requests[1].headers
    assert second.stat().st_mtime == 1_000_000
    assert meta_of(second)["etag"] == etag


def test_a_changed_file_replaces_the_cached_copy(
    serve: Callable[[Path], FileServer], tmp_path: Path
) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "goals.csv").write_text("goal\n1\n", encoding="utf-8")
    server = serve(root)
    cache = tmp_path / "cache"
    url = server.url("goals.csv")

    old_etag = meta_of(fetch(url, cache_dir=cache))["etag"]
    (root / "goals.csv").write_text("goal\n1\n2\n", encoding="utf-8")
    path = fetch(url, cache_dir=cache)

    assert [r.status for r in server.requests] == [200, 200]
    assert server.requests[1].headers["If-None-Match"] == old_etag
    assert path.read_text(encoding="utf-8") == "goal\n1\n2\n"
    assert meta_of(path)["etag"] != old_etag
    assert leftovers(cache) == []


def test_a_damaged_cache_is_downloaded_again_without_validators(
    ref_server: FileServer, reference_dir: Path, tmp_path: Path
) -> None:
    url = ref_server.url("nuts-2016.csv")
    path = fetch(url, cache_dir=tmp_path)
    path.write_text("truncated", encoding="utf-8")  # no longer matches the recorded SHA-256

    again = fetch(url, cache_dir=tmp_path)

    assert "If-None-Match" not in ref_server.requests[1].headers
    assert ref_server.requests[1].status == 200
    assert again.read_bytes() == (reference_dir / "nuts-2016.csv").read_bytes()


def test_different_urls_get_different_cache_files(tmp_path: Path) -> None:
    a = cache_path("https://example.org/a/NUTS_AT_2021.csv", tmp_path)
    b = cache_path("https://example.org/b/NUTS_AT_2021.csv", tmp_path)
    assert a != b
    assert a.name.startswith("NUTS_AT_2021-") and a.suffix == ".csv"


# --------------------------------------------------------------------------------------------------
# Retries


def test_two_server_errors_then_success_is_retried(
    ref_server: FileServer, reference_dir: Path, tmp_path: Path, no_sleep: list[float]
) -> None:
    ref_server.fail_first = [500, 503]
    path = fetch(ref_server.url("sdg-goals.csv"), cache_dir=tmp_path, retries=3, backoff=0.5)

    assert [r.status for r in ref_server.requests] == [500, 503, 200]
    assert no_sleep == [0.5, 1.0]  # exponential back-off
    assert path.read_bytes() == (reference_dir / "sdg-goals.csv").read_bytes()


def test_server_errors_beyond_the_retries_raise(
    ref_server: FileServer, tmp_path: Path, no_sleep: list[float]
) -> None:
    ref_server.fail_first = [502] * 10
    url = ref_server.url("sdg-goals.csv")
    with pytest.raises(FetchError) as caught:
        fetch(url, cache_dir=tmp_path, retries=3, backoff=0.25)

    assert len(ref_server.requests) == 4  # the first attempt and three retries
    assert no_sleep == [0.25, 0.5, 1.0]
    assert "HTTP 502" in str(caught.value)
    assert url in str(caught.value)
    assert list((tmp_path / "downloads").glob("*.csv")) == []


def test_a_client_error_is_not_retried(
    ref_server: FileServer, tmp_path: Path, no_sleep: list[float]
) -> None:
    url = ref_server.url("no-such-file.csv")
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(url, cache_dir=tmp_path, retries=3)
    assert len(ref_server.requests) == 1
    assert no_sleep == []


# --------------------------------------------------------------------------------------------------
# Offline


def test_offline_with_a_cached_copy_uses_it_and_warns(
    ref_server: FileServer,
    reference_dir: Path,
    tmp_path: Path,
    no_sleep: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = ref_server.url("nuts-changes.csv")
    cached = fetch(url, cache_dir=tmp_path)
    ref_server.stop()

    with caplog.at_level(logging.WARNING, logger="s3graph.vocab.sources.fetch"):
        path = fetch(url, cache_dir=tmp_path, retries=1, timeout=5)

    assert path == cached
    assert path.read_bytes() == (reference_dir / "nuts-changes.csv").read_bytes()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert url in warnings[0].getMessage() and "cached" in warnings[0].getMessage()


def test_offline_without_a_cached_copy_says_what_to_do(
    tmp_path: Path, no_sleep: list[float]
) -> None:
    url = closed_port_url()
    with pytest.raises(FetchError) as caught:
        fetch(url, cache_dir=tmp_path, retries=2, timeout=5)

    error = caught.value
    message = str(error)
    assert isinstance(error, S3GraphError)
    assert error.exit_code == 4
    assert error.url == url
    assert url in message
    assert "cannot be reached" in message
    assert "s3graph vocab load FILE" in message
    assert str(tmp_path) in message
    assert "\n" not in message
    assert len(no_sleep) == 2


def test_only_http_urls_are_fetched(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="s3graph vocab load FILE"):
        fetch("file:///etc/hostname", cache_dir=tmp_path)


# --------------------------------------------------------------------------------------------------
# The cache folder and the official URLs


def test_cache_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "mine"

    monkeypatch.delenv("S3GRAPH_CACHE")
    assert default_cache_dir() == tmp_path / "xdg" / "s3graph"

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "s3graph"


def test_official_urls_and_their_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for env in (sources.NUTS_BASE_ENV, sources.SDG_URL_ENV, sources.WIKIDATA_ENDPOINT_ENV):
        monkeypatch.delenv(env, raising=False)
    assert sources.nuts_csv_url(2024) == (
        "https://gisco-services.ec.europa.eu/distribution/v2/nuts/csv/NUTS_AT_2024.csv"
    )
    assert sources.sdg_kos_url().endswith("/sdg-data/sdg-kos-goals-targets-indicators.ttl")
    assert sources.wikidata_endpoint() == "https://query.wikidata.org/sparql"
    with pytest.raises(ValueError, match="2003"):
        sources.nuts_csv_url(2003)

    monkeypatch.setenv(sources.NUTS_BASE_ENV, "http://127.0.0.1:9/nuts")
    monkeypatch.setenv(sources.SDG_URL_ENV, "http://127.0.0.1:9/sdg.ttl")
    monkeypatch.setenv(sources.WIKIDATA_ENDPOINT_ENV, "http://127.0.0.1:9/query")
    assert sources.nuts_csv_url(2016) == "http://127.0.0.1:9/nuts/csv/NUTS_AT_2016.csv"
    assert sources.sdg_kos_url() == "http://127.0.0.1:9/sdg.ttl"
    assert sources.wikidata_endpoint() == "http://127.0.0.1:9/query"


def test_gisco_attribute_table_through_the_base_url_setting(
    serve: Callable[[Path], FileServer],
    reference_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real URL pattern and reader, with GISCO's layout served locally."""
    from s3graph.vocab.nuts_csv import read_reference_csv

    with (reference_dir / "nuts-2016.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "MOUNT_TYPE"])
    for row in rows:
        writer.writerow([row["code"], row["level"], row["country"], row["label_latin"],
                         row["label"], "0"])  # fmt: skip
    site = tmp_path / "gisco"
    (site / "csv").mkdir(parents=True)
    (site / "csv" / "NUTS_AT_2016.csv").write_text(out.getvalue(), encoding="utf-8")
    server = serve(site)
    monkeypatch.setenv(sources.NUTS_BASE_ENV, server.base)

    path = fetch(sources.nuts_csv_url(2016), cache_dir=tmp_path / "cache")
    regions = read_reference_csv(path, 2016)

    assert [r.path for r in server.requests] == ["/csv/NUTS_AT_2016.csv"]
    assert len(regions) == len(rows)
    lappi = next(r for r in regions if r.code == "FI1D7")
    assert (lappi.label, lappi.parent, lappi.level) == ("Lappi", "FI1D", 3)


def test_server_errors_with_a_cached_copy_use_it_and_warn(
    ref_server: FileServer,
    tmp_path: Path,
    no_sleep: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = ref_server.url("sdg-goals.csv")
    cached = fetch(url, cache_dir=tmp_path)
    ref_server.fail_first = [503, 503]

    with caplog.at_level(logging.WARNING, logger="s3graph.vocab.sources.fetch"):
        path = fetch(url, cache_dir=tmp_path, retries=1)

    assert path == cached
    assert [r.status for r in ref_server.requests] == [200, 503, 503]
    assert any("HTTP 503" in r.getMessage() for r in caplog.records)


def test_a_server_that_never_answers_times_out_with_the_same_message(
    tmp_path: Path, no_sleep: list[float]
) -> None:
    """Accepted but never answered: each attempt times out, then the user is told so."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/nuts-2016.csv"
        with pytest.raises(FetchError) as caught:
            fetch(url, cache_dir=tmp_path, retries=1, timeout=0.2)

    assert "did not answer in time" in str(caught.value)
    assert "nothing is cached" in str(caught.value)
    assert no_sleep == [0.5]


def test_responses_are_kept_by_the_http_cache(ref_server: FileServer, tmp_path: Path) -> None:
    """The maintained cache layer keeps the response it revalidates next time."""
    fetch(ref_server.url("sdg-goals.csv"), cache_dir=tmp_path)
    assert any(p.is_file() for p in (tmp_path / fetch_module.HTTP_CACHE).rglob("*"))
