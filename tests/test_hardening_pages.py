"""Hostile page paths: whatever a path holds, the answer is the usual 404 (or the server's 400).

A page path becomes the IRI ``base + path``; a path that decodes to something no IRI may hold
(a backslash, NUL, control characters, spaces, ``<>"{}|^```, a lone ``%``, bytes that are not
UTF-8, ...) names nothing in the graph. Hundreds of generated paths go through FastAPI's test
client and, as raw request lines, through a real socket to uvicorn; none may get a 500, and every
404 must be the one the pages always give: JSON for API clients, the HTML page for browsers.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from conftest import live_server
from fastapi import FastAPI
from fastapi.testclient import TestClient

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import examples_dir
from s3graph.ingest import ingest
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
JSON = "application/json"
HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
NOT_FOUND_DETAIL = "the graph holds nothing about <"

#: Where a hostile piece is put: page paths of each kind, with and without an RDF suffix.
PLACES = ("x{}", "partnership/{}", "partnership/mining-{}-industry", "region/FI{}1D7")
SUFFIXES = ("", ".ttl", ".jsonld", ".nt", ".rdf")
#: Pieces that are not (or do not decode to) valid IRI characters, escapes or UTF-8.
HOSTILE = (
    "%", "%2", "%zz", "%G0", "%%", "%2%", "%%41", "%25", "%25%", "%00", "%5C", "%5c%5c", "%20",
    "%0A", "%0D%0A", "%09", "%7F", "%3C%3E", "%22", "%7B%7D", "%7C", "%5E", "%60", "%5B", "%5D",
    "%23a%23b", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%FE", "%FF", "%C3",
    "%EF%BF%BE", "%EF%BF%BF", "%E2%80%AE", "%E2%80%8B", "%EF%BB%BF", "%F0%9F%98%80%00",
    "..%2F..%2F", "%2e%2e%5c", "a%00.ttl", "%0D%0ASet-Cookie:%20x=1", "x" * 3000 + "%00",
)


def hostile_paths() -> list[str]:
    """Every byte percent-encoded in a path, and each hostile piece in each place and suffix."""
    paths = [f"/partnership/x%{byte:02X}y" for byte in range(256)]
    paths += [
        "/" + place.format(piece) + suffix
        for piece in HOSTILE
        for place in PLACES
        for suffix in SUFFIXES
    ]
    return paths


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    store = Store.open(tmp_path_factory.mktemp("hostile") / "store")
    ingest(store, [examples_dir()], base=BASE)
    yield create_app(ApiSettings(base=BASE), store)
    store.close()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def check_json_not_found(status: int, content_type: str, body: bytes, path: str) -> None:
    assert status == 404, (path, status, body[:300])
    assert content_type.startswith(JSON), (path, content_type)
    answer = json.loads(body)
    assert set(answer) == {"error", "detail"} and answer["error"] == "not found", (path, answer)
    assert answer["detail"].startswith(NOT_FOUND_DETAIL), (path, answer)
    assert answer["detail"].isprintable(), (path, answer)  # no NUL or CR-LF echoed back


def check_html_not_found(status: int, content_type: str, body: bytes, path: str) -> None:
    assert status == 404, (path, status, body[:300])
    assert content_type.startswith("text/html"), (path, content_type)
    page = body.decode("utf-8")
    assert "<h1>Not found</h1>" in page and NOT_FOUND_DETAIL.replace("<", "&lt;") in page, path
    assert "\x00" not in page, path


def test_there_are_hundreds_of_hostile_paths() -> None:
    assert len(set(hostile_paths())) >= 300


def test_a_page_that_exists_is_still_served(client: TestClient) -> None:
    response = client.get("/partnership/mining-industry", headers={"Accept": HTML})
    assert response.status_code == 200 and "Mining" in response.text


@pytest.mark.parametrize("accept", [JSON, HTML], ids=["json", "html"])
def test_hostile_paths_are_404_in_the_usual_shape(client: TestClient, accept: str) -> None:
    check = check_json_not_found if accept == JSON else check_html_not_found
    for path in hostile_paths():
        response = client.get(path, headers={"Accept": accept})
        check(response.status_code, response.headers["content-type"], response.content, path)


@pytest.mark.parametrize("path", ["/%0A", "/query%0A", "/cross%0A", "/static/style.css%0A"])
def test_a_fixed_route_and_a_final_line_break_is_never_a_500(client: TestClient, path: str) -> None:
    """Starlette's route patterns end in ``$``, which also matches before a final line break:
    ``/%0A`` is the home page. Harmless (the same page), but it must not be an error either."""
    for accept in (JSON, HTML):
        assert client.get(path, headers={"Accept": accept}).status_code in (200, 404)


def test_an_invalid_iri_is_shown_percent_encoded(client: TestClient) -> None:
    response = client.get("/partnership/a%5Cb%00c", headers={"Accept": JSON})
    assert response.json() == {
        "error": "not found",
        "detail": f"the graph holds nothing about <{BASE}partnership/a%5Cb%00c>",
    }


def _raw_get(host: str, port: int, target: bytes, accept: str) -> tuple[int, str, bytes]:
    """One request line sent as given (no client quoting it), over a fresh connection."""
    request = (
        b"GET " + target + b" HTTP/1.1\r\nHost: " + f"{host}:{port}".encode()
        + b"\r\nAccept: " + accept.encode() + b"\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=30) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    headers = {name.lower(): value for name, value in headers.items()}
    if headers.get("transfer-encoding") == "chunked":
        body = _unchunk(body)
    return int(lines[0].split()[1]), headers.get("content-type", ""), body


def _unchunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, body = out + body[:size], body[size + 2 :]
    return out


#: Raw bytes in the request target: what a browser would escape but an attacker need not.
RAW_PIECES = (b"\\", b"a\\b", b"<x>", b'"', b"{}", b"|", b"^", b"`", b"\x7f", b"\xff", b"\xc3(",
              b"%", b"%zz", b"[", b"]", b"\x01", b"\t")


def test_hostile_paths_over_a_real_socket_are_never_a_500(app: FastAPI) -> None:
    targets = [path.encode() for path in hostile_paths()]
    targets += [b"/partnership/" + piece + b"y" for piece in RAW_PIECES]
    with live_server(app) as url:
        host, port = url.removeprefix("http://").split(":")
        answers = {404: 0, 400: 0}
        for n, target in enumerate(targets):
            accept = JSON if n % 2 else HTML
            status, content_type, body = _raw_get(host, int(port), target, accept)
            assert status in answers, (target, status, body[:300])
            answers[status] += 1
            if status == 404:  # the app answered: its usual not-found
                check = check_json_not_found if accept == JSON else check_html_not_found
                check(status, content_type, body, repr(target))
    assert answers[404] >= len(hostile_paths())  # the app itself answered every escaped path
