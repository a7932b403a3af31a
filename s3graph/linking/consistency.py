"""Whether a report's region lists agree with themselves: codes given, no repeats, leaders listed.

These judgements need no reference data beyond the region judgements already made (their
resolved codes, when a NUTS classification was at hand); without them, stated codes and names
are compared. They are :class:`~s3graph.linking.regions.Judgement` objects like the NUTS ones,
so they are stored, validated and reported the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from s3graph.folding import fold_key
from s3graph.linking.regions import Judgement, resolved_by_member
from s3graph.model import Report


def consistency_judgements(report: Report, judgements: Sequence[Judgement]) -> list[Judgement]:
    """``region-without-code``, ``duplicate-region`` and ``leading-not-participating``."""
    out: list[Judgement] = []
    resolved = resolved_by_member(judgements, "participating")
    seen: dict[tuple[str, str], int] = {}
    codes: set[str] = set()
    names: set[str] = set()
    for n, mention in enumerate(report.participating_regions, start=1):
        where = f"line {mention.line}: {mention.raw}"
        code = resolved.get(n) or mention.code
        if mention.code is None:
            message = f"{where}: no NUTS code is given for this region"
            out.append(_judgement("region-without-code", message, None, mention.line, n))
        key = (code or "", fold_key(mention.name))
        if key in seen:
            message = f"{where}: repeats line {seen[key]}"
            out.append(_judgement("duplicate-region", message, None, mention.line, n))
        seen.setdefault(key, mention.line)
        codes.update(c for c in (code, mention.code) if c)
        names.add(fold_key(mention.name))
    leading_codes = resolved_by_member(judgements, "leading")
    for n, leading in enumerate(report.leading_regions, start=1):
        if leading_codes.get(n) in codes or fold_key(leading.name) in names:
            continue
        message = (
            f'line {leading.line}: the leading region "{leading.name}" is not among the '
            "participating regions"
        )
        suggestion = f"list {leading.name} among the participating regions, with its NUTS code"
        out.append(_judgement("leading-not-participating", message, suggestion, leading.line, n))
    return out


def _judgement(rule: str, message: str, suggestion: str | None, line: int, n: int) -> Judgement:
    role = "leading" if rule == "leading-not-participating" else "participating"
    return Judgement(rule, message, suggestion, None, None, line, (role, n))
