"""The JSON layout of ``s3graph parse --format json``.

The scored keys are exactly those of ``../shared/corpus/*.expected.json``; the extra keys carry
everything else the form holds, with source line numbers, so that nothing is silently dropped.
"""

from __future__ import annotations

from typing import Any

from s3graph.linking.links import ReportLinks
from s3graph.model import Event, RegionMention, Report, WorkingArea


def _pick(item: object, *keys: str) -> dict[str, Any]:
    """The attributes ``keys`` of ``item`` as a JSON object, in that order."""
    return {key: getattr(item, key) for key in keys}


def _region(r: RegionMention) -> dict[str, Any]:
    return _pick(r, "raw", "name", "country", "code_raw", "code", "line")


def _working_area(w: WorkingArea) -> dict[str, Any]:
    keys = ("n", "area", "region_in_charge", "involved_regions", "other_actors", "line")
    return _pick(w, *keys)


def _event(e: Event) -> dict[str, Any]:
    return _pick(e, "n", "event", "date_text", "place", "info", "line")


def to_contract(report: Report, links: ReportLinks | None = None) -> dict[str, Any]:
    """The report as the corpus contract's JSON object (plus s3graph's own keys).

    ``links`` (see ``s3graph.linking.links``) fills ``collaborations`` and the region issues of
    ``known_issues``; without it both stay empty.
    """
    period = report.reporting_period
    summary = report.answer("executive_summary")
    interested = report.answer("interested_entities")
    return {
        "partnership": report.partnership,
        "reporting_period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }
        if period
        else None,
        "start_date_text": report.start_date_text,
        "webpage": report.webpage,
        "leading_regions": [r.name for r in report.leading_regions],
        "participating_regions": [_region(r) for r in report.participating_regions],
        "working_areas": [_working_area(w) for w in report.working_areas],
        "past_events": [_event(e) for e in report.past_events],
        "planned_events": [_event(e) for e in report.planned_events],
        "sdg": {str(a.goal): a.rating for a in report.sdg},
        "collaborations": links.collaborations if links else [],
        "missing_mandatory": list(report.missing_mandatory),
        "known_issues": links.known_issues() if links else [],
        "partnership_registry": _registry_entry(links),
        "executive_summary": summary.text if summary else None,
        "interested_entities": interested.text if interested else None,
        "answers": {
            a.key: {
                "question": a.question,
                "text": a.text,
                "line": a.line,
                "answer_line": a.answer_line,
            }
            for a in report.answers
        },
        "lines": {
            "reporting_period": period.line if period else None,
            "partnership": report.partnership_line,
            "leading_regions": [r.line for r in report.leading_regions],
        },
        "warnings": [
            {"line": w.line, "message": w.message, "text": w.text} for w in report.warnings
        ],
        "source": {
            "file": report.source.name,
            "sha256": report.source.sha256,
            "bytes": report.source.size,
        },
    }


def _registry_entry(links: ReportLinks | None) -> dict[str, Any] | None:
    if links is None or links.partnership is None:
        return None
    entry = links.partnership
    return {"name": entry.name, "slug": entry.slug, "curated": entry.curated}
