"""HTTP to a SPARQL server: bounded in time, credentials kept out of sight, failures as one line.

Every request runs against a deadline (:class:`Limits`): the connection, each wait for bytes and
the whole answer, so a server that is down, hangs or trickles its answer ends in a
:class:`~s3graph.errors.StoreError` naming the URL and what happened, after at most
``Limits.total`` seconds (plus one read wait). Credentials come from ``S3GRAPH_STORE_USER`` and
``S3GRAPH_STORE_PASSWORD`` (or the URL's ``user:password@``, taken out of it); they are sent only
after the server asks (a 401), by the scheme its challenge names (HTTP digest, as Virtuoso's
``/sparql-auth`` wants, or basic), and never appear in a message: every text that leaves this
module is scrubbed of them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from s3graph.errors import StoreError

__all__ = [
    "PASSWORD_VARIABLE",
    "TIMEOUT_VARIABLE",
    "USER_VARIABLE",
    "Client",
    "Credentials",
    "Limits",
    "QueryRejected",
    "is_store_url",
    "split_credentials",
]

USER_VARIABLE = "S3GRAPH_STORE_USER"
PASSWORD_VARIABLE = "S3GRAPH_STORE_PASSWORD"
#: seconds a whole request may take (:attr:`Limits.total`)
TIMEOUT_VARIABLE = "S3GRAPH_STORE_TIMEOUT"


def is_store_url(text: str) -> bool:
    """Whether ``--store`` names a SPARQL server (``http://`` or ``https://``), not a folder.

    Only those two schemes, case-insensitive, followed by a host: a folder called ``http:`` or
    ``http:foo`` stays a folder, and so does anything else with a colon.
    """
    scheme, _, rest = text.partition("://")
    return scheme.lower() in ("http", "https") and bool(rest) and not rest.startswith("/")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password for the server; the password is never shown by ``repr``."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Credentials | None:
        environ = os.environ if environ is None else environ
        user = environ.get(USER_VARIABLE, "")
        return cls(user, environ.get(PASSWORD_VARIABLE, "")) if user else None

    def scrub(self, text: str) -> str:
        """``text`` with the password (and the user name) replaced by ``***``."""
        for secret in sorted({self.password, self.user} - {""}, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """``url`` without a ``user:password@`` part, and those credentials if it had them."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, Credentials(parts.username, parts.password or "")


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a request may take, in seconds: to connect, between bytes, and in all."""

    connect: float = 5.0
    read: float = 60.0
    total: float = 300.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The default limits, ``S3GRAPH_STORE_TIMEOUT`` (seconds) bounding each and the total."""
        environ = os.environ if environ is None else environ
        given = environ.get(TIMEOUT_VARIABLE)
        if not given:
            return cls()
        try:
            seconds = float(given)
        except ValueError:
            raise StoreError(f"{TIMEOUT_VARIABLE}={given!r}: give a number of seconds") from None
        if seconds <= 0:
            raise StoreError(f"{TIMEOUT_VARIABLE}={given!r}: give a number of seconds above 0")
        default = cls()
        return cls(min(default.connect, seconds), min(default.read, seconds), seconds)


class QueryRejected(Exception):
    """The server refused a query or update as malformed (HTTP 400): its message, scrubbed."""


class Client:
    """One HTTP session with a SPARQL server, under :class:`Limits`."""

    def __init__(self, credentials: Credentials | None = None, limits: Limits | None = None):
        self.credentials = credentials
        self.limits = limits or Limits()
        self._session = requests.Session()
        self._session.trust_env = False  # no proxy or .netrc of the environment: the URL given
        self._auth: AuthBase | None = None

    def close(self) -> None:
        self._session.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        params: list[tuple[str, str]] | None = None,
        data: bytes | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """The server's answer to one request, its body read in full before the deadline.

        ``what`` says what the request does, for the error (``"cannot be queried"``). Raises
        :class:`StoreError` when the server cannot be reached, is too slow, refuses the
        credentials or answers with an error, and :class:`QueryRejected` for a 400.
        """
        deadline = time.monotonic() + self.limits.total
        response = self._request(method, url, what, deadline, params, data, headers)
        if response.status_code == 401 and self.credentials is not None and self._auth is None:
            self._auth = self._auth_for(response.headers.get("WWW-Authenticate", ""))
            response.close()
            response = self._request(method, url, what, deadline, params, data, headers)
        body = self._read(response, url, what, deadline)
        if response.status_code >= 400:
            raise self._refusal(url, what, response.status_code, body)
        response._content = body
        return response

    def _auth_for(self, challenge: str) -> AuthBase:
        assert self.credentials is not None
        user, password = self.credentials.user, self.credentials.password
        if challenge.strip().lower().startswith("digest"):
            return HTTPDigestAuth(user, password)
        return HTTPBasicAuth(user, password)

    def _request(
        self,
        method: str,
        url: str,
        what: str,
        deadline: float,
        params: list[tuple[str, str]] | None,
        data: bytes | list[tuple[str, str]] | None,
        headers: Mapping[str, str] | None,
    ) -> requests.Response:
        left = max(deadline - time.monotonic(), 0.001)
        timeout = (min(self.limits.connect, left), min(self.limits.read, left))
        try:
            return self._session.request(
                method,
                url,
                params=params,
                data=data,
                headers=dict(headers or {}),
                auth=self._auth,
                timeout=timeout,
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise self.error(url, what, f"no answer within {self._bound(timeout)} s") from None
        except requests.ConnectionError as exc:
            raise self.error(url, what, f"cannot connect: {_reason(exc)}") from None
        except requests.RequestException as exc:
            raise self.error(url, what, _reason(exc)) from None

    def _read(self, response: requests.Response, url: str, what: str, deadline: float) -> bytes:
        """The whole body, refused once the deadline passes (a server trickling its answer)."""
        chunks: list[bytes] = []
        try:
            for chunk in response.iter_content(chunk_size=1 << 16):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise self.error(
                        url, what, f"the answer took longer than {self.limits.total:g} s"
                    )
        except requests.RequestException as exc:
            raise self.error(url, what, f"the answer broke off: {_reason(exc)}") from None
        finally:
            response.close()
        return b"".join(chunks)

    def _refusal(self, url: str, what: str, status: int, body: bytes) -> Exception:
        detail = _first_line(body.decode("utf-8", "replace"))
        if status == 400:
            return QueryRejected(self.scrub(detail or "HTTP 400"))
        if status in (401, 403):
            given = "the credentials given" if self.credentials else "no credentials"
            return self.error(
                url,
                what,
                f"HTTP {status}, refused with {given} (set {USER_VARIABLE} and "
                f"{PASSWORD_VARIABLE} to a user allowed to write)",
            )
        return self.error(url, what, f"HTTP {status}" + (f": {detail}" if detail else ""))

    def error(self, url: str, what: str, detail: str) -> StoreError:
        """The one line a user reads: the server's URL, what failed and why; no secrets."""
        return StoreError(self.scrub(f"{url}: the SPARQL server {what}; {detail}"))

    def scrub(self, text: str) -> str:
        return text if self.credentials is None else self.credentials.scrub(text)

    @staticmethod
    def _bound(timeout: tuple[float, float]) -> str:
        return f"{max(timeout):.3g}"  # the limit as configured, not the microseconds left of it


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests error, in a few words (no URL, no object reprs)."""
    inner: BaseException = exc
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    text = str(inner)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return _first_line(text) or type(inner).__name__


def _first_line(text: str, limit: int = 200) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."
