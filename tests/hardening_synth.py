"""Synthetic reports on disk for the hardening tests, drawn by ``bench/synth.py``.

``bench`` is no package: its generator is run from its path.
"""

from __future__ import annotations

import random
import runpy
from functools import cache
from pathlib import Path
from typing import Any

SYNTH = Path(__file__).resolve().parents[1] / "bench" / "synth.py"


@cache
def _synth() -> dict[str, Any]:
    return runpy.run_path(str(SYNTH))


def write_reports(folder: Path, count: int) -> Path:
    """``count`` distinct clean reports (distinct named graphs) as ``*.txt`` files in ``folder``."""
    synth_report = _synth()["synth_report"]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = synth_report(i, random.Random(i), distinct=True)
        (folder / f"synthetic-{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder
