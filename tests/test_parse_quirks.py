"""The real report with the corpus' quirks moved elsewhere: the parse must not change.

Each quirk is a small pure function ``text -> text`` applied to ``mining-industry-2020-h1.txt`` (the
only real document). Unless a quirk adds data (rows 11 and 12), the result must still equal
``mining-industry-2020-h1.expected.json``, field by field, through both ``parse_file`` (bytes on
disk) and ``parse_text`` (the decoded string). Only LF and CRLF line ends are required; a lone CR is
not a line break this parser has to understand.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

PAGE_HEADER = "Thematic Smart Specialisation Platforms Monitoring Progress Report"
SDG_HEADER_ROW = "\tStrongly agree\tAgree\tNeutral\tDisagree\tStrongly disagree\tNot applicable"
EVENT_HEADER_ROW = "\tEvent\tDate\tPlace\tAny other information"
NBSP = "\u00a0"

# --------------------------------------------------------------------------------------------------
# Pure helpers on the text of a report (lines split at "\n")


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def text_of(lines: list[str]) -> str:
    return "\n".join(lines)


def index_of(lines: list[str], start: str, after: int = -1) -> int:
    """Index of the first line after ``after`` that starts with ``start`` (must exist)."""
    for i in range(after + 1, len(lines)):
        if lines[i].startswith(start):
            return i
    raise AssertionError(f"no line starting with {start!r} after line {after + 1}")


def table_row(lines: list[str], label_start: str, n: int) -> int:
    """Index of row ``n`` of the table introduced by the label starting with ``label_start``."""
    return index_of(lines, f"{n}\t", after=index_of(lines, label_start))


def insert_after(text: str, index_finder: Callable[[list[str]], int], new: list[str]) -> str:
    lines = lines_of(text)
    at = index_finder(lines) + 1
    return text_of(lines[:at] + new + lines[at:])


def replace_line(text: str, old: str, new: str) -> str:
    """Replace the one line equal to ``old`` with ``new`` (which may hold several lines)."""
    lines = lines_of(text)
    hits = [i for i, line in enumerate(lines) if line == old]
    assert len(hits) == 1, f"{old!r} found on lines {[i + 1 for i in hits]}"
    lines[hits[0]] = new
    return text_of(lines)


def replace_start(text: str, old_start: str, new: Callable[[str], str]) -> str:
    """Rewrite the one line starting with ``old_start``."""
    lines = lines_of(text)
    hits = [i for i, line in enumerate(lines) if line.startswith(old_start)]
    assert len(hits) == 1, f"{old_start!r} found on lines {[i + 1 for i in hits]}"
    lines[hits[0]] = new(lines[hits[0]])
    return text_of(lines)


PAST = "Please provide information regarding past meetings"
PLANNED = "Please provide information regarding planned future meetings"
WORKING = "Please provide an overview of the **working areas**"
SDG_LABEL = "Please indicate to which Sustainable Development Goals"


def sdg_row(lines: list[str], goal: int) -> int:
    return index_of(lines, f"Goal {goal}. ")


# --------------------------------------------------------------------------------------------------
# The quirks (each keeps the expected parse unchanged)


def with_bom(text: str) -> str:
    return "\ufeff" + text


def with_crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def with_crlf_and_final_newline(text: str) -> str:
    return with_crlf(text) + "\r\n"


def with_form_feeds(text: str) -> str:
    """Form feeds between sections, at the start of a heading, inside two tables and the matrix."""
    text = replace_line(text, "II. Progress report", "\f\nII. Progress report")
    text = replace_line(text, "New activities", "\fNew activities")
    text = insert_after(text, lambda ls: table_row(ls, WORKING, 4), ["\f"])
    text = insert_after(text, lambda ls: table_row(ls, PAST, 2), ["\f"])
    text = insert_after(text, lambda ls: sdg_row(ls, 12), ["\f"])
    return text


def with_page_break_in_regions(text: str) -> str:
    return insert_after(text, lambda ls: ls.index("Asturias (ES) ES12"), ["", PAGE_HEADER, "", ""])


def with_page_break_in_past_events(text: str) -> str:
    return insert_after(text, lambda ls: table_row(ls, PAST, 2), ["", PAGE_HEADER, ""])


def with_page_break_and_header_row_in_past_events(text: str) -> str:
    new = ["", PAGE_HEADER, "", EVENT_HEADER_ROW]
    return insert_after(text, lambda ls: table_row(ls, PAST, 3), new)


def with_page_break_in_sdg(text: str) -> str:
    return insert_after(text, lambda ls: sdg_row(ls, 3), ["", PAGE_HEADER, "", SDG_HEADER_ROW])


def with_header_row_repeated_in_sdg(text: str) -> str:
    return insert_after(text, lambda ls: sdg_row(ls, 14), [SDG_HEADER_ROW])


def with_nbsp(text: str) -> str:
    """Non-breaking spaces inside region lines, a table cell and question labels.

    Touches no line that ``with_markdown_bold_labels`` rewrites, so the two compose.
    """
    text = replace_line(text, "Lapland (FI) FI1D7", f"Lapland{NBSP}(FI){NBSP}FI1D7")
    text = replace_line(text, "Castilla y'Leon (ES) ES41", f"Castilla{NBSP}y'Leon (ES){NBSP}ES41")
    text = replace_line(text, "Asturias (ES) ES12", f"Asturias (ES) ES12{NBSP}")
    text = replace_line(
        text,
        "*** Start date of your partnership**",
        f"***{NBSP}Start date of your{NBSP}partnership**",
    )
    text = replace_line(
        text,
        "*** Please provide the list of participating regions.**",
        f"*** Please provide the list of participating{NBSP}regions.**",
    )
    text = replace_line(
        text,
        "*** Please provide the list of leading regions**",
        f"***{NBSP}Please provide the list of leading regions{NBSP}**",
    )
    text = replace_start(
        text,
        "Evaluation of whether the level",
        lambda s: s.replace(" level ", f"{NBSP}level{NBSP}"),
    )
    text = replace_start(text, WORKING, lambda s: s.replace("provide an", f"provide{NBSP}an"))
    text = replace_start(text, "1\tResults of the scoping", lambda s: s.replace(", ", f",{NBSP}"))
    return text


def with_blank_lines_between_rows(text: str) -> str:
    out = []
    for line in lines_of(text):
        out.append(line)
        if re.match(r"\d+\t", line) or re.match(r"Goal \d+\. ", line):
            out.append("")
    return text_of(out)


def with_trailing_spaces(text: str) -> str:
    return text_of([line + "  " for line in lines_of(text)])


def with_trailing_tabs_outside_tables(text: str) -> str:
    return text_of([line if "\t" in line else line + " \t " for line in lines_of(text)])


def with_markdown_bold_labels(text: str) -> str:
    text = replace_line(text, "* Reporting period", "* **Reporting period**")
    text = replace_line(
        text,
        "* Please select the name of your partnership",
        "*** Please select the name of your partnership**",
    )
    text = replace_line(text, "Partnership's webpage", "**Partnership's webpage**")
    text = replace_start(text, "Please provide the list of interested", lambda s: f"**{s}**")
    text = replace_start(text, PAST, lambda s: s.replace("past meetings", "**past meetings**"))
    text = replace_start(text, PLANNED, lambda s: f"**{s}**")
    text = replace_start(text, "Tangible short-", lambda s: f"**{s}**")
    text = replace_start(text, "Additional results obtained", lambda s: f"**{s}**")
    text = replace_start(text, SDG_LABEL, lambda s: f"**{s}**")
    text = replace_line(text, "II. Progress report", "**II. Progress report**")
    return text


def _leading(*new: str) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        return replace_line(text, "North Karelia Finland and Lapland, Finland", "\n".join(new))

    return mutate


with_leading_one_per_line = _leading("North Karelia, Finland", "Lapland, Finland")
with_leading_one_per_line_abbreviated = _leading("North Karelia (FI)", "Lapland (FI) FI1D7")
with_leading_semicolon = _leading("North Karelia (FI); Lapland (FI)")
with_leading_ampersand = _leading("North Karelia Finland & Lapland Finland")


def with_stray_blank_lines(text: str) -> str:
    """Extra blank lines around answers and inside the regions list."""
    text = replace_line(text, "Fall 2019", "\n\nFall 2019\n\n")
    text = insert_after(text, lambda ls: ls.index("Andalusia (ES) ES61"), ["", ""])
    return insert_after(text, lambda ls: index_of(ls, "Collaboration with the Advanced"), ["", ""])


QUIRKS: dict[str, Callable[[str], str]] = {
    "bom": with_bom,
    "crlf": with_crlf,
    "crlf-final-newline": with_crlf_and_final_newline,
    "form-feeds": with_form_feeds,
    "page-break-in-regions": with_page_break_in_regions,
    "page-break-in-past-events": with_page_break_in_past_events,
    "page-break-header-row-in-past-events": with_page_break_and_header_row_in_past_events,
    "page-break-in-sdg": with_page_break_in_sdg,
    "header-row-repeated-in-sdg": with_header_row_repeated_in_sdg,
    "nbsp": with_nbsp,
    "blank-lines-between-rows": with_blank_lines_between_rows,
    "trailing-spaces": with_trailing_spaces,
    "trailing-tabs-outside-tables": with_trailing_tabs_outside_tables,
    "markdown-bold-labels": with_markdown_bold_labels,
    "leading-one-per-line": with_leading_one_per_line,
    "leading-one-per-line-abbreviated": with_leading_one_per_line_abbreviated,
    "leading-semicolon": with_leading_semicolon,
    "leading-ampersand": with_leading_ampersand,
    "stray-blank-lines": with_stray_blank_lines,
}

#: Applied in this order for the all-at-once test (line-content anchors first, encodings last).
ALL_AT_ONCE = (
    "leading-one-per-line",
    "stray-blank-lines",
    "page-break-in-regions",
    "page-break-header-row-in-past-events",
    "page-break-in-sdg",
    "form-feeds",
    "markdown-bold-labels",
    "nbsp",
    "blank-lines-between-rows",
    "trailing-spaces",
    "crlf",
    "bom",
)


def write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def parse_both(api: Any, tmp_path: Path, text: str, via: str) -> dict[str, Any]:
    if via == "file":
        return api.contract_of_file(write(tmp_path, text))
    return api.contract_of_text(text)


# --------------------------------------------------------------------------------------------------
# Tests


def test_quirk_helpers_change_the_text(mining_text: str) -> None:
    for name, quirk in QUIRKS.items():
        assert quirk(mining_text) != mining_text, name


@pytest.mark.parametrize("via", ["file", "text"])
@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_quirk_keeps_the_parse(
    quirk, via, mining_text, mining_expected, api, check_contract, check_answers, tmp_path
) -> None:
    text = QUIRKS[quirk](mining_text)
    contract = parse_both(api, tmp_path, text, via)
    check_contract(contract, mining_expected, text, f"{quirk} via {via}")
    check_answers(contract, text)


@pytest.mark.parametrize("via", ["file", "text"])
def test_all_quirks_at_once(
    via, mining_text, mining_expected, api, check_contract, check_answers, tmp_path
) -> None:
    text = mining_text
    for name in ALL_AT_ONCE:
        text = QUIRKS[name](text)
    contract = parse_both(api, tmp_path, text, via)
    check_contract(contract, mining_expected, text, f"all quirks via {via}")
    check_answers(contract, text)


def test_page_break_is_not_a_warning_or_region(mining_text, api) -> None:
    text = with_page_break_in_regions(with_page_break_in_sdg(mining_text))
    contract = api.contract_of_text(text)
    raws = [r["raw"] for r in contract["participating_regions"]]
    assert PAGE_HEADER not in raws
    assert all(PAGE_HEADER not in (w.get("text") or "") for w in contract["warnings"]), contract[
        "warnings"
    ]


# --------------------------------------------------------------------------------------------------
# Rows beyond the tenth


#: For each table: its label and the rows 11 and 12 added to it (cells by column, None when blank).
EXTRA_ROWS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "working_areas": (
        WORKING,
        [
            {
                "n": 11,
                "area": None,
                "region_in_charge": None,
                "involved_regions": None,
                "other_actors": None,
            },
            {
                "n": 12,
                "area": "Mine closure and after-use",
                "region_in_charge": "Lapland",
                "involved_regions": "Kainuu, Asturias",
                "other_actors": "Geological surveys",
            },
        ],
    ),
    "past_events": (
        PAST,
        [
            {
                "n": 11,
                "event": "Steering group",
                "date_text": "29.6.2020",
                "place": "online",
                "info": "Extra row",
            },
            {
                "n": 12,
                "event": "Regional workshop",
                "date_text": "June",
                "place": "Oulu, Finland",
                "info": None,
            },
        ],
    ),
    "planned_events": (
        PLANNED,
        [
            {
                "n": 11,
                "event": "Study visit",
                "date_text": "Q4 2020",
                "place": "Asturias, Spain",
                "info": "If travel is allowed",
            },
            {
                "n": 12,
                "event": "Partnership plenary",
                "date_text": None,
                "place": "Online",
                "info": "Date to be confirmed",
            },
        ],
    ),
}
CELLS = {
    "working_areas": ("area", "region_in_charge", "involved_regions", "other_actors"),
    "past_events": ("event", "date_text", "place", "info"),
    "planned_events": ("event", "date_text", "place", "info"),
}


def with_rows_11_and_12(text: str, expected: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Append rows 11 (empty) / 12 or 11 / 12 to every table, and the rows to the expectation."""
    expected = copy.deepcopy(expected)
    for key, (label, rows) in EXTRA_ROWS.items():
        new_lines = [
            "\t".join([str(row["n"])] + [row[c] or "" for c in CELLS[key]]) for row in rows
        ]
        text = insert_after(text, partial(table_row, label_start=label, n=10), new_lines)
        expected[key].extend(row for row in rows if any(row[c] for c in CELLS[key]))
    return text, expected


@pytest.mark.parametrize("via", ["file", "text"])
def test_rows_11_and_12_are_extracted(
    via, mining_text, mining_expected, api, check_contract, tmp_path
) -> None:
    text, expected = with_rows_11_and_12(mining_text, mining_expected)
    contract = parse_both(api, tmp_path, text, via)
    check_contract(contract, expected, text, f"12 rows via {via}")


def test_rows_11_and_12_survive_other_quirks(mining_text, mining_expected, api, check_contract):
    text, expected = with_rows_11_and_12(mining_text, mining_expected)
    text = with_bom(with_crlf(with_trailing_spaces(with_blank_lines_between_rows(text))))
    check_contract(api.contract_of_text(text), expected, text, "12 rows with quirks")


# --------------------------------------------------------------------------------------------------
# Text the parser cannot place: kept as a warning with its line


STRAY = "Note from the secretariat: figures are provisional"


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(
            lambda ls: index_of(ls, EVENT_HEADER_ROW, after=index_of(ls, PAST)), id="past"
        ),
        pytest.param(lambda ls: sdg_row(ls, 5), id="sdg-matrix"),
    ],
)
def test_unplaceable_text_becomes_a_warning(
    where, mining_text, mining_expected, api, check_contract
) -> None:
    text = insert_after(mining_text, where, [STRAY])
    line = lines_of(text).index(STRAY) + 1
    contract = api.contract_of_text(text)
    check_contract(contract, mining_expected, text, "stray text")
    hits = [w for w in contract["warnings"] if STRAY in (w.get("text") or "")]
    assert hits, f"no warning keeps the stray text; warnings: {contract['warnings']}"
    assert [w["line"] for w in hits] == [line], hits
    assert all(w.get("message") for w in hits), hits


def test_help_lines_are_not_warnings(mining_text, api) -> None:
    """The form's help lines are known form text: neither regions nor unplaced text."""
    contract = api.contract_of_text(mining_text)
    for warning in contract["warnings"]:
        text = warning.get("text") or ""
        assert "e.g.: Lapland" not in text and "If possible, please follow" not in text, warning


# --------------------------------------------------------------------------------------------------
# Mandatory answers left blank: parsed, and listed in missing_mandatory


def _blank_lines_between(text: str, label_start: str, next_start: str) -> str:
    lines = lines_of(text)
    start = index_of(lines, label_start)
    end = index_of(lines, next_start, after=start)
    return text_of([*lines[: start + 1], "", *lines[end:]])


def _blank_period(text, exp):
    exp["reporting_period"] = {"label": None, "start": None, "end": None}
    return replace_line(text, "January - June 2020", ""), "Reporting period"


def _blank_partnership(text, exp):
    exp["partnership"] = None
    return replace_line(text, "Mining industry", ""), "Please select the name of your partnership"


def _blank_start_date(text, exp):
    exp["start_date_text"] = None
    return replace_line(text, "Fall 2019", ""), "Start date of your partnership"


def _blank_summary(text, exp):
    label = "Please provide the executive summary and the objectives of your partnership"
    new = _blank_lines_between(text, "*** Please provide the executive summary", "*** Please")
    return new, label


def _blank_leading(text, exp):
    exp["leading_regions"] = []
    new = replace_line(text, "North Karelia Finland and Lapland, Finland", "")
    return new, "Please provide the list of leading regions"


def _blank_participating(text, exp):
    exp["participating_regions"] = []
    lines = lines_of(text)
    start = lines.index("e.g.: Lapland (FI), FI1D7")
    end = index_of(lines, "Please provide the list of interested", after=start)
    new = text_of([*lines[: start + 1], "", *lines[end:]])
    return new, "Please provide the list of participating regions"


BLANKS = {
    "reporting-period": _blank_period,
    "partnership": _blank_partnership,
    "start-date": _blank_start_date,
    "executive-summary": _blank_summary,
    "leading-regions": _blank_leading,
    "participating-regions": _blank_participating,
}


@pytest.mark.parametrize("blank", sorted(BLANKS))
def test_blank_mandatory_answer_is_reported(
    blank, mining_text, mining_expected, api, check_contract
) -> None:
    expected = copy.deepcopy(mining_expected)
    text, label = BLANKS[blank](mining_text, expected)
    expected["missing_mandatory"] = [label]
    contract = api.contract_of_text(text)
    check_contract(contract, expected, text, f"blank {blank}")


def test_all_blank_mandatory_answers_but_the_period(
    mining_text, mining_expected, api, check_contract
) -> None:
    expected = copy.deepcopy(mining_expected)
    text, labels = mining_text, []
    for name in sorted(BLANKS):
        if name != "reporting-period":
            text, label = BLANKS[name](text, expected)
            labels.append(label)
    expected["missing_mandatory"] = labels
    check_contract(api.contract_of_text(text), expected, text, "all mandatory blank")
