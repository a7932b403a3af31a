"""Check the DCAT-AP 3 description of an export against ``shapes/dcat/dcat-ap.ttl``.

``s3graph export`` describes its dumps in a ``dataset.ttl`` (catalogue, dataset, distributions,
checksums, ...). Its shapes live apart from the report shapes of ``shapes/*.ttl``, in the
``shapes/dcat/`` subfolder, so that report validation never loads them. A Violation is a breach of
DCAT-AP 3 itself (a mandatory property missing, a value of the wrong kind); a Warning is a promise
s3graph makes for its dumps that the description does not keep (a size, a SHA-256 checksum, a
licence, ...). Each SHACL result becomes one :class:`~s3graph.validate.problems.Problem`, whose
rule is the local name of the shape that reported it (``dataset-title``, ``checksum-value``, ...).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from s3graph.resources import resource_dir
from s3graph.validate.problems import Problem

__all__ = ["DESCRIPTION_FILE", "description_shapes_path", "validate_description"]

#: The name problems give the description when the caller names no file.
DESCRIPTION_FILE = "dataset.ttl"


def description_shapes_path() -> Path:
    """The shapes file of export descriptions: ``shapes/dcat/dcat-ap.ttl`` of the package."""
    return resource_dir("shapes") / "dcat" / "dcat-ap.ttl"


@cache
def _shapes() -> Graph:
    """The shapes, parsed once (read-only: pyshacl does not change its shapes graph)."""
    return Graph().parse(description_shapes_path(), format="turtle")


def validate_description(graph: Graph, *, file: str = DESCRIPTION_FILE) -> list[Problem]:
    """The problems of an export's DCAT-AP description, most serious first.

    ``graph`` is the description (it is not changed); ``file`` names it in the problems. Every
    SHACL result is one problem: ``severity`` is ``Violation`` or ``Warning``, ``focus`` the node
    at fault, ``path`` the property (``None`` for a rule about the node as a whole), ``value`` the
    offending value if any, ``message`` the shape's message and ``rule`` the shape's local name.
    Descriptions have no source lines: ``line`` and ``suggestion`` are ``None``. An empty list
    means the description conforms and keeps every promise.
    """
    # Not ``allow_warnings``: pyshacl then counts a Warning inside sh:or/sh:not as conforming.
    _, results, _ = validate(graph, shacl_graph=_shapes(), inference="none")
    assert isinstance(results, Graph)
    found = [_problem(results, result, file) for result in results.objects(None, SH.result)]
    return sorted(found, key=lambda problem: problem.rank)


def _problem(results: Graph, result: Node, file: str) -> Problem:
    def get(predicate: URIRef) -> Node | None:
        return results.value(result, predicate)

    path, value, message = get(SH.resultPath), get(SH.value), get(SH.resultMessage)
    return Problem(
        file=file,
        line=None,
        rule=_local_name(get(SH.sourceShape)),
        severity=_local_name(get(SH.resultSeverity)),
        focus=str(get(SH.focusNode)),
        path=str(path) if isinstance(path, URIRef) else None,
        value=str(value) if value is not None else None,
        message=str(message) if message is not None else "",
        suggestion=None,
    )


def _local_name(node: Node | None) -> str:
    """``https://w3id.org/s3graph/shapes/dcat#dataset-title`` -> ``dataset-title``."""
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if node is not None else ""
