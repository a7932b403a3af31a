"""The form's rules (shapes/form.ttl): corpus figure, shapes well-formed, shape cases as data.

Each ``tests/shapes/*.ttl`` file is one case: a tiny data graph, and in its comment header one
``# expect: <rule id> <severity> <focus local name>`` line per expected result (``# expect: none``
for a case where nothing fires). The case passes when the results, every severity included, are
exactly the expected ones.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from s3graph.namespaces import DEFAULT_BASE, S3G
from s3graph.resources import resource_dir

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CASES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))
EXPECT = re.compile(r"^# expect: (\S+)(?: (Violation|Warning|Info) (\S+))?\s*$")
#: Rules of the expected files that may be reported once per row rather than once per table.
PER_ROW = {"too-many-rows"}
#: What every shape must carry.
REQUIRED = (S3G.rule, SH.name, SH.description, SH.message, SH.severity)

Result = tuple[str, str, str]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(resource_dir("shapes") / "form.ttl")


def local_name(node: object) -> str:
    return re.split(r"[/#]", str(node))[-1]


def results(data: Graph, shapes: Graph) -> list[tuple[str, str, URIRef, object]]:
    """(rule id, severity, focus node, value) of every validation result."""
    _, report, _ = validate(data, shacl_graph=shapes, inference="none")
    found = []
    for result in report.objects(None, SH.result):  # not the nested sh:detail results
        shape = report.value(result, SH.sourceShape)
        rule = shapes.value(shape, S3G.rule)
        assert rule is not None, f"result from a shape without s3g:rule: {shape}"
        severity = local_name(report.value(result, SH.resultSeverity))
        focus = report.value(result, SH.focusNode)
        found.append((str(rule), severity, focus, report.value(result, SH.value)))
    return found


# --------------------------------------------------------------------------------------------------
# The corpus figure


@pytest.fixture(scope="module")
def linker(shared_dir: Path):
    from s3graph.linking.links import Linker
    from s3graph.vocab.nuts_csv import load_reference_dir

    return Linker.load(load_reference_dir(shared_dir / "reference"))


def linked_graph(txt: Path, linker) -> Graph:
    from s3graph.mapping.links import to_linked_graph
    from s3graph.parse import parse_file

    report = parse_file(txt)
    return to_linked_graph(report, linker.link(report), base=DEFAULT_BASE, ingested_at=NOW)


def test_corpus_figure(corpus_files, linker, shapes: Graph) -> None:
    """Every expected issue is reported with its rule; nothing else is a Violation or a Warning."""
    problems: list[str] = []
    timings: list[float] = []
    validate(Graph(), shacl_graph=shapes, inference="none")  # warm up pyshacl's caches
    for case in corpus_files:
        expected = case.expected()
        graph = linked_graph(case.txt, linker)
        started = time.perf_counter()
        found = results(graph, shapes)
        timings.append((time.perf_counter() - started) * 1000)
        want = Counter(issue["kind"] for issue in expected["known_issues"])
        missing = len(expected["missing_mandatory"])
        want["missing-mandatory"] = max(want["missing-mandatory"], missing)
        got = Counter(rule for rule, severity, _, _ in found if severity != "Info")
        print(f"{case.name}: expected {dict(+want)} found {dict(got)} ({timings[-1]:.0f} ms)")
        for rule, severity, focus, value in sorted(found, key=str):
            print(f"  {severity:9} {rule:26} {local_name(focus)} {local_name(value or '')}")
        for rule in set(want) | set(got):
            ok = got[rule] >= want[rule] > 0 if rule in PER_ROW else got[rule] == want[rule]
            if not ok:
                problems.append(f"{case.name}: {rule}: expected {want[rule]}, found {got[rule]}")
    # Timing is bench/validate.py's job; the figure is only printed here.
    print(f"mean validation time per report: {sum(timings) / len(timings):.1f} ms")
    assert not problems, "\n".join(problems)


def test_judgement_results_point_at_the_judgement_of_a_membership(
    corpus_files, linker, shapes: Graph
) -> None:
    """Region rules: the focus node is the linker's judgement, about a participating region."""
    case = next(c for c in corpus_files if c.name.startswith("mining-industry"))
    graph = linked_graph(case.txt, linker)
    judged = [r for r in results(graph, shapes) if r[0] in ("typo", "nuts-obsolete")]
    assert judged
    for rule, _, focus, value in judged:
        membership = graph.value(focus, S3G.judgementOf)
        assert "/membership/participating/" in str(membership)
        assert str(graph.value(focus, S3G.rule)) == rule == str(value)


# --------------------------------------------------------------------------------------------------
# The shapes graph itself


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


def all_shapes(shapes: Graph) -> set[object]:
    found: set[object] = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes.objects(None, SH.property))
    found |= set(shapes.objects(None, SH["not"])) | set(shapes.objects(None, SH.node))
    for head in shapes.objects(None, SH["or"]):
        found |= set(shapes.items(head))
    return found


def test_every_shape_is_named_and_documented(shapes: Graph) -> None:
    found = all_shapes(shapes)
    assert len(found) > 20
    problems = []
    for shape in found:
        if not isinstance(shape, URIRef) or not str(shape).startswith(
            "https://w3id.org/s3graph/shapes#"
        ):
            problems.append(f"shape without an s3gsh: IRI: {shape}")
            continue
        for predicate in REQUIRED:
            if shapes.value(shape, predicate) is None:
                problems.append(f"{local_name(shape)}: no {local_name(predicate)}")
    assert not problems, "\n".join(sorted(problems))


def test_every_rule_is_documented_and_has_a_case(shapes: Graph) -> None:
    header = (resource_dir("shapes") / "form.ttl").read_text(encoding="utf-8").split("@prefix")[0]
    rules = {str(rule) for rule in shapes.objects(None, S3G.rule)}
    undocumented = {rule for rule in rules if f"# {rule} " not in header}
    assert not undocumented, f"rules missing from the comment block: {sorted(undocumented)}"
    covered = {rule for case in CASES for rule, _, _ in expectations(case)}
    assert rules <= covered, f"rules without a case in tests/shapes: {sorted(rules - covered)}"
    assert any(not expectations(case) for case in CASES), "no clean case"


# --------------------------------------------------------------------------------------------------
# Shape cases as data


def expectations(case: Path) -> list[Result]:
    expected: list[Result] = []
    for line in case.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match and match.group(1) != "none":
            assert match.group(2), f"{case.name}: bad expect line {line!r}"
            expected.append((match.group(1), match.group(2), match.group(3)))
    return expected


def test_every_case_states_its_expectations() -> None:
    assert CASES
    for case in CASES:
        text = case.read_text(encoding="utf-8")
        assert "# expect: " in text, f"{case.name}: no '# expect:' line"


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_shape_case(case: Path, shapes: Graph) -> None:
    data = Graph().parse(case)
    found = sorted(
        (rule, severity, local_name(focus)) for rule, severity, focus, _ in results(data, shapes)
    )
    assert found == sorted(expectations(case))
