"""Hostile input costs linear time and bounded memory (issue 10).

Adversarial lines are generated from the pieces that once made the parser or the linker
quadratic: long runs of spaces and tabs, separators, region and partnership names, NUTS codes in
their notations, checkboxes and radio inputs, "Goal" rows. A line is repeated to a size and put
where it does harm in an otherwise valid report (a participating-region line, the leading
regions, an SDG cell, a table row, free text), or makes up a whole file. Then:

(a) growth: the input made 16 times larger takes at most 16 times longer, twice over plus a
    constant (quadratic work would take 256 times longer);
(b) 2 MB of such text parses in under 2 s and 300 MB, measured in a child process;
(c) the linking step (regions judged against NUTS loaded as ``validate --nuts`` loads it,
    partnership names found in the text) grows linearly too.

Each explicit example is a case that was slow before the fix (seconds at 16-62 KB).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

MINING = "corpus/mining-industry-2020-h1.txt"
SDG_HEADER = "\tStrongly agree\tAgree\tNeutral\tDisagree\tStrongly disagree\tNot applicable"
SUMMARY = "Please provide the executive summary and the objectives of your partnership**"
LEADING = "Please provide the list of leading regions**"
HELP_LINE = "e.g.: Lapland (FI), FI1D7"
AREAS = "\tWorking area\tRegion in charge\tInvolved regions\tOther actors"

SMALL, LARGE = 16 * 1024, 256 * 1024
LINK_SMALL, LINK_LARGE = 4 * 1024, 64 * 1024
#: Allowed: linear growth twice over, plus this many seconds.
SLACK_SECONDS = 0.3

# --------------------------------------------------------------------------------------------------
# The adversarial pieces and lines

SPACES = st.integers(1, 400).flatmap(lambda n: st.sampled_from([" " * n, "\t" * n, " \t" * n]))
SEPARATORS = st.sampled_from(["|", ";", ",", "-", " and ", " & ", ", ", "; "])
REGIONS = st.sampled_from(
    [
        "Lapland",
        "Highlands and Islands",
        "North Karelia Finland",
        "Castilla y'Leon",
        "Cenrto Portugal",
        "Stereia Ellada",
        "Upper Austria",
        "Provence-Alpes-Côte d'Azur",
    ]
)
CODES = st.sampled_from(
    ["FI1D7", "(ES-41)", "NUTS 2: ES41", "pt11", "(GR)", "EL24", "(FI)", "es51"]
)
PARTNERSHIPS = st.sampled_from(
    [
        "Chemicals partnership",
        "S3P Batteries",
        "the Mining industry partnership",
        "AI & HMI",
        "European Clean Hydrogen Alliance",
        "S3 thematic partnership on ",
        "Advanced materials for batteries",
    ]
)
CHECKBOXES = st.sampled_from(
    [
        "[x]",
        "[ ]",
        '<input type="radio"/>',
        '<input checked="" type="radio"/>',
        "<input ",
        "<input checked ",
        "Goal 3. ",
    ]
)
WORDS = st.text(alphabet="abcXYZ0129().:", min_size=1, max_size=8)
PIECES = st.one_of(SPACES, SEPARATORS, REGIONS, CODES, PARTNERSHIPS, CHECKBOXES, WORDS)
UNITS = st.lists(PIECES, min_size=1, max_size=12).map("".join)


def _repeat(unit: str, size: int, joiner: str = "") -> str:
    """``unit`` repeated (joined by ``joiner``) to about ``size`` characters."""
    count = max(1, size // (len(unit) + len(joiner)))
    return joiner.join([unit] * count)


def _line(unit: str) -> str:
    """A unit as one line (the report's own line breaks would end it)."""
    return unit.replace("\n", " ")


class Shapes:
    """Where an adversarial unit is put, each a function (unit, size) -> the text of a file."""

    def __init__(self, mining: str) -> None:
        self.mining = mining

    def _after(self, label: str, text: str) -> str:
        at = self.mining.index("\n", self.mining.index(label)) + 1
        return self.mining[:at] + text + "\n" + self.mining[at:]

    def region_line(self, unit: str, size: int) -> str:
        return self._after(HELP_LINE, "Lapland (FI) " + _repeat(_line(unit), size) + " x")

    def names(self, unit: str, size: int, misspelt: str = "") -> str:
        """Numbered names, half as participating regions, half as leading regions."""
        name = _line(unit).strip() or "x"
        count = max(1, size // 2 // (len(name) + 20))
        leading = "\n".join(f"{name}{misspelt} {k}" for k in range(count))
        participating = "\n".join(f"{name} {k} (FI) FI1D7" for k in range(count))
        return self._after(HELP_LINE, participating).replace(
            "North Karelia Finland and Lapland, Finland", leading
        )

    def near_names(self, unit: str, size: int) -> str:
        """As :meth:`names`, each leading name one letter off its participating region."""
        return self.names(unit, size, misspelt="x")

    def leading(self, unit: str, size: int) -> str:
        return self._after(LEADING, "Lapland " + _repeat(_line(unit), size) + " x")

    def sdg_cell(self, unit: str, size: int) -> str:
        return self._after(SDG_HEADER, "Goal 1. x\t" + _repeat(_line(unit), size))

    def table_row(self, unit: str, size: int) -> str:
        return self._after(AREAS, "1\t" + _repeat(_line(unit), size))

    def prose(self, unit: str, size: int) -> str:
        return self._after(SUMMARY, _repeat(_line(unit), size))

    def blank_lines(self, unit: str, size: int) -> str:
        return self._after(SUMMARY, _repeat("\n" + _line(unit).strip(" \t"), size, "\n"))

    def whole_file(self, unit: str, size: int) -> str:
        return _repeat(unit, size)


#: Each shape with a unit that made parsing slow before (the old code's figures in comments).
SLOW_BEFORE: dict[str, str] = {
    "region_line": " " * 400,  # the code-at-end pattern retried along the run
    "names": "Highlands and Islands",  # a pattern compiled per protected name per line
    "leading": " " * 400,  # the split at "and" retried along the run
    "sdg_cell": "<input ",  # a tag without ">": each <input read to the end
    "blank_lines": "",  # one object per blank line, then folded one by one
    "whole_file": "x" + "\n" * 400,  # the same, before the file is found not to be a report
}
#: Each shape with a unit that made linking slow before.
SLOW_LINKING: dict[str, str] = {
    "near_names": "Highlands and Islands",  # each leading name against every participant
    "leading": "Qwzx00001, ",  # edit distance against every NUTS name
    "prose": "Chemicals partnership, ",  # the text before each label read again
    "table_row": "S3P Batteries and Chemicals partnership ",  # the same, in a table cell
}


@pytest.fixture(scope="module")
def shapes(shared_dir: Path) -> Shapes:
    return Shapes((shared_dir / MINING).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# Timing


def _parse(text: str) -> Any:
    from s3graph.errors import ReportError
    from s3graph.model import SourceFile
    from s3graph.parse import parse_text

    try:
        return parse_text(text, SourceFile("hostile.txt", "0" * 64, len(text)))
    except ReportError:
        return None  # a whole file of junk is refused: that must be quick too


def _best_time(work: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _assert_linear(work: Callable[[int], object], small: int, large: int, what: str) -> None:
    """Time at ``large`` within (large / small) * 2 times the time at ``small``, plus slack.

    The small size is timed as the best of three runs; the large one once, and up to twice more
    only when over the bound (a noisy machine), so that a linear parser costs one large run.
    """
    base = _best_time(lambda: work(small), 3)
    bound = (large / small) * 2 * base + SLACK_SECONDS
    taken = _best_time(lambda: work(large), 1)
    if taken > bound:
        taken = min(taken, _best_time(lambda: work(large), 2))
    assert taken <= bound, (
        f"{what}: {taken:.3f} s at {large // 1024} KB, {base:.3f} s at {small // 1024} KB "
        f"(allowed {bound:.3f} s): not linear"
    )


FAST = settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("shape", list(SLOW_BEFORE))
@FAST
@given(unit=UNITS)
@example(unit="")  # replaced by the shape's own slow unit below
def test_parse_time_grows_linearly(shapes: Shapes, shape: str, unit: str) -> None:
    unit = unit or SLOW_BEFORE[shape]
    make = getattr(shapes, shape)
    texts = {size: make(unit, size) for size in (SMALL, LARGE)}
    _assert_linear(lambda size: _parse(texts[size]), SMALL, LARGE, f"parse {shape} {unit[:40]!r}")


@pytest.fixture(scope="module")
def linker(shared_dir: Path) -> Any:
    """Registry, English names and NUTS from the reference folder, as ``validate --nuts``."""
    from s3graph.linking.links import Linker
    from s3graph.vocab.nuts_csv import load_reference_dir

    return Linker.load(load_reference_dir(shared_dir / "reference"))


@pytest.mark.parametrize("shape", list(SLOW_LINKING))
@FAST
@given(unit=st.one_of(REGIONS, PARTNERSHIPS, UNITS))
@example(unit="")  # replaced by the shape's own slow unit below
def test_link_time_grows_linearly(shapes: Shapes, linker: Any, shape: str, unit: str) -> None:
    unit = unit or SLOW_LINKING[shape]
    make = getattr(shapes, shape)
    # The linker stays linear beyond the most regions the parser accepts (100 leading, 1,000
    # participating): lifted here, so that 64 KB of names reach it.
    with patch.multiple(
        "s3graph.parse.report", MAX_LEADING_REGIONS=10**6, MAX_PARTICIPATING_REGIONS=10**6
    ):
        reports = {size: _parse(make(unit, size)) for size in (LINK_SMALL, LINK_LARGE)}
    assert all(r is not None for r in reports.values())
    linker.link(reports[LINK_SMALL])  # the NUTS names are indexed once, on first use
    _assert_linear(
        lambda size: linker.link(reports[size]),
        LINK_SMALL,
        LINK_LARGE,
        f"link {shape} {unit[:40]!r}",
    )


def test_leading_typos_still_found_through_the_index(shapes: Shapes, linker: Any) -> None:
    """Leading regions judged through the index: a near miss of a NUTS name is still a typo."""
    with patch.multiple("s3graph.parse.report", MAX_LEADING_REGIONS=10**6):
        report = _parse(shapes.leading("Lappland, Qwzx00001, ", 2 * 1024))
    issues = [j for j in linker.link(report).judgements if j.member and j.member[0] == "leading"]
    typos = {j.suggestion for j in issues if j.rule == "typo"}
    assert "Lappi" in typos or "Lapland" in typos


# --------------------------------------------------------------------------------------------------
# 2 MB in a child process: time and peak memory

CHILD = """
import json, resource, sys, time
from pathlib import Path
from s3graph.errors import ReportError
from s3graph.parse import parse_file
start = time.perf_counter()
try:
    parse_file(Path(sys.argv[1]))
    outcome = "parsed"
except ReportError as err:
    outcome = str(err)[:200]
seconds = time.perf_counter() - start
# The peak of this process since it started (VmHWM): ru_maxrss would also count the test
# runner's memory, copied at fork before the exec.
status = Path("/proc/self/status")
lines = status.read_text().splitlines() if status.exists() else []
hwm = [int(line.split()[1]) for line in lines if line.startswith("VmHWM:")]
peak = (hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def _measure(path: Path, timeout: float = 60) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


#: The parse cases, and the linking case whose 2 MB took minutes to parse before (protected names).
TWO_MB = [*SLOW_BEFORE.items(), ("linked near_names", SLOW_LINKING["near_names"])]
#: The size given to a shape: the real report around the unit (15 KB) must fit under the limit.
TWO_MB_UNDER_LIMIT = 2 * 1024 * 1024 - 32 * 1024


@pytest.mark.parametrize(("shape", "unit"), TWO_MB, ids=[k for k, _ in TWO_MB])
def test_two_megabytes_parse_fast_and_small(
    shapes: Shapes, shape: str, unit: str, tmp_path: Path
) -> None:
    from s3graph.parse.text import MAX_REPORT_BYTES

    shape = shape.removeprefix("linked ")
    path = tmp_path / f"{shape}.txt"
    # As near 2 MB as the default limit (issue 12: 2 MB) lets the whole file be: still parsed.
    path.write_text(getattr(shapes, shape)(unit, TWO_MB_UNDER_LIMIT), encoding="utf-8")
    assert path.stat().st_size <= MAX_REPORT_BYTES
    measured = _measure(path)
    assert measured["seconds"] < 2, measured
    assert measured["peak_mb"] < 300, measured
    if shape in ("names", "near_names"):  # thousands of regions: more than a report may name
        assert "expected at most 100 leading regions" in measured["outcome"], measured
    elif shape in ("region_line", "leading", "sdg_cell"):  # one line of 2 MB: over the limit
        assert "expected a line of at most 1,048,576 characters" in measured["outcome"], measured
    elif shape != "whole_file":
        assert measured["outcome"] == "parsed", measured


def test_oversized_file_is_refused_in_one_line(tmp_path: Path) -> None:
    """50 MB of blank lines once needed 5.1 GB; now the file is refused after 2 MB is read."""
    path = tmp_path / "blank.txt"
    with path.open("wb") as out:
        out.write(b"\n" * (50 * 1024 * 1024))
    measured = _measure(path)
    assert measured["peak_mb"] < 300, measured
    assert measured["outcome"].startswith(f"{path}:2097153: expected a report of at most 2 MB")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("s3graph")), "parse", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"{path}:2097153: expected a report")
