"""Any mutation of the real report gives a Report or a ReportError: never another exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Fragments that look like the form, so that inserted lines hit the parser's decisions.
FORM_LIKE = [
    "",
    " ",
    "\t",
    "\f",
    "\ufeff",
    "\u00a0",
    "* Reporting period",
    "January - June 2020",
    "July - December 2021",
    "Sometime in 2021",
    "*** Please provide the list of participating regions.**",
    "Please provide information regarding past meetings, workshops and dissemination activities",
    "Please indicate to which Sustainable Development Goals and to what extent",
    "Thematic Smart Specialisation Platforms Monitoring Progress Report",
    "II. Progress report",
    "\tEvent\tDate\tPlace\tAny other information",
    "\tStrongly agree\tAgree\tNeutral\tDisagree\tStrongly disagree\tNot applicable",
    "11\tExtra\t1.1.2020\tOnline\t",
    "99\t\t\t\t\t\t\t",
    "0\t",
    "-1\tx",
    'Goal 18. Not a goal\t<input checked="" type="radio"/>',
    'Goal 3.\t<input checked="" type="radio"/>\t<input checked="" type="radio"/>',
    "Goal 7. Energy",
    '<input type="radio"/>',
    "Lapland (FI) FI1D7",
    "(FI)",
    "NUTS 2:",
    "ES-",
    "e.g.: Lapland (FI), FI1D7",
    "**",
    "***",
    "Next report",
]

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)
LINE = st.one_of(
    TEXT, st.sampled_from(FORM_LIKE), st.tuples(st.sampled_from(FORM_LIKE), TEXT).map("".join)
)
ODD = st.sampled_from(["\ufeff", "\u00a0", "\f", "\t", "\r", "\x00", "\u2028", "\x85", "*", "\n"])


@st.composite
def mutation(draw: st.DrawFn, lines: list[str]) -> tuple[str, Any]:
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "insert", "swap", "odd-char", "truncate", "replace"]
        )
    )
    n = len(lines)
    if kind == "insert":
        return kind, (draw(st.integers(0, n)), draw(LINE))
    if kind == "odd-char":
        i = draw(st.integers(0, n - 1))
        return kind, (i, draw(st.integers(0, len(lines[i]))), draw(ODD))
    if kind == "replace":
        return kind, (draw(st.integers(0, n - 1)), draw(LINE))
    if kind == "swap":
        return kind, draw(st.integers(0, max(n - 2, 0)))
    return kind, draw(st.integers(0, n - 1))


def apply(lines: list[str], kind: str, arg: Any) -> list[str]:
    """One mutation of a list of lines (pure: returns a new list)."""
    out = list(lines)
    if not out:
        return out
    if kind == "delete":
        del out[min(arg, len(out) - 1)]
    elif kind == "duplicate":
        i = min(arg, len(out) - 1)
        out.insert(i, out[i])
    elif kind == "insert":
        i, new = arg
        out.insert(min(i, len(out)), new)
    elif kind == "replace":
        i, new = arg
        out[min(i, len(out) - 1)] = new
    elif kind == "swap":
        i = min(arg, len(out) - 2)
        if i >= 0:
            out[i], out[i + 1] = out[i + 1], out[i]
    elif kind == "odd-char":
        i, pos, char = arg
        i = min(i, len(out) - 1)
        pos = min(pos, len(out[i]))
        out[i] = out[i][:pos] + char + out[i][pos:]
    elif kind == "truncate":
        del out[min(arg, len(out)) :]
    return out


def parse_or_report_error(api: Any, text: str) -> None:
    """The property: a Report with a JSON contract, or a one-line ReportError naming a line."""
    ReportError = api.ReportError
    try:
        report = api.parse_text(text, name="mutant.txt")
    except ReportError as err:
        message = str(err)
        assert message.startswith("mutant.txt:"), message
        assert "expected" in message and "\n" not in message, message
        assert isinstance(err.line, int) and err.line >= 0, message
        return
    contract = api.to_contract(report)
    json.dumps(contract, allow_nan=False)
    # lone CR, NEL and U+2028 are undefined line breaks here: allow either way of counting
    n_lines = max(text.count("\n"), len(text.splitlines())) + 1
    for warning in contract.get("warnings", []):
        assert 1 <= warning["line"] <= n_lines, warning


@pytest.fixture(scope="module")
def mining_lines(mining_text: str) -> list[str]:
    return mining_text.split("\n")


def test_unmutated_report_parses(mining_text: str, api) -> None:
    assert api.parse_text(mining_text).reporting_period is not None


@SETTINGS
@given(data=st.data())
def test_one_mutation(data: st.DataObject, mining_lines: list[str], api) -> None:
    kind, arg = data.draw(mutation(mining_lines), label="mutation")
    parse_or_report_error(api, "\n".join(apply(mining_lines, kind, arg)))


@SETTINGS
@given(data=st.data())
def test_several_mutations(data: st.DataObject, mining_lines: list[str], api) -> None:
    lines = mining_lines
    for _ in range(data.draw(st.integers(2, 6), label="count")):
        if not lines:
            break
        kind, arg = data.draw(mutation(lines), label="mutation")
        lines = apply(lines, kind, arg)
    parse_or_report_error(api, "\n".join(lines))


@SETTINGS
@given(cut=st.integers(min_value=0), crlf=st.booleans(), bom=st.booleans())
def test_truncated_anywhere(cut: int, crlf: bool, bom: bool, mining_text: str, api) -> None:
    text = mining_text[: cut % (len(mining_text) + 1)]
    if crlf:
        text = text.replace("\n", "\r\n")
    if bom:
        text = "\ufeff" + text
    parse_or_report_error(api, text)


@SETTINGS
@given(text=st.text(max_size=400))
def test_arbitrary_text(text: str, api) -> None:
    parse_or_report_error(api, text)
