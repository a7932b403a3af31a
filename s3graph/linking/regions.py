"""Judge region mentions of a report against NUTS and the English names of regions.

Pure logic over ``s3graph.model`` objects, a ``NutsIndex`` and ``RegionNames``: no files, no RDF.
The rules are those of the corpus README. Codes are judged against the NUTS version in force
on the first day of the reporting period (NUTS 2016 for 2020, NUTS 2021 from 2021-01-01):

* ``country-code``: ``GR`` (``GB``) written instead of the EU abbreviation ``EL`` (``UK``);
* ``nuts-unknown``: the code is in no NUTS version held (or only in versions *after* the period);
* ``nuts-obsolete``: the code belongs to an older version only; its successor is suggested;
* ``nuts-name-mismatch``: the code exists but the stated name is exactly another region's name;
* ``typo``: the name is a near miss of a name of the coded region (or, with one edit, of another).

A name is *of* a region when it equals, folded (``s3graph.vocab.names.fold_name``), one of its
NUTS labels, Latin labels, English names or aliases, of its code in any version in which it was
the same region (``Hauts-de-France`` for FRE in NUTS 2016) or of a region covering the same
territory (``Estonia`` for EE00). A different but legitimate name is never an issue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from s3graph.model import LeadingRegion, RegionMention, Report, ReportingPeriod
from s3graph.vocab.names import RegionNames, fold_name, name_variants, osa_distance, similarity
from s3graph.vocab.nuts_index import NutsIndex, NutsRegion

#: The rules this module reports, as the corpus' ``known_issues`` kinds.
REGION_RULES: tuple[str, ...] = (
    "nuts-unknown",
    "nuts-obsolete",
    "nuts-name-mismatch",
    "country-code",
    "typo",
)
#: A name is a typo of another when at most this many edits apart ...
TYPO_MAX_DISTANCE = 2
#: ... and at least this similar (1 - edits / longer length). Corpus typos score 0.89-0.94;
#: legitimate variants missing from the names file (Małopolska/Małopolskie 0.82, Tirol/Tyrol 0.80)
#: stay below.
TYPO_MIN_SIMILARITY = 0.85
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


# --------------------------------------------------------------------------------------------------
# The names of the regions of one version


@dataclass(frozen=True, slots=True)
class _Near:
    """A fuzzy hit: the region, the name as written in the vocabulary, its edit distance."""

    code: str
    name: str
    distance: int
    score: float


class _Lexicon:
    """Every name of every region of one NUTS version, both ways (code -> names, name -> codes)."""

    def __init__(self, index: NutsIndex, names: RegionNames, version: int):
        self.index = index
        self.version = version
        own = {r.code: _own_names(index, names, r, version) for r in index.regions(version)}
        self._names: dict[str, tuple[str, ...]] = {}
        self._by_name: dict[str, set[str]] = defaultdict(set)
        for code in own:
            merged: list[str] = []
            for member in index.equal_territory(code, version):
                merged.extend(n for n in own.get(member, ()) if n not in merged)
            self._names[code] = tuple(merged)
            for name in merged:
                self._by_name[fold_name(name)].add(code)
        self._folded = {c: frozenset(fold_name(n) for n in ns) for c, ns in self._names.items()}

    def names_of(self, code: str) -> tuple[str, ...]:
        """Names of a region (labels first, then English names and aliases)."""
        return self._names.get(code, ())

    def has_name(self, code: str, folded: str) -> bool:
        return folded in self._folded.get(code, frozenset())

    def codes_named(self, folded: str, countries: frozenset[str] | None) -> list[str]:
        """Codes with this folded name, in the given countries (all when None)."""
        codes = self._by_name.get(folded, set())
        return sorted(c for c in codes if countries is None or c[:2] in countries)

    def nearest(self, folded: str, codes: list[str]) -> _Near | None:
        """The closest name of these regions within the typo thresholds, or None."""
        best: _Near | None = None
        for code in codes:
            for name in self._names.get(code, ()):
                other = fold_name(name)
                if abs(len(other) - len(folded)) > TYPO_MAX_DISTANCE:
                    continue
                distance = osa_distance(folded, other)
                score = similarity(folded, other)
                if 0 < distance <= TYPO_MAX_DISTANCE and score >= TYPO_MIN_SIMILARITY:
                    hit = _Near(code, name, distance, score)
                    if best is None or _near_rank(hit) > _near_rank(best):
                        best = hit
        return best

    def codes_in(self, countries: frozenset[str] | None) -> list[str]:
        return sorted(c for c in self._names if countries is None or c[:2] in countries)

    def describe(self, code: str) -> str:
        """``Pohjois-Karjala (North Karelia)``: Latin label plus the first other-looking name."""
        region = self.index.region(code, self.version)
        if region is None:
            return code
        return describe_region(region, self.names_of(code))


def _own_names(index: NutsIndex, names: RegionNames, region: NutsRegion, version: int) -> list[str]:
    """Names of one code: its labels and English names in every version it was this region."""
    out: list[str] = []
    versions = [version] + [
        v
        for v in index.versions_of(region.code)
        if v != version and index.same_region(region.code, v, region.code, version)
    ]
    for v in versions:
        other = index.region(region.code, v)
        texts = [other.label, other.label_latin] if other else []
        for text in [*texts, *names.english_names(region.code, v)]:
            out.extend(n for n in name_variants(text) if n not in out)
    return out


def _near_rank(hit: _Near) -> tuple[float, bool, int]:
    """Best score first; among equals a mixed-case name (not a capitals label), a short code."""
    return (hit.score, not hit.name.isupper(), -len(hit.code))


def _readable(text: str, names: tuple[str, ...]) -> str:
    """``VLAAMS GEWEST`` -> ``Vlaams Gewest`` when another version writes it in mixed case."""
    if not text.isupper():
        return text
    key = fold_name(text)
    return next((n for n in names if not n.isupper() and fold_name(n) == key), text)


def describe_region(region: NutsRegion, names: tuple[str, ...]) -> str:
    """The Latin label, with an English name in brackets when one reads differently.

    ``Pohjois-Karjala (North Karelia)``, ``Vlaams Gewest (Flanders)``, ``Emilia-Romagna``.
    """
    label = _readable(name_variants(region.label_latin or region.label)[-1], names)
    shown = {
        fold_name(v) for text in (region.label, region.label_latin) for v in name_variants(text)
    }
    for name in names:
        if all(fold_name(v) not in shown for v in name_variants(name)):
            return f"{label} ({name})"
    return label


@lru_cache(maxsize=16)
def _lexicon(index: NutsIndex, names: RegionNames, version: int) -> _Lexicon:
    return _Lexicon(index, names, version)


# --------------------------------------------------------------------------------------------------
# Name verdicts


@dataclass(frozen=True, slots=True)
class _NameVerdict:
    """How a stated name relates to the expected region(s): ``kind`` and the region concerned."""

    kind: str  # exact | other | typo | typo-other | unknown
    code: str | None = None
    name: str | None = None


def _mention_keys(name: str, countries: frozenset[str] | None, lex: _Lexicon) -> list[str]:
    """Folded forms of a stated name: as written, and without a leading/trailing country name."""
    folded = fold_name(name)
    keys = [folded] if folded else []
    for country in sorted(countries or ()):
        for cname in {fold_name(n) for n in lex.names_of(country)}:
            for stripped in (folded.removesuffix(" " + cname), folded.removeprefix(cname + " ")):
                if stripped and stripped != folded and stripped not in keys:
                    keys.append(stripped)
    return keys


def _closest_level(codes: list[str], level: int) -> str:
    """The code whose level is nearest to ``level`` (then the shortest, then alphabetical)."""
    return min(codes, key=lambda c: (abs(len(c) - 2 - level), len(c), c))


def _judge_name(
    lex: _Lexicon,
    keys: list[str],
    targets: tuple[str, ...],
    countries: frozenset[str] | None,
    level: int,
) -> _NameVerdict:
    """Compare a stated name with the expected regions, then with the other regions in scope."""
    for key in keys:
        for target in targets:
            if lex.has_name(target, key):
                return _NameVerdict("exact", target)
    near_targets = {m for t in targets for m in lex.index.equal_territory(t, lex.version)}
    for key in keys:
        others = [c for c in lex.codes_named(key, countries) if c not in near_targets]
        if others:
            return _NameVerdict("other", _closest_level(others, level))
    hits = [h for k in keys if (h := lex.nearest(k, list(targets)))]
    if hits:
        best = max(hits, key=lambda h: h.score)
        return _NameVerdict("typo", best.code, best.name)
    candidates = [c for c in lex.codes_in(countries) if c not in near_targets]
    hits = [h for k in keys if (h := lex.nearest(k, candidates)) and h.distance == 1]
    if hits:
        best = max(hits, key=lambda h: (h.score, -abs(len(h.code) - 2 - level)))
        return _NameVerdict("typo-other", best.code, best.name)
    return _NameVerdict("unknown")


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
    mention: RegionMention, verdict: _NameVerdict, lex: _Lexicon, code: str
) -> list[_Finding]:
    """Findings about the stated name once the expected region of the code is known."""
    v = lex.version
    if verdict.kind == "other" and verdict.code:
        other = lex.index.region(verdict.code, v)
        named = name_variants(other.label_latin)[-1] if other else verdict.code
        also = "" if fold_name(named) == fold_name(mention.name) else f" ({named})"
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
    mention: RegionMention, code: str, lex: _Lexicon, period_label: str
) -> tuple[list[_Finding], str | None]:
    """Findings about a coded mention and the code it resolves to in the version in force."""
    index, v = lex.index, lex.version
    scope = _scope(mention, code)
    keys = _mention_keys(mention.name, scope, lex)
    level = len(code) - 2
    if index.region(code, v) is not None:
        verdict = _judge_name(lex, keys, (code,), scope, level)
        resolved = verdict.code if verdict.kind == "other" else code
        return _name_findings(mention, verdict, lex, code), resolved
    older = [x for x in index.versions_of(code) if x < v]
    newer = [x for x in index.versions_of(code) if x > v]
    if older:
        successors = index.successors(code, older[-1], v)
        verdict = _judge_name(lex, keys, successors, scope, level)
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
    verdict = _judge_name(lex, keys, (), scope, level)
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


def _uncoded_findings(mention: RegionMention, lex: _Lexicon) -> tuple[list[_Finding], str | None]:
    """A mention without a code: resolve its name, flag a near miss as a typo."""
    scope = _scope(mention, None)
    keys = _mention_keys(mention.name, scope, lex)
    for key in keys:
        codes = lex.codes_named(key, scope)
        if codes:
            return [], _closest_level(codes, 2)
    hits = [h for k in keys if (h := lex.nearest(k, lex.codes_in(scope))) and h.distance == 1]
    if hits:
        best = max(hits, key=lambda h: h.score)
        detail = f"{mention.name!r} looks like a misspelling of {best.name} ({best.code})"
        return [_Finding("typo", detail, best.name)], best.code
    return [], None


def _judge_in(mention: RegionMention, lex: _Lexicon, period_label: str) -> list[Judgement]:
    code = (mention.code or "").strip().upper().replace(" ", "").replace("-", "") or None
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
    return _judge_in(mention, _lexicon(index, names, version), period.label)


# --------------------------------------------------------------------------------------------------
# Judging a report


def _judge_leading(
    leading: LeadingRegion, lex: _Lexicon, participants: dict[str, tuple[str, str | None]]
) -> Judgement | None:
    """A leading region, by name only: resolved, a fuzzy near miss (typo), or nothing.

    ``participants`` maps the folded names of the participating regions to (name, resolved code).
    """
    key = fold_name(leading.name)
    where = f"line {leading.line}: leading region {leading.name}"
    codes = lex.codes_named(key, None)
    if key in participants or codes:
        resolved = participants[key][1] if key in participants else None
        groups = {lex.index.equal_territory(c, lex.version)[0] for c in codes}
        if resolved is None and len(groups) == 1:
            resolved = _closest_level(codes, 2)
        note = f"is {resolved}" if resolved else "is a region name of several countries"
        return Judgement(None, f"{where} {note}", None, resolved, lex.version, leading.line)
    near = [
        _Near(code or "", name, osa_distance(key, k), similarity(key, k))
        for k, (name, code) in participants.items()
        if 0 < osa_distance(key, k) <= TYPO_MAX_DISTANCE
        and similarity(key, k) >= TYPO_MIN_SIMILARITY
    ]
    hit = max(near, key=_near_rank) if near else lex.nearest(key, lex.codes_in(None))
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
    version = index.version_in_force(period.start) if period else index.versions[-1]
    label = period.label if period else "an unknown period"
    lex = _lexicon(index, names, version)
    out: list[Judgement] = []
    participants: dict[str, tuple[str, str | None]] = {}
    for n, mention in enumerate(report.participating_regions, start=1):
        judged = _judge_in(mention, lex, label)
        out.extend(replace(j, member=("participating", n)) for j in judged)
        participants.setdefault(fold_name(mention.name), (mention.name, judged[0].resolved_code))
    for n, leading in enumerate(report.leading_regions, start=1):
        verdict = _judge_leading(leading, lex, participants)
        if verdict is not None:
            out.append(replace(verdict, member=("leading", n)))
    return out
