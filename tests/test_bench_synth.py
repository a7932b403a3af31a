"""The benchmark's report generator writes reports the real parser reads cleanly."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from s3graph.parse import parse_file

SYNTH = Path(__file__).resolve().parents[1] / "bench" / "synth.py"


def _load_synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_synth", SYNTH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_synth", module)
    spec.loader.exec_module(module)
    return module


synth = _load_synth()


@pytest.mark.parametrize("i", range(20))
def test_synthetic_report_parses_without_warnings(i: int, tmp_path: Path) -> None:
    path = tmp_path / f"synthetic-{i}.txt"
    path.write_text(synth.synth_report(i, random.Random(i)), encoding="utf-8")

    report = parse_file(path)

    assert report.warnings == ()
    assert report.missing_mandatory == ()
    assert report.partnership in synth.PARTNERSHIPS
    assert report.reporting_period is not None
    assert 2019 <= report.reporting_period.year <= 2024
    assert 5 <= len(report.participating_regions) <= 15
    assert all(r.code and r.country for r in report.participating_regions)
    assert len(report.sdg) == 17


def test_generator_is_deterministic_for_a_seed() -> None:
    assert synth.synth_report(7, random.Random(42)) == synth.synth_report(7, random.Random(42))
