"""Validation problems as people and programs read them: located, named by rule, with a fix."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import groupby

#: Severities from the most to the least serious (the local names of sh:Violation, ...).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation result of one report.

    ``line`` is the line of the report's text to look at (``None`` when the problem has no
    place in it), ``rule`` the rule's stable id (``missing-mandatory``, ``nuts-obsolete``, ...),
    ``severity`` one of :data:`SEVERITIES`, ``focus``/``path``/``value`` what SHACL reported,
    ``message`` what is wrong and ``suggestion`` how to fix it (when known).
    """

    file: str
    line: int | None
    rule: str
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    suggestion: str | None

    @property
    def rank(self) -> tuple[str, int, int, str, str, str]:
        """The order problems are listed in: by file, line, severity, rule."""
        return (
            self.file,
            self.line if self.line is not None else 0,
            SEVERITIES.index(self.severity),
            self.rule,
            self.focus,
            self.value or "",
        )


def counted(count: int, noun: str) -> str:
    """``1 warning``, ``2 warnings``: a count with its noun in the right number."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def located_message(problem: Problem) -> str:
    """The message without its own ``line N: `` lead when the line is shown beside it anyway.

    The judges write the line into the message (it is read alone in the graph); where the
    output already says ``FILE:LINE:`` or ``line N`` the repeat is dropped.
    """
    lead = f"line {problem.line}: "
    if problem.line is not None and problem.message.startswith(lead):
        return problem.message[len(lead) :]
    return problem.message


def is_violation(problem: Problem) -> bool:
    return problem.severity == "Violation"


def format_text(problems: Iterable[Problem]) -> str:
    """Grouped by file; one line per problem: ``LINE  severity  rule  message (value) -> fix``."""
    out: list[str] = []
    ordered = sorted(problems, key=lambda p: p.rank)
    for file, group in groupby(ordered, key=lambda p: p.file):
        out.append(f"{file}:")
        for p in group:
            where = f"line {p.line}" if p.line is not None else "-"
            shown = p.value and p.value != p.rule and not p.value.startswith("http")
            value = f" [{p.value}]" if shown else ""
            fix = f" -> {p.suggestion}" if p.suggestion else ""
            message = located_message(p)
            out.append(f"  {where:>9}  {p.severity:<9} {p.rule:<26} {message}{value}{fix}")
    return "\n".join(out) + ("\n" if out else "")


def format_json(problems: Sequence[Problem]) -> str:
    """A JSON list of objects with the fields of :class:`Problem`."""
    ordered = sorted(problems, key=lambda p: p.rank)
    return json.dumps([asdict(p) for p in ordered], ensure_ascii=False, indent=2) + "\n"


def summary(problems: Sequence[Problem]) -> str:
    """``N problems: V violations, W warnings, I infos`` (each noun in the right number)."""
    counts = {s: sum(1 for p in problems if p.severity == s) for s in SEVERITIES}
    parts = ", ".join(counted(counts[s], s.lower()) for s in SEVERITIES)
    return f"{counted(len(problems), 'problem')}: {parts}"
