"""Pre-bound variables sent to a remote server: ``VALUES`` blocks, written safely.

The embedded store binds variables inside pyoxigraph (``substitutions``), never in the text: the
variable has its value everywhere in the query, subqueries included, from the start. A remote
server has no such parameter, so the bindings travel in the query as a one-row ``VALUES`` block
placed first in the pattern of the query and of each subquery: each pattern starts with the
variable bound, so filters, OPTIONALs and aggregates inside see the value, as with pyoxigraph (a
trailing ``VALUES`` would join only the final rows, and a subquery that filters on the variable
would see it unbound). The places are found by :func:`s3graph.sparql_lex.tokens`, which reads the
text as the engine does (strings, IRIs and comments are not mistaken for braces); a text it
cannot read gets one trailing ``VALUES`` and the server's own verdict.

Nothing of a value is pasted as text: each term is written by pyoxigraph from a checked term
(an IRI pyoxigraph accepted cannot hold ``>`` or a space; a literal's quotes, backslashes and
line breaks are escaped), and each variable name must be a plain SPARQL name. Blank nodes and
quoted triples cannot be bound remotely and are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from s3graph.sparql_lex import Token, tokens

__all__ = ["query_form", "with_graphs", "with_values", "write_term"]

#: A SPARQL variable name (VARNAME without the leading ? or $), ASCII letters, digits and _.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

BindableTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def write_term(term: BindableTerm) -> str:
    """The SPARQL text of ``term``: an IRI or a literal as pyoxigraph writes it (N-Triples)."""
    if isinstance(term, ox.NamedNode):
        return str(ox.NamedNode(term.value))  # made again: the value is checked as an IRI
    if isinstance(term, ox.Literal):
        if term.language:
            return str(ox.Literal(term.value, language=term.language))
        return str(ox.Literal(term.value, datatype=ox.NamedNode(term.datatype.value)))
    raise ValueError(f"cannot bind {term!r} on a remote server: only IRIs and literals")


def with_values(text: str, substitutions: Mapping[str, BindableTerm] | None) -> str:
    """``text`` with ``substitutions`` bound by ``VALUES`` blocks (unchanged when none).

    Raises :class:`ValueError` for a variable name that is not a plain SPARQL name or a term that
    is neither an IRI nor a literal.
    """
    if not substitutions:
        return text
    names = list(substitutions)
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"cannot bind the variable {name!r}: not a SPARQL variable name")
    row = " ".join(write_term(substitutions[name]) for name in names)
    block = f" VALUES ({' '.join(f'?{name}' for name in names)}) {{ ({row}) }} "
    places = _pattern_openings(text)
    if not places:  # a line break first: the text may end inside a comment
        return f"{text}\n{block.strip()}\n"
    for place in reversed(places):
        text = text[:place] + block + text[place:]
    return text


#: the comment line of a store query (``queries/store/``) that the graphs' VALUES block replaces
VALUES_LINE = "  #VALUES\n"


def with_graphs(text: str, iris: Iterable[str]) -> str:
    """The store query ``text`` asking about the graphs ``iris`` only: a ``VALUES ?g`` block of
    their IRIs (each written by pyoxigraph) in place of its ``#VALUES`` line."""
    if VALUES_LINE not in text:
        raise ValueError("a store query says where its graphs go by a line '  #VALUES'")
    graphs = " ".join(write_term(ox.NamedNode(iri)) for iri in iris)
    return text.replace(VALUES_LINE, f"  VALUES ?g {{ {graphs} }}\n")


def _pattern_openings(text: str) -> list[int]:
    """Where each (sub)query's pattern opens: just past the ``{`` after each ``SELECT`` and
    ``ASK`` (outside parentheses), and after the ``WHERE`` of ``CONSTRUCT`` and ``DESCRIBE``.

    Empty when the text cannot be read (the server will say why) or has no such place.
    """
    found = list(tokens(text))
    if any(token.kind == "error" for token in found):
        return []
    places: list[int] = []
    for index, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("SELECT", "ASK"):
            opening = _next_brace(found, index + 1, after_where=False)
        elif word in ("CONSTRUCT", "DESCRIBE"):
            opening = _next_brace(found, index + 1, after_where=True)
        else:
            continue
        if opening is not None:
            places.append(opening)
    return sorted(set(places))


def _next_brace(found: list[Token], start: int, *, after_where: bool) -> int | None:
    """Just past the first ``{`` from ``start`` outside parentheses (after ``WHERE`` if asked:
    a CONSTRUCT's template comes first)."""
    depth = 0
    waiting = after_where
    for token in found[start:]:
        if token.kind == "word" and token.text.upper() == "WHERE":
            waiting = False
        elif token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" and depth == 0 and not waiting:
            return token.start + 1
    return None


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first such keyword of the query,
    as the engine reads it (``SELECT`` when none is found: the server will say what is wrong)."""
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return token.text.upper()
    return "SELECT"
