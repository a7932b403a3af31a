"""What each kind of SPARQL server needs, in one place: its endpoints and its quirks.

A :class:`Preset` turns the store URL a user gives into the three endpoints of the SPARQL 1.1
Protocol (query, update) and the Graph Store Protocol, and carries the server's deviations so that
the rest of :mod:`s3graph.remote` speaks plain SPARQL 1.1:

- how a query without ``FROM`` gets the union of the named graphs as its default graph (what the
  embedded store gives every query): a request parameter (Oxigraph), or the server's own
  default (GraphDB/RDF4J; Fuseki set up with ``unionDefaultGraph true`` on its TDB2 dataset;
  Virtuoso, whose default graph is the union of *every* graph, its own configuration graphs
  included: they share no term with s3graph's data. Its pragma ``define
  input:default-graph-exclude`` would leave them out, but then a ``GRAPH <iri>`` inside an
  ``OPTIONAL`` matched nothing). A dataset sent with the request (``default-graph-uri``, e.g.
  Jena's ``urn:x-arq:UnionGraph``) would not do: it also empties the named graphs that
  ``GRAPH <iri>`` reads (SPARQL 1.1 Protocol 2.1.4);
- graphs the server keeps for itself, which s3graph never lists, counts or writes;
- answers that are not what SPARQL 1.1 says, mended in the JSON before pyoxigraph parses it
  (:func:`mend_json`): Virtuoso answers ``ASK`` with a one-row table (``__ASK_RETVAL`` = 1/0)
  rather than a boolean, and writes a stored ``xsd:boolean`` as ``"1"``/``"0"``;
- how much one update may hold: Virtuoso's SPARQL compiler gives up ("memory exhausted") on an
  ``INSERT DATA`` block of a few thousand triples, so its writes come in blocks of 1,000 (still
  one request per graph);
- which results format to ask for: JSON first everywhere, since pyoxigraph's XML results
  parser (0.5.13) trims the spaces and line breaks that begin or end a literal (``"a "`` comes
  back as ``"a"``: Virtuoso's XML lost them, Oxigraph's own XML escapes them); and Virtuoso heeds
  only the first type of an ``Accept`` header, so each query asks for one type fitting its form
  (:func:`s3graph.remote.binding.query_form`);
- what cannot be mended by adapting answers: the named queries a server answers wrongly,
  said by name and reason (none today: the shipped queries keep clear of the forms
  :data:`VIRTUOSO_DEVIATIONS` lists).

Checked here on real servers (``tests/test_remote_store.py``): ``oxigraph serve`` 0.5 and
Virtuoso open source 7.2. Virtuoso keeps ``xsd:date`` literals typed as written and lower-cases
language tags, as Oxigraph does, so neither needs an adapter. Fuseki and GraphDB cannot be
installed here: their presets follow their documentation (Jena's "Fuseki Data Service
Configuration", whose default services are ``query``, ``update`` and ``data`` under the dataset;
the RDF4J/GraphDB REST API, whose repository answers queries, ``/statements`` updates and
``/rdf-graphs/service`` the Graph Store Protocol, with the union of all graphs as default graph).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "PRESETS",
    "Endpoints",
    "Preset",
    "Union",
    "mend_json",
    "preset",
]


class Union(Enum):
    """How a query is given the union of the named graphs as its default graph."""

    #: the request parameter ``union-default-graph`` (Oxigraph's server)
    PARAMETER = "parameter"
    #: the server's default graph already is the union (GraphDB, Virtuoso, or Fuseki so set up)
    NATIVE = "native"


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The URLs a store speaks to: SPARQL query, SPARQL update, Graph Store Protocol (or none)."""

    query: str
    update: str
    graph_store: str | None = None


@dataclass(frozen=True, slots=True)
class Preset:
    """A kind of SPARQL server: where its endpoints are (below the store URL) and its quirks."""

    name: str
    query_path: str
    update_path: str
    graph_store_path: str | None
    union: Union
    #: graphs the server keeps for itself: never listed, counted or replaced
    system_graphs: frozenset[str] = field(default_factory=frozenset)
    #: whether ASK comes back as a table of one ``__ASK_RETVAL`` integer
    ask_as_table: bool = False
    #: whether a stored ``xsd:boolean`` comes back in JSON as ``"1"``/``"0"``
    boolean_digits: bool = False
    #: whether an ``xsd:dateTime`` comes back with six fraction digits (``47.287010Z`` for the
    #: stored ``47.28701Z``): the same value, not the canonical form the embedded store keeps
    padded_fractions: bool = False
    #: the most triples written in one ``GRAPH`` block of an update
    block_lines: int = 10_000
    #: whether a graph is written by a Graph Store Protocol ``PUT`` rather than an update
    #: (where the server has a GSP endpoint; see :data:`PRESETS` for why each says what it says)
    put_graphs: bool = False
    #: whether the IRIs and literals a write brings are made known to the server by a request
    #: of their own first: Virtuoso commits a request's work so far when it meets a new one
    #: (:mod:`s3graph.remote.writing`)
    new_terms_first: bool = False
    #: named queries this server is known to answer otherwise than SPARQL 1.1 (and the embedded
    #: store) do, each with the reason: told to the user, checked by the tests to still differ
    deviations: Mapping[str, str] = field(default_factory=dict)
    #: the formats asked for the results of SELECT and ASK, and for the triples of CONSTRUCT
    #: and DESCRIBE (the ``Accept`` header; the form is read from the query)
    results_accept: str = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
    triples_accept: str = "application/n-triples, text/turtle;q=0.5"

    def endpoints(
        self, url: str, *, update: str | None = None, graph_store: str | None = None
    ) -> Endpoints:
        """The endpoints of the server whose store URL is ``url`` (trailing ``/`` ignored).

        ``update`` and ``graph_store``, when given, are those endpoints' URLs in place of the
        preset's paths: how ``generic`` is told a server's three URLs (its store URL is the
        query endpoint's).
        """
        root = url.rstrip("/")
        gsp = None if self.graph_store_path is None else root + self.graph_store_path
        update = update or root + self.update_path
        return Endpoints(root + self.query_path, update, graph_store or gsp)

    def query_parameters(self, *, union: bool) -> list[tuple[str, str]]:
        """Request parameters that make the default graph the union of the named graphs."""
        if union and self.union is Union.PARAMETER:
            return [("union-default-graph", "true")]
        return []


#: The system graphs of a fresh Virtuoso 7 (its RDF views' configuration, LDP, URIQA): listed
#: by ``SELECT DISTINCT ?g { GRAPH ?g {} }`` on an empty database.
VIRTUOSO_SYSTEM_GRAPHS = frozenset(
    {
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://www.w3.org/ns/ldp#",
        "http://localuriqaserver/sparql",
        "http://www.openlinksw.com/schemas/RDF_Mapper_Ontology/1.0/",
    }
)

#: What Virtuoso 7.2 answers wrongly among the shipped named queries, found by
#: ``tests/test_remote_store.py`` against the embedded store: none today. No rewriting of an
#: answer could mend what it got wrong (rows missing, a boolean as an integer), so the queries
#: are written in standard forms it evaluates as SPARQL 1.1 says. What they keep clear of:
#:
#: - aggregates inside ``COALESCE`` in a projection, ``(COALESCE(MIN(?a), MIN(?b)) AS ?c)``:
#:   its compiler fails (SQ156); the aggregates are projected alone and combined outside;
#: - the zero-length case of a ``*`` path, which it leaves out: ``p*`` is written as the start
#:   itself ``UNION`` ``p+``;
#: - ``BOUND(...)``, ``true`` and ``false`` as values: they come back as the integers 1 and 0,
#:   and its cast ``xsd:boolean("false")`` is true; a boolean is typed from its lexical form,
#:   ``STRDT("true", xsd:boolean)``;
#: - an ``OPTIONAL`` holding a subquery and a ``FILTER`` on a variable bound outside it: it
#:   matches nothing; the subquery is joined inside the ``OPTIONAL`` that binds the variable;
#: - the order of ``GROUP_CONCAT``, the engine's by SPARQL 1.1 (18.5.1.7), its own join order
#:   otherwise: fed by a subquery that sorts the rows, it keeps that order, as Oxigraph does
#:   (seen, not promised: the test compares the joined strings as they are).
#:
#: A query added later that it answers otherwise goes here, by name with the reason.
VIRTUOSO_DEVIATIONS: dict[str, str] = {}

#: How a graph is written (``put_graphs``): by one SPARQL Update everywhere. Measured by
#: ``python bench/remote_writes.py`` (2 busy cores, 8.12.2026): a graph replaced by one whose every
#: triple is new, median of 3, while a reader polled it:
#:
#: - oxigraph serve 0.5: the update took 0.80 s for 3,000 triples and 13.2 s for 30,000; a GSP
#:   PUT 0.84 s and 28.8 s. Both whole to the reader; the update is as fast or faster, so it stays.
#: - Virtuoso 7.2: the PUT is faster (0.76 s and 10.0 s, against 1.5 s and 20.2 s for the update
#:   with its new terms first) but is not one transaction: its /sparql-graph-crud clears the
#:   graph, commits, then loads (105 of 486 and 657 of 6,057 reads saw it empty or part loaded;
#:   none of 10,222 during the updates). The update stays.
#: - Fuseki and GraphDB (not installable here): their GSP PUT is documented as one transaction,
#:   but unmeasured; the update is the path tested on two servers, so it stays there too.
PRESETS: dict[str, Preset] = {
    # oxigraph serve: /query, /update, /store (the Graph Store Protocol)
    "oxigraph": Preset("oxigraph", "/query", "/update", "/store", Union.PARAMETER),
    # Virtuoso: one /sparql endpoint for both; anonymous updates need the SPARQL_UPDATE grant,
    # else /sparql-auth (HTTP digest) takes a user's; the GSP at /sparql-graph-crud(-auth)
    "virtuoso": Preset(
        "virtuoso",
        "/sparql",
        "/sparql-auth",
        "/sparql-graph-crud-auth",
        Union.NATIVE,
        system_graphs=VIRTUOSO_SYSTEM_GRAPHS,
        ask_as_table=True,
        boolean_digits=True,
        padded_fractions=True,
        # its SPARQL compiler ran out of memory ("SP030 ... memory exhausted") near 5,000
        # triples in one block
        block_lines=1_000,
        new_terms_first=True,
        deviations=VIRTUOSO_DEVIATIONS,
        # it reads only the first type of an Accept header (406 when that one does not fit)
        results_accept="application/sparql-results+json",
        triples_accept="application/n-triples",
    ),
    # Fuseki: the store URL is the dataset's (http://host:3030/DATASET), a TDB2 dataset set up
    # with tdb2:unionDefaultGraph true (else queries without GRAPH see an empty default graph)
    "fuseki": Preset("fuseki", "/query", "/update", "/data", Union.NATIVE),
    # GraphDB / RDF4J: the store URL is the repository's (http://host:7200/repositories/ID)
    "graphdb": Preset("graphdb", "", "/statements", "/rdf-graphs/service", Union.NATIVE),
    # any SPARQL 1.1 server: the store URL answers queries, and updates unless an update URL is
    # given (--update-url, S3GRAPH_UPDATE_URL); no GSP unless given (--graph-store-url,
    # S3GRAPH_GRAPH_STORE_URL)
    "generic": Preset("generic", "", "", None, Union.NATIVE),
}


def preset(name: str) -> Preset:
    """The preset called ``name``; :class:`ValueError` naming those on offer for another."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown kind of server {name!r}: give one of {', '.join(PRESETS)}"
        ) from None


_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN = _XSD + "boolean"
_XSD_INTEGER = _XSD + "integer"
#: the types derived from xsd:integer (XML Schema 1.1 part 2, 3.4.13 to 3.4.25)
_INTEGER_KINDS = frozenset(
    _XSD + name
    for name in [
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    ]
)
_DERIVED_INTEGER = re.compile(
    rb"XMLSchema#(?:nonPositive|negative|nonNegative|positive)Integer\"|XMLSchema#(?:unsigned)?"
    rb"(?:[Ll]ong|[Ii]nt|[Ss]hort|[Bb]yte)\""
)
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
#: the seconds' fraction of an xsd:dateTime, and the zeros that end it
_FRACTION = re.compile(r"(:\d\d)\.(\d*?)0+(?=$|Z|[+-])")


def mend_json(preset_: Preset, data: bytes) -> bytes:
    """SPARQL 1.1 JSON results as the server should have written them (``data`` if it did).

    Virtuoso's one-row ``__ASK_RETVAL`` table becomes the boolean of an ASK, and its ``"1"`` and
    ``"0"`` of type ``xsd:boolean`` become ``"true"`` and ``"false"``, and its padded fractions of
    a second (``47.287010Z``) lose their final zeros (``47.28701Z``), and a literal of a type
    derived from ``xsd:integer`` (``xsd:nonNegativeInteger``, which s3graph writes for byte
    sizes) is an ``xsd:integer``, as Oxigraph keeps every such literal: the canonical forms the
    embedded store keeps, of the same values. (Virtuoso's own N-Triples already wrote them so;
    its JSON keeps the type written.)
    """
    ask = preset_.ask_as_table and b'"__ASK_RETVAL"' in data
    digits = preset_.boolean_digits and _XSD_BOOLEAN.encode() in data
    fractions = preset_.padded_fractions and _XSD_DATETIME.encode() in data
    derived = _DERIVED_INTEGER.search(data) is not None
    if not (ask or digits or fractions or derived):
        return data  # the usual case: no parsing twice
    document = json.loads(data)
    names = document.get("head", {}).get("vars")
    rows = document.get("results", {}).get("bindings", [])
    if ask and names == ["__ASK_RETVAL"]:
        value = rows[0].get("__ASK_RETVAL", {}).get("value", "0") if rows else "0"
        return json.dumps({"head": {}, "boolean": value not in ("0", "false")}).encode()
    for row in rows:
        for term in row.values():
            kind = term.get("datatype")
            if digits and kind == _XSD_BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
            elif fractions and kind == _XSD_DATETIME and isinstance(term.get("value"), str):
                term["value"] = _FRACTION.sub(_unpadded, term["value"])
            elif derived and kind in _INTEGER_KINDS:
                term["datatype"] = _XSD_INTEGER
    return json.dumps(document).encode()


def _unpadded(found: re.Match[str]) -> str:
    """``:47.287010`` -> ``:47.28701``; ``:47.000000`` -> ``:47``."""
    digits = found.group(2)
    return f"{found.group(1)}.{digits}" if digits else found.group(1)
