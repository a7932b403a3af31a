"""What a query or update may do here: federation (``SERVICE``, ``LOAD``) only to allowed URLs.

pyoxigraph does not expose its query algebra, so the text is scanned lexically: strings, IRIs and
comments are skipped as the SPARQL grammar defines them, and every ``SERVICE`` (queries) or
``LOAD`` (updates) keyword must be followed by an IRI, written out or as a prefixed name declared
in the text, that is on the allowlist. A variable (``SERVICE ?s``), a relative IRI or anything
the scanner cannot resolve is refused: when in doubt, nothing leaves the server.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from s3graph.sparql_lex import Token, tokens

__all__ = ["ForbiddenRemote", "check_remote"]


class ForbiddenRemote(ValueError):
    """A query or update would reach out to a URL that is not on the allowlist."""


def check_remote(text: str, keyword: str, allowed: Collection[str]) -> None:
    """Raise :class:`ForbiddenRemote` when a ``keyword`` (SERVICE, LOAD) targets a URL not allowed.

    ``allowed`` holds absolute URLs, compared exactly (a trailing slash matters).
    """
    prefixes: dict[str, str] = {}
    stream = list(tokens(text))
    for index, tok in enumerate(stream):
        upper = tok.text.upper() if tok.kind == "word" else ""
        if upper == "PREFIX" and index + 2 < len(stream):
            name, iri = stream[index + 1], stream[index + 2]
            if name.kind == "pname" and iri.kind == "iri":
                prefixes[name.text.rstrip(":") if name.text.endswith(":") else name.text] = iri.text
        if upper != keyword.upper():
            continue
        following = stream[index + 1 : index + 3]
        if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
            following = following[1:]
        target = _resolve(following[0] if following else None, prefixes)
        if target is None:
            shown = following[0].text if following else "nothing"
            raise ForbiddenRemote(
                f"{keyword} {shown}: only a written-out IRI on the allowlist may follow {keyword}"
            )
        if target not in allowed:
            raise ForbiddenRemote(
                f"{keyword} <{target}>: this server does not reach out to that URL"
                " (start it with --service-allow URL to allow it)"
            )


def _resolve(tok: Token | None, prefixes: dict[str, str]) -> str | None:
    if tok is None:
        return None
    if tok.kind == "iri":
        return tok.text if re.match(r"[A-Za-z][\w+.-]*:", tok.text) else None
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes and "\\" not in local:
            return _resolve(Token("iri", prefixes[prefix] + local), {})
    return None
