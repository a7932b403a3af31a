"""Run the shapes of ``shapes/`` over one report's graph, in memory, with pyshacl.

Each report is validated on its own rdflib graph (pyshacl is about ten times slower on a graph
backed by the Oxigraph store). The graph already carries what the rules need from the reference
data: the region judgements made against NUTS by the linking step. The SHACL results are read
back into :class:`~s3graph.validate.problems.Problem` objects, located in the source text through
the ``s3g:sourceLine`` of the node they are about, and into a results graph for the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from s3graph.parse.form import QUESTION_BY_KEY
from s3graph.rdf.namespaces import RDF, RDFS, S3G, SH
from s3graph.resources import resource_dir
from s3graph.validate.problems import Problem

_SH_RESULT = SH.result
_SH = {name: SH[name] for name in (
    "focusNode", "resultPath", "value", "resultSeverity", "sourceShape", "resultMessage",
)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Outcome:
    """What validating one report's graph found.

    ``problems`` in source order; ``graph`` the SHACL validation report to store beside the
    report: named ``{report}/validation``, no blank nodes, linked from the report by
    ``s3g:validationReport``.
    """

    problems: tuple[Problem, ...]
    graph: Graph

    @property
    def conforms(self) -> bool:
        """No Violation (Warnings and Infos do not make a report non-conforming)."""
        return not any(p.severity == "Violation" for p in self.problems)


@cache
def load_shapes() -> Graph:
    """Every ``shapes/*.ttl`` of the package, read once."""
    shapes = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def validate_graph(data: Graph, *, file: str, shapes: Graph | None = None) -> Outcome:
    """Validate one report's graph (named by the report's IRI); ``file`` names it in problems."""
    shapes = shapes if shapes is not None else load_shapes()
    # No inference, so nothing is added to the data: validating in place saves pyshacl a copy.
    # Not ``allow_warnings``: pyshacl then counts a Warning inside sh:not as conforming.
    _, results, _ = validate(
        data, shacl_graph=shapes, inference="none", inplace=True, advanced=True
    )
    assert isinstance(results, Graph)
    found = sorted(
        ((_problem(results, r, data, shapes, file), r) for r in results.objects(None, _SH_RESULT)),
        key=lambda pair: pair[0].rank,
    )
    report = data.identifier
    assert isinstance(report, URIRef), "a report's graph is named by the report's IRI"
    return Outcome(tuple(p for p, _ in found), _stored_report(report, found, results))


def _stored_report(report: URIRef, found: list[tuple[Problem, Node]], results: Graph) -> Graph:
    """pyshacl's report with IRIs for its nodes, our rule ids and lines, for the store."""
    name = URIRef(f"{report}/validation")
    graph = Graph(identifier=name)
    graph.add((report, S3G.validationReport, name))
    graph.add((name, RDF.type, SH.ValidationReport))
    conforms = not any(p.severity == "Violation" for p, _ in found)
    graph.add((name, SH.conforms, Literal(conforms)))
    for k, (problem, result) in enumerate(found, start=1):
        node = URIRef(f"{name}/result/{k}")
        graph.add((name, _SH_RESULT, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        for field, predicate in _SH.items():
            obj = results.value(result, predicate)
            if field != "resultMessage" and obj is not None and not isinstance(obj, BNode):
                graph.add((node, predicate, obj))
        graph.add((node, _SH["resultMessage"], Literal(problem.message)))
        graph.add((node, S3G.rule, Literal(problem.rule)))
        if problem.line is not None:
            graph.add((node, S3G.sourceLine, Literal(problem.line)))
        if problem.suggestion:
            graph.add((node, S3G.suggestion, Literal(problem.suggestion)))
    return graph


def _problem(results: Graph, result: Node, data: Graph, shapes: Graph, file: str) -> Problem:
    def get(name: str) -> Node | None:
        return results.value(result, _SH[name])

    focus, value, shape = get("focusNode"), get("value"), get("sourceShape")
    path = get("resultPath")
    severity = get("resultSeverity")
    rule = shapes.value(shape, S3G.rule) if shape is not None else None
    # A region judgement (the focus of the region rules) says best what is wrong and what to
    # write instead; other results take the shape's message.
    judgement = _judgement(data, focus, value)
    found = (judgement is not None and data.value(judgement, RDFS.comment)) or get("resultMessage")
    message = str(found) if found else ""
    question = _question_label(data, focus)
    if question and message:
        message = f'"{question}": {message}'
    suggestion = (judgement is not None and data.value(judgement, S3G.suggestion)) or (
        shapes.value(shape, S3G.suggestion) if shape is not None else None
    )
    return Problem(
        file=file,
        line=_line(data, focus, value),
        rule=str(rule) if rule is not None else _local(shape),
        severity=_local(severity),
        focus=str(focus),
        path=str(path) if isinstance(path, URIRef) else None,
        value=str(value) if value is not None else None,
        message=message,
        suggestion=str(suggestion) if suggestion else None,
    )


def _line(data: Graph, focus: Node | None, value: Node | None) -> int | None:
    """The source line of the value (a judgement, an answer) or else of the focus node."""
    for node in (value, focus):
        line = data.value(node, S3G.sourceLine) if isinstance(node, URIRef) else None
        if isinstance(line, Literal):
            return int(line.toPython())
    return None


def _local(node: Node | None) -> str:
    text = str(node) if node is not None else ""
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _question_label(data: Graph, focus: Node | None) -> str | None:
    """The form's label of the question an answer node answers (to name it in messages)."""
    question = data.value(focus, S3G.question) if isinstance(focus, URIRef) else None
    if question is None:
        return None
    key = str(question).removeprefix(str(S3G) + "question-")
    entry = QUESTION_BY_KEY.get(key)
    return entry.label if entry is not None else None


def _judgement(data: Graph, focus: Node | None, value: Node | None) -> Node | None:
    """The region judgement a result is about (its focus or its value), if any."""
    for node in (focus, value):
        if node is not None and (node, RDF.type, S3G.RegionJudgement) in data:
            return node
    return None
