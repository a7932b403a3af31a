"""Judge region mentions of a report against NUTS and the English names of regions.

Pure logic over ``s3graph.model`` objects, a ``NutsIndex`` and ``RegionNames``: no files, no RDF.
The rules are those of the corpus README. Codes are judged against the NUTS version in force
on the first day of the reporting period (NUTS 2016 for 2020, NUTS 2021 from 2021-01-01):

* ``country-code``: ``GR`` (``GB``) written instead of the EU abbreviation ``EL`` (``UK``);
* ``nuts-unknown``: the code is in no NUTS version held (or only in versions *after* the period);
* ``nuts-obsolete``: the code belongs to an older version only; its successor is suggested;
* ``nuts-name-mismatch``: the code exists but the stated name is exactly another region's name;
* ``typo``: the name is a near miss of a name of the coded region (or, with one edit, of another).

A name is *of* a region when it equals, folded (``s3graph.folding.fold_key``), one of its
NUTS labels, Latin labels, English names or aliases, of its code in any version in which it was
the same region (``Hauts-de-France`` for FRE in NUTS 2016) or of a region covering the same
territory (``Estonia`` for EE00). A different but legitimate name is never an issue. The names
and the name verdicts are in :mod:`s3graph.linking.lexicon`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from s3graph.folding import fold_key
from s3graph.linking.lexicon import (
    TYPO_MAX_DISTANCE,
    TYPO_MIN_SIMILARITY,
    Lexicon,
    NameVerdict,
    Near,
    closest_level,
    describe_region,
    judge_name,
    lexicon,
    mention_keys,
    near_rank,
)
from s3graph.model import LeadingRegion, RegionMention, Report, ReportingPeriod
from s3graph.vocab.names import NearIndex, RegionNames, name_variants
from s3graph.vocab.nuts_index import NutsIndex

#: The rules this module reports, as the corpus' ``known_issues`` kinds.
REGION_RULES: tuple[str, ...] = (
    "nuts-unknown",
    "nuts-obsolete",
    "nuts-name-mismatch",
    "country-code",
    "typo",
)
#: Abbreviations written for a country instead of the EU/NUTS one.
COUNTRY_FIXES: dict[str, str] = {"GR": "EL", "GB": "UK"}


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one region mention: a rule broken (``None`` when clean) and what to use."""

    rule: str | None
    message: str
    suggestion: str | None
    resolved_code: str | None
    version: int | None  # the NUTS version judged against (None: no NUTS involved)
    line: int
    #: The mention judged: ("participating" or "leading", its 1-based position in its list).
    member: tuple[str, int] | None = None
    #: Where ``version`` came from: "snapshot" (packaged) or "loaded" (None: no NUTS involved).
    source: str | None = None


# --------------------------------------------------------------------------------------------------
# Judging one mention


@dataclass(frozen=True, slots=True)
class _Finding:
    rule: str
    detail: str
    suggestion: str | None


def _country_findings(mention: RegionMention) -> list[_Finding]:
    stated = (mention.country or "").strip().upper()
    if stated not in COUNTRY_FIXES:
        return []
    fixed = COUNTRY_FIXES[stated]
    detail = (
        f"{stated} used as country abbreviation; the EU/NUTS abbreviation "
        f"{'for Greece ' if fixed == 'EL' else 'for the United Kingdom '}is {fixed}"
    )
    return [_Finding("country-code", detail, fixed)]


def _scope(mention: RegionMention, code: str | None) -> frozenset[str] | None:
    """Countries a stated name is looked up in: the code's and the stated one (None: all)."""
    found = set()
    if code:
        found.add(code[:2])
    if mention.country:
        stated = mention.country.strip().upper()
        found.add(COUNTRY_FIXES.get(stated, stated))
    return frozenset(found) or None


def _name_findings(
    mention: RegionMention, verdict: NameVerdict, lex: Lexicon, code: str
) -> list[_Finding]:
    """Findings about the stated name once the expected region of the code is known."""
    v = lex.version
    if verdict.kind == "other" and verdict.code:
        other = lex.index.region(verdict.code, v)
        named = name_variants(other.label_latin)[-1] if other else verdict.code
        also = "" if fold_key(named) == fold_key(mention.name) else f" ({named})"
        detail = (
            f"in NUTS {v} {code} is {lex.describe(code)}; {mention.name} is {verdict.code}{also}"
        )
        return [_Finding("nuts-name-mismatch", detail, verdict.code)]
    if verdict.kind in ("typo", "typo-other") and verdict.code and verdict.name:
        detail = f"{mention.name!r} looks like a misspelling of {verdict.name} ({verdict.code})"
        found = [_Finding("typo", detail, verdict.name)]
        if verdict.kind == "typo-other":
            detail = f"in NUTS {v} {code} is {lex.describe(code)}; {verdict.name} is {verdict.code}"
            found.append(_Finding("nuts-name-mismatch", detail, verdict.code))
        return found
    return []


def _code_findings(
    mention: RegionMention, code: str, lex: Lexicon, period_label: str
) -> tuple[list[_Finding], str | None]:
    """Findings about a coded mention and the code it resolves to in the version in force."""
    index, v = lex.index, lex.version
    scope = _scope(mention, code)
    keys = mention_keys(mention.name, scope, lex)
    level = len(code) - 2
    if index.region(code, v) is not None:
        verdict = judge_name(lex, keys, (code,), scope, level)
        resolved = verdict.code if verdict.kind == "other" else code
        return _name_findings(mention, verdict, lex, code), resolved
    older = [x for x in index.versions_of(code) if x < v]
    newer = [x for x in index.versions_of(code) if x > v]
    if older:
        successors = index.successors(code, older[-1], v)
        verdict = judge_name(lex, keys, successors, scope, level)
        chosen = verdict.code if verdict.kind in ("exact", "typo") else None
        if chosen is None and len(successors) == 1:
            chosen = successors[0]
        old = index.region(code, older[-1])
        old_text = describe_region(old, ()) if old else code
        became = " / ".join(successors) if successors else "no successor"
        detail = (
            f"{code} is the NUTS {older[-1]} code of {old_text}; in NUTS {v} (in force for "
            f"{period_label}) it is {became}"
        )
        found = [_Finding("nuts-obsolete", detail, chosen)]
        if verdict.kind in ("other", "typo-other", "typo"):
            found += _name_findings(mention, verdict, lex, chosen or code)
        return found, chosen if verdict.kind != "other" else verdict.code
    verdict = judge_name(lex, keys, (), scope, level)
    named = verdict.code if verdict.kind in ("other", "typo-other") else None
    if newer:
        detail = (
            f"{code} is not a NUTS {v} code (in force for {period_label}); "
            f"it first appears in NUTS {newer[0]}"
        )
    else:
        held = f"{index.versions[0]}-{index.versions[-1]}"
        detail = f"{code} does not exist in any NUTS version ({held})"
    if named:
        detail += f"; {mention.name} is {named} in NUTS {v}"
    found = [_Finding("nuts-unknown", detail, named)]
    if verdict.kind == "typo-other" and verdict.name:
        typo = f"{mention.name!r} looks like a misspelling of {verdict.name} ({named})"
        found.append(_Finding("typo", typo, verdict.name))
    return found, named


def _uncoded_findings(mention: RegionMention, lex: Lexicon) -> tuple[list[_Finding], str | None]:
    """A mention without a code: resolve its name, flag a near miss as a typo."""
    scope = _scope(mention, None)
    keys = mention_keys(mention.name, scope, lex)
    for key in keys:
        codes = lex.codes_named(key, scope)
        if codes:
            return [], closest_level(codes, 2)
    hits = [h for k in keys if (h := lex.nearest_in(k, scope)) and h.distance == 1]
    if hits:
        best = max(hits, key=lambda h: h.score)
        detail = f"{mention.name!r} looks like a misspelling of {best.name} ({best.code})"
        return [_Finding("typo", detail, best.name)], best.code
    return [], None


def _normal_code(stated: str | None) -> str | None:
    """The code as NUTS writes it (``es-41`` -> ``ES41``), None for no code."""
    return (stated or "").strip().upper().replace(" ", "").replace("-", "") or None


def _judge_in(mention: RegionMention, lex: Lexicon, period_label: str) -> list[Judgement]:
    code = _normal_code(mention.code)
    findings = _country_findings(mention)
    if code:
        more, resolved = _code_findings(mention, code, lex, period_label)
    else:
        more, resolved = _uncoded_findings(mention, lex)
    findings += more
    line = mention.line
    where = f"line {line}: {mention.raw}"
    if findings:
        return [
            Judgement(f.rule, f"{where}: {f.detail}", f.suggestion, resolved, lex.version, line)
            for f in findings
        ]
    if resolved:
        note = f"{resolved} is {lex.describe(resolved)} in NUTS {lex.version}"
    else:
        note = f"no NUTS {lex.version} region found for {mention.name!r}"
    return [Judgement(None, f"{where}: {note}", None, resolved, lex.version, line)]


def judge_mention(
    mention: RegionMention, period: ReportingPeriod, index: NutsIndex, names: RegionNames
) -> list[Judgement]:
    """Every rule a participating-region mention breaks, or one clean judgement (rule None).

    ``Stereia Ellada (GR) EL24`` in 2020 gets ``country-code``, ``nuts-obsolete`` (EL64) and
    ``typo`` (Sterea Elláda); ``Attica (GR) EL30`` only ``country-code``; ``Andalusia (ES) ES61``
    a single judgement with rule None and ``resolved_code`` ES61.
    """
    version = index.version_in_force(period.start)
    judged = _judge_in(mention, lexicon(index, names, version), period.label)
    return [replace(j, source=index.source(version)) for j in judged]


# --------------------------------------------------------------------------------------------------
# Judging a report


class _Participants:
    """The participating regions of a report by folded name: (name as written, resolved code),
    and an index of those names for the leading regions' near misses."""

    def __init__(self) -> None:
        self.by_key: dict[str, tuple[str, str | None]] = {}
        self.near = NearIndex[tuple[str, str | None]](TYPO_MAX_DISTANCE)

    def add(self, key: str, name: str, code: str | None) -> None:
        if key not in self.by_key:
            self.by_key[key] = (name, code)
            self.near.add(key, (name, code))

    def nearest(self, key: str) -> Near | None:
        """The best near miss among the participants' names (first added wins a tie)."""
        near = [
            Near(code or "", name, distance, 1.0 - distance / max(len(key), len(other)))
            for other, (name, code), distance in self.near.near(key)
            if distance > 0
        ]
        near = [n for n in near if n.score >= TYPO_MIN_SIMILARITY]
        return max(near, key=near_rank) if near else None


def _judge_leading(
    leading: LeadingRegion, lex: Lexicon, participants: _Participants
) -> Judgement | None:
    """A leading region, by name only: resolved, a fuzzy near miss (typo), or nothing."""
    key = fold_key(leading.name)
    where = f"line {leading.line}: leading region {leading.name}"
    codes = lex.codes_named(key, None)
    known = participants.by_key
    if key in known or codes:
        resolved = known[key][1] if key in known else None
        groups = {lex.index.equal_territory(c, lex.version)[0] for c in codes}
        if resolved is None and len(groups) == 1:
            resolved = closest_level(codes, 2)
        note = f"is {resolved}" if resolved else "is a region name of several countries"
        return Judgement(None, f"{where} {note}", None, resolved, lex.version, leading.line)
    hit = participants.nearest(key) or lex.nearest_in(key, None)
    if hit is None:
        return None
    shown = f"{hit.name} ({hit.code})" if hit.code else hit.name
    detail = f"{where}: looks like a misspelling of {shown}"
    return Judgement("typo", detail, hit.name, hit.code or None, lex.version, leading.line)


def judge_report(report: Report, index: NutsIndex, names: RegionNames) -> list[Judgement]:
    """Judgements on the participating regions, then on the leading regions, in source order.

    Without a reporting period the latest NUTS version held is used.
    """
    period = report.reporting_period
    version = report_version(report, index)
    label = period.label if period else "an unknown period"
    lex = lexicon(index, names, version)
    source = index.source(version)
    out: list[Judgement] = []
    participants = _Participants()
    for n, mention in enumerate(report.participating_regions, start=1):
        judged = _judge_in(mention, lex, label)
        out.extend(replace(j, member=("participating", n), source=source) for j in judged)
        participants.add(fold_key(mention.name), mention.name, judged[0].resolved_code)
    for n, leading in enumerate(report.leading_regions, start=1):
        verdict = _judge_leading(leading, lex, participants)
        if verdict is not None:
            out.append(replace(verdict, member=("leading", n), source=source))
    return out


def report_version(report: Report, index: NutsIndex) -> int:
    """The NUTS version a report is judged against: the one in force on the first day of its
    period (the latest held when it states no period)."""
    period = report.reporting_period
    return index.version_in_force(period.start) if period else index.versions[-1]


# --------------------------------------------------------------------------------------------------
# Links to NUTS


def nuts_link(code: str, index: NutsIndex, version: int) -> str | None:
    """The code of NUTS ``version`` a stated code links to, or None.

    The code itself when ``version`` holds it; for an obsolete code (held by older versions
    only) its successor in ``version`` when the change table gives exactly one (``EL24`` ->
    ``EL64`` in NUTS 2016); otherwise nothing: an unknown code (``ES25``), a code of a later
    version only, a region split or discontinued. Successor codes that all cover one territory
    count as one successor, the one at the stated code's level (``FR24`` -> ``FRB0``, whose
    parent ``FRB`` the table also names, in NUTS 2016).
    """
    if index.region(code, version) is not None:
        return code
    older = [v for v in index.versions_of(code) if v < version]
    if not older:
        return None
    successors = index.successors(code, older[-1], version)  # same level first
    if not successors or index.region(successors[0], version) is None:
        return None
    if set(successors) <= set(index.equal_territory(successors[0], version)):
        return successors[0]
    return None


def region_links(report: Report, index: NutsIndex) -> dict[str, str]:
    """Each code stated for a participating region (as the report states it after parsing, the
    key of its region IRI) -> the code of the version in force it links to; codes that link to
    nothing are left out."""
    version = report_version(report, index)
    links: dict[str, str] = {}
    for mention in report.participating_regions:
        code = _normal_code(mention.code)
        if mention.code is None or code is None or mention.code in links:
            continue
        target = nuts_link(code, index, version)
        if target is not None:
            links[mention.code] = target
    return links


# --------------------------------------------------------------------------------------------------
# Names and members of the region resources


def nuts_name(code: str, index: NutsIndex) -> str | None:
    """The official name of a stated code: its Latin-script NUTS label (NUTS gives no English)
    in the newest version held that has the code; None for a code of no version.

    It depends on the code and the reference data only, never on a report, so every report
    that states the code gives its region resource the same one name.
    """
    code = _normal_code(code) or code
    held = index.versions_of(code)
    found = index.region(code, held[-1]) if held else None
    return found.label_latin if found is not None else None


def resolved_by_member(judgements: Iterable[Judgement], role: str) -> dict[int, str]:
    """The code each judged mention of ``role`` was resolved to, by its 1-based position."""
    codes: dict[int, str] = {}
    for j in judgements:
        if j.member is not None and j.member[0] == role and j.resolved_code:
            codes.setdefault(j.member[1], j.resolved_code)
    return codes


def member_codes(report: Report, judgements: Sequence[Judgement]) -> dict[tuple[str, int], str]:
    """The region resource (by its code key) each mention stated without a code stands for.

    A participating region stated by name only, or a leading region (always by name), that the
    judging resolved to a NUTS code is the region of that code: the resource of the participant
    stating that code when there is one (its key as stated), else the code's own. A name resolved
    to nothing is left out: it stays a region of its own, known by name.
    """
    stated: dict[str, str] = {}
    for mention in report.participating_regions:
        if mention.code is not None:
            stated.setdefault(_normal_code(mention.code) or "", mention.code)
    found: dict[tuple[str, int], str] = {}
    participating = resolved_by_member(judgements, "participating")
    for n, mention in enumerate(report.participating_regions, start=1):
        if mention.code is None and n in participating:
            found["participating", n] = stated.get(participating[n], participating[n])
    for n, code in resolved_by_member(judgements, "leading").items():
        found["leading", n] = stated.get(code, code)
    return found
