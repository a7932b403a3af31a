"""The tables and lists of a report in RDF.

Working areas, past and planned events, the SDG matrix, the answers to the form's questions and the
parser's warnings, each a node under the report's IRI.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Literal

from s3graph.errors import ReportError
from s3graph.mapping.dates import read_event_date
from s3graph.mapping.iris import question_term, rating_term
from s3graph.mapping.triples import Sink, Subjects, add_text
from s3graph.model import SDG_RATINGS, Event, SdgAnswer
from s3graph.namespaces import RDF, RDFS, S3G, SCHEMA, SDG, XSD
from s3graph.parse.form import MANDATORY_LABELS

_EVENT_CLASSES = {"past": S3G.PastEvent, "planned": S3G.PlannedEvent}


def add_working_areas(graph: Sink, s: Subjects) -> None:
    for area in s.report.working_areas:
        iri = s.iris.working_area(s.report_iri, area.n)
        graph.add((s.report_iri, S3G.workingArea, iri))
        graph.add((iri, RDF.type, S3G.WorkingArea))
        add_text(graph, iri, RDFS.label, area.area)
        add_text(graph, iri, S3G.regionInChargeText, area.region_in_charge)
        add_text(graph, iri, S3G.involvedRegionsText, area.involved_regions)
        add_text(graph, iri, S3G.otherActorsText, area.other_actors)
        graph.add((iri, S3G.rowNumber, Literal(area.n)))
        graph.add((iri, S3G.sourceLine, Literal(area.line)))


def add_events(graph: Sink, s: Subjects) -> None:
    for event in (*s.report.past_events, *s.report.planned_events):
        _add_event(graph, s, event)


def _add_event(graph: Sink, s: Subjects, event: Event) -> None:
    kind = event.kind.value
    iri = s.iris.event(s.report_iri, kind, event.n)
    graph.add((s.report_iri, S3G.event, iri))
    graph.add((iri, RDF.type, SCHEMA.Event))
    graph.add((iri, RDF.type, _EVENT_CLASSES[kind]))
    add_text(graph, iri, SCHEMA.name, event.event)
    add_text(graph, iri, S3G.dateText, event.date_text)
    days = read_event_date(event.date_text) if event.date_text else None
    if days is not None:
        graph.add((iri, SCHEMA.startDate, Literal(days[0], datatype=XSD.date)))
        graph.add((iri, SCHEMA.endDate, Literal(days[1], datatype=XSD.date)))
    add_text(graph, iri, SCHEMA.location, event.place)
    add_text(graph, iri, SCHEMA.description, event.info)
    graph.add((iri, S3G.rowNumber, Literal(event.n)))
    graph.add((iri, S3G.sourceLine, Literal(event.line)))


# SDG matrix, free-text answers, parse warnings.


def add_sdg(graph: Sink, s: Subjects) -> None:
    ratings = {label.casefold(): rating_term(label) for label in SDG_RATINGS}
    for row in s.report.sdg:
        iri = s.iris.sdg(s.report_iri, row.goal)
        graph.add((s.report_iri, S3G.sdgAssessment, iri))
        graph.add((iri, RDF.type, S3G.SdgAssessment))
        graph.add((iri, S3G.goal, SDG[str(row.goal)]))
        graph.add((iri, S3G.sourceLine, Literal(row.line)))
        for label in row.checked:
            rating = ratings.get(label.strip().casefold())
            if rating is None:
                expected = "an SDG rating among " + ", ".join(f'"{r}"' for r in SDG_RATINGS)
                raise ReportError(s.report.source.name, row.line, expected, label)
            graph.add((iri, S3G.rating, rating))


def add_answers(graph: Sink, s: Subjects) -> None:
    """One node per question of the form, answered or not (an empty one has no ``rdf:value``).

    Answers to the questions the form marks mandatory are also ``s3g:MandatoryAnswer``, so that
    the shapes can require their value; a mandatory question missing from the file altogether
    still gets its (empty) node.
    """
    answers = {answer.key: answer for answer in s.report.answers}
    for key in [*answers, *(k for k in MANDATORY_LABELS if k not in answers)]:
        answer = answers.get(key)
        iri = s.iris.answer(s.report_iri, key)
        graph.add((s.report_iri, S3G.answer, iri))
        graph.add((iri, RDF.type, S3G.Answer))
        if key in MANDATORY_LABELS:
            graph.add((iri, RDF.type, S3G.MandatoryAnswer))
        graph.add((iri, S3G.question, question_term(key)))
        if answer is None:
            continue
        text = sdg_text(s.report.sdg) if key == "sdg" and s.report.sdg else answer.text
        if text is not None:
            graph.add((iri, RDF.value, Literal(text)))
        graph.add((iri, S3G.sourceLine, Literal(answer.answer_line or answer.line)))


def sdg_text(rows: Sequence[SdgAnswer]) -> str:
    """The SDG matrix as the text of its answer: a line per goal with the ratings ticked, in
    words. The form's own text of it is a grid of radio buttons (``<input type="radio"/>``),
    markup no reader should be shown; each goal's rating is also a node (:func:`add_sdg`)."""
    return "\n".join(
        f"Goal {row.goal}. {row.title}: {'; '.join(row.checked) or 'no rating ticked'}"
        for row in rows
    )


def add_warnings(graph: Sink, s: Subjects) -> None:
    for i, warning in enumerate(s.report.warnings, start=1):
        iri = s.iris.warning(s.report_iri, i)
        graph.add((s.report_iri, S3G.parseWarning, iri))
        graph.add((iri, RDF.type, S3G.ParseWarning))
        graph.add((iri, RDFS.comment, Literal(warning.message)))
        add_text(graph, iri, RDF.value, warning.text)
        graph.add((iri, S3G.sourceLine, Literal(warning.line)))
