"""Events planned in one report against those the next report lists as held.

A planned event was held when the next report's past events hold one of the same name (compared
as folded words: case, accents, punctuation and ``&``/``and`` aside) whose date can fall within
the planned one (:mod:`s3graph.changes.when`; an unreadable date on either side rules nothing
out). Each held event answers one planned event, the first in the table's order. A planned event
with no such row was not held (as far as the next report says). Events held without having been
planned are no change: they are in the later report itself.
"""

from __future__ import annotations

from s3graph.changes.model import Change, ChangeKind, ReportRef
from s3graph.changes.when import overlap, read_span
from s3graph.folding import fold_words
from s3graph.model import Event, Report


def _name(event: Event) -> str:
    return " ".join(fold_words(event.event or ""))


def event_changes(before: Report, after: Report, refs: tuple[ReportRef, ReportRef]) -> list[Change]:
    """``event-held`` or ``event-not-held`` for each planned event of ``before`` with a name."""
    if before.reporting_period is None or after.reporting_period is None:
        planned_end = held_end = None
    else:
        planned_end, held_end = before.reporting_period.end, after.reporting_period.end
    taken: set[int] = set()
    changes = []
    for plan in before.planned_events:
        if not _name(plan):
            continue
        when = read_span(plan.date_text, planned_end) if planned_end else None
        held = next(
            (
                past
                for past in after.past_events
                if past.line not in taken
                and _name(past) == _name(plan)
                and overlap(when, read_span(past.date_text, held_end) if held_end else None)
            ),
            None,
        )
        planned = (plan.date_text,) if plan.date_text else ()
        if held is None:
            changes.append(_event(ChangeKind.EVENT_NOT_HELD, plan, refs, planned, (), ()))
            continue
        taken.add(held.line)
        dated = (held.date_text,) if held.date_text else ()
        changes.append(_event(ChangeKind.EVENT_HELD, plan, refs, planned, dated, (held.line,)))
    return changes


def _event(
    kind: ChangeKind,
    plan: Event,
    refs: tuple[ReportRef, ReportRef],
    before: tuple[str, ...],
    after: tuple[str, ...],
    lines_after: tuple[int, ...],
) -> Change:
    """A change of a planned event: its name, the date planned and the date held."""
    return Change(
        kind,
        plan.event or "",
        *refs,
        before=before,
        after=after,
        lines_before=(plan.line,),
        lines_after=lines_after,
    )
