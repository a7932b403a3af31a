"""The scale benchmark's generator: reports the parser reads into what was meant, quirks at the
corpus's rates, the same text for the same seed, files written one by one."""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
from pathlib import Path

import pytest
from conftest import find_shared_dir

from s3graph.parse import parse_file

BENCH = Path(__file__).resolve().parents[1] / "bench"


sys.path.insert(0, str(BENCH))  # as the bench scripts run: scale_synth imports synth
scale_synth = importlib.import_module("scale_synth")
#: Every quirk often, so that a few reports show each of them.
OFTEN = scale_synth.QuirkRates(
    region_typo=0.3, old_code=0.3, missing_code=0.15, undated_event=0.3, double_sdg=0.2
)


@pytest.mark.parametrize("i", [0, 1, 300, 700, 5_000])
def test_a_generated_report_parses_into_what_was_meant(i: int, tmp_path: Path) -> None:
    text, meant = scale_synth.scale_report(i, seed=3, rates=OFTEN)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")

    report = parse_file(path)

    assert report.partnership == meant.partnership
    assert report.reporting_period is not None
    assert (report.reporting_period.year, report.reporting_period.half) == (meant.year, meant.half)
    regions = [(r.name, r.country, r.code) for r in report.participating_regions]
    assert regions == list(meant.regions)
    events = report.past_events + report.planned_events
    assert len(events) == meant.events
    assert sum(1 for e in events if e.date_text is None) == meant.undated
    assert [answer.checked for answer in report.sdg] == list(meant.sdg)
    assert report.missing_mandatory == ()


def test_quirks_appear_and_codes_come_from_nuts() -> None:
    meant = [scale_synth.scale_report(i, seed=1, rates=OFTEN)[1] for i in range(40)]
    assert sum(m.typos for m in meant) > 0
    assert sum(m.old_codes for m in meant) > 0
    assert sum(m.undated for m in meant) > 0
    assert any(len(ticks) == 2 for m in meant for ticks in m.sdg)
    codes = [code for m in meant for _, _, code in m.regions]
    assert None in codes
    from s3graph.vocab.nuts_snapshot import snapshot_index

    index = snapshot_index()
    assert all(index.versions_of(code) for code in codes if code is not None)


def test_the_same_seed_gives_the_same_text_and_another_seed_another() -> None:
    assert scale_synth.scale_report(9, seed=4) == scale_synth.scale_report(9, seed=4)
    assert scale_synth.scale_report(9, seed=4)[0] != scale_synth.scale_report(9, seed=5)[0]


def test_reports_are_distinct_beyond_the_registry() -> None:
    keys = {scale_synth.report_key(i) for i in range(20_000)}
    assert len(keys) == 20_000


def test_corpus_is_written_file_by_file_and_resumes(tmp_path: Path) -> None:
    files = scale_synth.write_corpus(tmp_path, 3, seed=2)
    first = next(files)
    assert first.is_file() and not list(tmp_path.rglob("scale-000001.txt"))
    rest = list(files)
    assert len(rest) == 2
    stamp = first.stat().st_mtime_ns
    again = list(scale_synth.write_corpus(tmp_path, 3, seed=2))
    assert again[0] == first
    assert first.stat().st_mtime_ns == stamp


def test_default_rates_are_those_of_the_shared_corpus() -> None:
    shared = find_shared_dir()
    if shared is None:
        pytest.skip("shared corpus not found (S3GRAPH_SHARED or ../shared)")
    regions = events = rows = typos = obsolete = undated = double = 0
    for path in sorted((shared / "corpus").glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        kinds = [issue["kind"] for issue in expected.get("known_issues", [])]
        typos += kinds.count("typo")
        obsolete += kinds.count("nuts-obsolete")
        regions += len(expected["participating_regions"])
        found = expected["past_events"] + expected["planned_events"]
        events += len(found)
        undated += sum(1 for e in found if not e.get("date_text"))
        rows += len(expected["sdg"])
        double += sum(1 for v in expected["sdg"].values() if isinstance(v, list))
    rates = dataclasses.asdict(scale_synth.CORPUS_RATES)
    assert rates["region_typo"] == pytest.approx(typos / regions)
    assert rates["old_code"] == pytest.approx(obsolete / regions)
    assert rates["undated_event"] == pytest.approx(undated / events)
    assert rates["double_sdg"] == pytest.approx(double / rows)
