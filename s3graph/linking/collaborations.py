"""Cross-partnership collaborations: which *other* S3 partnerships does a report mention?

Every free-text answer and every table cell of a report is scanned for the labels of the
registry's partnerships (:mod:`s3graph.vocab.registry`). How strong the evidence must be depends
on the label:

* a label with an acronym (``AI & HMI``, ``3DP``, ``T&BD``) counts as written (acronyms are
  matched case-sensitively);
* a one-word label (``Chemicals``, ``Sport``, ``Water``, ``Textile``, ``Hydrogen``) is a common
  word: it counts only next to ``S3P`` / ``S3 partnership`` (any case), or next to
  ``partnership`` when capitalised (``the Chemicals partnership``, ``partnership on Sport``);
* a label of several words counts next to those words in any case (``the Mining industry
  partnership``), or when written as a proper name: first word capitalised and either not at the
  start of a sentence, line or cell, or with at least two capitalised words (``collaboration with
  Advanced materials for batteries``, ``Traceability & Big Data``; not ``mining industry`` nor
  ``Smart grids are...`` at the start of a sentence).

Spelling variants are tolerated: case (as above), accents, ``&``/``and``, hyphens, slashes and
spaces between words, singular/plural of each word. Labels match whole words only (``Sport`` never
matches ``transport``). A match inside the name of a body that is not a partnership (``European
Clean Hydrogen Alliance``, ``Smart Grids Task Force``) or of a platform is dropped, and the
report's own partnership is never listed.

The context words before a label are read within 64 characters of it (:data:`CONTEXT_BEFORE`),
so that a text holding a label thousands of times is read a bounded number of times per label.

Source lines: a table row knows its line, and the parser records the line of every line of an
answer's text (``Answer.text_lines``), so the evidence always points at the line to read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from s3graph.folding import fold_same_length
from s3graph.model import Answer, Event, Report, WorkingArea
from s3graph.vocab.registry import PartnershipEntry, Registry, slugify

#: Answers that are never searched: they hold the report's metadata, not prose.
SKIPPED_ANSWERS: frozenset[str] = frozenset(
    {"partnership", "reporting_period", "start_date", "webpage"}
)
#: Answers holding tables, which are searched row by row and cell by cell instead.
TABLE_ANSWERS: frozenset[str] = frozenset({"working_areas", "past_events", "planned_events", "sdg"})


@dataclass(frozen=True)
class Mention:
    """Evidence that a report mentions another partnership.

    ``text`` is the sentence (free text) or the cell (tables) quoted as evidence, ``section`` the
    answer key or the table row (``"past_events row 3"``), ``line`` the 1-based source line of the
    evidence, ``matched`` the words as written in the report.
    """

    partnership: PartnershipEntry
    text: str
    section: str
    line: int
    matched: str = ""


@dataclass(frozen=True)
class TextMatch:
    """One partnership label found in a text: the entry, where, and the words as written."""

    partnership: PartnershipEntry
    start: int
    end: int
    matched: str


# --------------------------------------------------------------------------------------------------
# Public functions


def find_collaborations(report: Report, registry: Registry) -> list[Mention]:
    """Every mention of another partnership in ``report``: free-text answers, then table rows.

    One mention is kept per partnership, section and line.
    """
    own = registry.lookup(report.partnership)
    # A partnership the registry does not know is still never listed as its own collaborator.
    own_slug = own.slug if own is not None else slugify(report.partnership or "")
    matcher = _matcher_for(registry)
    mentions: list[Mention] = []
    seen: set[tuple[str, str, int]] = set()
    for segment in _segments(report):
        for match in matcher.find(segment.text):
            if match.partnership.slug == own_slug:
                continue
            key = (match.partnership.slug, segment.section, segment.line)
            if key in seen:
                continue
            seen.add(key)
            evidence = _sentence(segment.text, match.start) if segment.prose else segment.text
            mentions.append(
                Mention(match.partnership, evidence, segment.section, segment.line, match.matched)
            )
    return mentions


def collaboration_names(mentions: Iterable[Mention]) -> list[str]:
    """The canonical names of the mentioned partnerships, de-duplicated and sorted."""
    return sorted({m.partnership.name for m in mentions})


def find_in_text(text: str, registry: Registry) -> list[TextMatch]:
    """The partnership labels in one piece of text (a sentence, a line or a table cell).

    The rules of the module docstring apply, with the text's start taken as a sentence start.
    Nothing is excluded for being the report's own partnership.
    """
    return _matcher_for(registry).find(text)


# --------------------------------------------------------------------------------------------------
# Labels to patterns


class _Mode(Enum):
    ACRONYM = "acronym"  # counts as written
    CONTEXT = "context"  # one common word: needs "partnership" / "S3P" around it
    PROPER = "proper"  # several words: context, or written as a proper name


#: Words that do not count when deciding whether a label is written as a proper name.
_MINOR_WORDS = frozenset({"and", "for", "through", "in", "of", "the", "on", "to", "4"})

_LABEL_LEAD = re.compile(
    r"^(?:the\s+)?(?:S3P\s+|S3\s+(?:thematic\s+)?partnership\s+(?:on\s+|for\s+)?)", re.IGNORECASE
)
_LABEL_TRAIL = re.compile(r"\s+(?:S3\s+)?(?:thematic\s+)?(?:partnership|S3P)$", re.IGNORECASE)

_SEP = r"(?:\s*[-/]\s*|\s+)"
_CONJ = r"(?:\s*&\s*|\s+and\s+)"

_STRONG_BEFORE = re.compile(
    r"(?:\bS3P|\bS3\s+(?:thematic\s+)?partnership(?:\s+(?:on|for|in))?"
    r"|\bthematic\s+partnership\s+(?:on|for|in))[\s:\-]+(?:the\s+)?$",
    re.IGNORECASE,
)
_WEAK_BEFORE = re.compile(r"\bpartnership\s+(?:on|for)\s+(?:the\s+)?$", re.IGNORECASE)
_STRONG_AFTER = re.compile(
    r"\s*+(?:\(\s*+)?(?:S3P\b|S3\s++(?:thematic\s++)?partnerships?\b|thematic\s++partnerships?\b)",
    re.IGNORECASE,
)
_WEAK_AFTER = re.compile(r"\s*+(?:-\s*+)?partnerships?\b", re.IGNORECASE)
#: How far before a label its context words are looked for ("S3 thematic partnership on the").
CONTEXT_BEFORE = 64
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\-\u2022])")


def _is_acronym(token: str) -> bool:
    return not any(c.islower() for c in token) and any(c.isupper() for c in token)


def _word_pattern(token: str) -> str:
    """A word of a label, case-sensitive if it is an acronym, in the singular or the plural."""
    if _is_acronym(token):
        return f"(?-i:{re.escape(token)})"
    word = token.lower()
    if not word.isalpha() or len(word) <= 3:
        return re.escape(word)
    if word.endswith("ies"):
        return re.escape(word[:-3]) + "(?:y|ies)"
    if word.endswith("y"):
        return re.escape(word[:-1]) + "(?:y|ies)"
    if word.endswith("s") and not word.endswith("ss"):
        return re.escape(word[:-1]) + "s?"
    return re.escape(word) + "s?"


def _label_pattern(label: str) -> tuple[str, _Mode] | None:
    """The regular expression of a label (context words stripped) and how it must be matched."""
    core = _LABEL_TRAIL.sub("", _LABEL_LEAD.sub("", fold_same_length(label).strip()))
    tokens = re.findall(r"[A-Za-z0-9]+|&", core)
    words = [t for t in tokens if t != "&" and t.lower() != "and"]
    if not words:
        return None
    parts: list[str] = []
    for i, token in enumerate(tokens):
        if token == "&" or token.lower() == "and":
            if parts and i + 1 < len(tokens):
                parts.append(_CONJ)
            continue
        if parts and parts[-1] != _CONJ:
            parts.append(_SEP)
        parts.append(_word_pattern(token))
    body = "".join(parts)
    if any(_is_acronym(t) and sum(c.isupper() for c in t) >= 2 for t in words):
        mode = _Mode.ACRONYM
    elif len(words) == 1:
        mode = _Mode.CONTEXT
    else:
        mode = _Mode.PROPER
    return rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", mode


@dataclass(frozen=True)
class _Label:
    entry: PartnershipEntry
    regex: re.Pattern[str]
    mode: _Mode


#: The words of a text as the labels' first words are keyed (dotless i read as i).
_WORD = re.compile(r"[A-Za-z0-9\u0131]+")


def _first_word_forms(label: str) -> set[str]:
    """The lower-case forms the first word of a label can take in a text (singular, plural)."""
    core = _LABEL_TRAIL.sub("", _LABEL_LEAD.sub("", fold_same_length(label).strip()))
    words = [t for t in re.findall(r"[A-Za-z0-9]+", core) if t.lower() != "and"]
    if not words:
        return set()
    word = words[0].lower()
    stem = word[:-3] if word.endswith("ies") else word[:-1] if word.endswith(("y", "s")) else word
    return {word, word + "s", stem, stem + "s", stem + "y", stem + "ies"}


class _Matcher:
    """The compiled labels of a registry: partnerships to find, other bodies to block.

    Each label is tried only on texts that hold one of the forms of its first word (a set
    look-up per word of the text), so a text costs one pass whatever the number of labels.
    """

    def __init__(self, registry: Registry) -> None:
        by_word: dict[str, list[int]] = {}
        labels: list[_Label] = []
        for entry in registry.entries:
            for label in dict.fromkeys(entry.labels):
                built = _label_pattern(label)
                if built is not None:
                    for form in _first_word_forms(label):
                        by_word.setdefault(form, []).append(len(labels))
                    labels.append(_Label(entry, re.compile(built[0], re.IGNORECASE), built[1]))
        self.labels = tuple(labels)
        self._by_word = by_word
        blockers = []
        self._blocker_words: set[str] = set()
        for label in registry.other_labels():
            built = _label_pattern(label)
            if built is not None:
                blockers.append(built[0])
                self._blocker_words |= _first_word_forms(label)
        self.blocker = re.compile("|".join(blockers), re.IGNORECASE) if blockers else None

    def find(self, text: str) -> list[TextMatch]:
        folded = fold_same_length(text)
        words = {w.lower().replace("\u0131", "i") for w in _WORD.findall(folded)}
        tried = sorted({i for w in words for i in self._by_word.get(w, ())})
        if not tried:
            return []
        blocked: list[tuple[int, int]] = []
        if self.blocker is not None and not words.isdisjoint(self._blocker_words):
            blocked = [(m.start(), m.end()) for m in self.blocker.finditer(folded)]
        starts = [b0 for b0, _ in blocked]
        found: list[TextMatch] = []
        for label in (self.labels[i] for i in tried):
            for m in label.regex.finditer(folded):
                start, end = m.start(), m.end()
                inside = bisect_right(starts, start) - 1  # blocked spans do not overlap
                if inside >= 0 and end <= blocked[inside][1]:
                    continue
                if _accepted(label.mode, folded, start, end):
                    found.append(TextMatch(label.entry, start, end, text[start:end]))
        return sorted(_outermost(found), key=lambda t: (t.start, t.partnership.slug))


def _outermost(found: list[TextMatch]) -> list[TextMatch]:
    """The matches not inside another one (the longest wins: "Advanced Materials for
    Batteries" hides "Batteries" in it; of two equal spans the one found first)."""
    order = sorted(range(len(found)), key=lambda i: (found[i].start, -found[i].end, i))
    kept, reach = [], -1
    for i in order:
        if found[i].end > reach:
            kept.append(found[i])
            reach = found[i].end
    return kept


def _accepted(mode: _Mode, text: str, start: int, end: int) -> bool:
    """Whether a label found at ``text[start:end]`` is strong enough evidence (see module doc).

    The words before it are read within :data:`CONTEXT_BEFORE` characters, the words after it
    from where it ends: no pattern reads the whole text for each label found.
    """
    if mode is _Mode.ACRONYM:
        return True
    window, words = max(0, start - CONTEXT_BEFORE), text[start:end]
    if _STRONG_BEFORE.search(text, window, start) or _STRONG_AFTER.match(text, end):
        return True
    weak = bool(_WEAK_BEFORE.search(text, window, start) or _WEAK_AFTER.match(text, end))
    capital = words[:1].isupper()
    if mode is _Mode.CONTEXT:
        return weak and capital
    if weak:
        return True
    if not capital:
        return False
    significant = [w for w in re.findall(r"[A-Za-z0-9]+", words) if w.lower() not in _MINOR_WORDS]
    if sum(w[:1].isupper() for w in significant) >= 2:
        return True
    return not _at_sentence_start(text, start)


_OPENERS = "\"'(["
_BULLETS = "-*\u2022"


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether only white space, an opening quote or bracket and a bullet (``-``, ``*``, ``•``,
    ``1.``, ``2)``) stand between ``start`` and the text's start or a ``.!?:;``.

    Read backwards from ``start``, each character once.
    """
    i = _skip_space_back(text, start)
    if i > 0 and text[i - 1] in _OPENERS:
        i = _skip_space_back(text, i - 1)
    if i > 0 and text[i - 1] in _BULLETS:
        i = _skip_space_back(text, i - 1)
    elif i > 1 and text[i - 1] == ")" and text[i - 2].isdecimal():
        i -= 1
        while i > 0 and text[i - 1].isdecimal():
            i -= 1
        i = _skip_space_back(text, i)
    elif i > 1 and text[i - 1] == "." and text[i - 2].isdecimal():
        return True  # "1." ends like a sentence: a "." is before the label either way
    return i == 0 or text[i - 1] in ".!?:;"


def _skip_space_back(text: str, i: int) -> int:
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


@lru_cache(maxsize=8)
def _matcher_for(registry: Registry) -> _Matcher:
    return _Matcher(registry)


# --------------------------------------------------------------------------------------------------
# The report's text, as segments with their source lines


@dataclass(frozen=True)
class _Segment:
    text: str
    section: str
    line: int
    prose: bool  # free text (quote a sentence) or a table cell (quote the cell)


def _segments(report: Report) -> Iterator[_Segment]:
    for answer in report.answers:
        if answer.key in SKIPPED_ANSWERS or answer.key in TABLE_ANSWERS or not answer.text:
            continue
        for text, line in _answer_lines(answer):
            yield _Segment(text, answer.key, line, prose=True)
    for area in report.working_areas:
        yield from _row_cells(area, "working_areas")
    for event in report.past_events:
        yield from _row_cells(event, "past_events")
    for event in report.planned_events:
        yield from _row_cells(event, "planned_events")


def _row_cells(row: WorkingArea | Event, table: str) -> Iterator[_Segment]:
    if isinstance(row, WorkingArea):
        cells = (row.area, row.region_in_charge, row.involved_regions, row.other_actors)
    else:
        cells = (row.event, row.date_text, row.place, row.info)
    for cell in cells:
        if cell and cell.strip():
            yield _Segment(cell.strip(), f"{table} row {row.n}", row.line, prose=False)


def _answer_lines(answer: Answer) -> Iterator[tuple[str, int]]:
    """The non-blank lines of an answer with their source line numbers.

    The parser records each line's number (``Answer.text_lines``); for an answer built without
    them the number is counted from the answer's first line.
    """
    assert answer.text is not None
    lines = [text for text in answer.text.split("\n") if text.strip()]
    if len(answer.text_lines) == len(lines):
        yield from zip(lines, answer.text_lines, strict=True)
        return
    first = answer.answer_line or answer.line
    for offset, text in enumerate(answer.text.split("\n")):
        if text.strip():
            yield text, first + offset


def _sentence(text: str, position: int) -> str:
    """The sentence of ``text`` that holds ``position``."""
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.start() > position:
            return text[start : boundary.start()].strip()
        start = boundary.end()
    return text[start:].strip()
