"""The data of the cross-partnership page (``/cross``): who mentions whom, with the evidence,
and the regions several partnerships share, each section the rows of the named query behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from s3graph.api.views import S3G, Row, rows, synthetic
from s3graph.sparql import Queryable


def cross(store: Queryable, *, base: str) -> dict[str, Any]:
    """The cross-partnership view: each section the rows of the named query that answers it.

    ``collaborations`` (every mention, with its evidence) grouped into ``pairs`` (who mentions
    whom); ``partners``, every partnership drawn: those with reports (``partnerships``) and those
    only mentioned (``reported`` False), each beside the first that mentions it. ``regions`` are
    the rows of ``most-shared-regions``; ``shared`` those of ``shared-regions``, each with its
    ``codes`` as regions with the name and page the region index gives them.
    """
    partnerships = rows(store, "partnerships", {}, base=base)
    collaborations = [
        {**r, "where": section_words(r["section"])}
        for r in rows(store, "collaborations", {}, base=base)
    ]
    regions = with_partnerships(
        store, rows(store, "most-shared-regions", {}, base=base), partnerships, base=base
    )
    known = {r["code"]: r for r in rows(store, "page-index-regions", {}, base=base) if r["code"]}
    known.update({r["code"]: r for r in regions if r["code"]})
    shared = [
        {**r, "codes": [known.get(code, {"code": code}) for code in r["regions"].split(", ")]}
        for r in rows(store, "shared-regions", {}, base=base)
    ]
    return {
        "partnerships": partnerships,
        "collaborations": collaborations,
        "pairs": mention_pairs(collaborations),
        "partners": partners(partnerships, collaborations),
        "regions": regions,
        "shared": shared,
        "sdg": rows(store, "sdg-profile", {}, base=base),
        **synthetic(store, base=base),
    }


def with_partnerships(
    store: Queryable, regions: list[Row], partnerships: Iterable[Row], *, base: str
) -> list[Row]:
    """``regions`` each with its ``members``: the partnerships it leads or takes part in (by
    ``regions-of-partnership``, the same memberships ``most-shared-regions`` counts), each with
    its ``label`` and whether the region ``leads`` it in a report."""
    found: dict[str, dict[str, Row]] = {}
    for p in partnerships:
        params = {"partnership": p["partnership"]}
        for r in rows(store, "regions-of-partnership", params, base=base):
            member = found.setdefault(r["region"], {}).setdefault(
                p["partnership"], {"partnership": p["partnership"], "label": p["label"]}
            )
            member["leads"] = member.get("leads", False) or r["role"] == S3G + "leading"
    return [{**r, "members": list(found.get(r["region"], {}).values())} for r in regions]


def section_words(key: str) -> str:
    """A section key of the form as words: ``past_events row 3`` -> ``past events, row 3``."""
    words = (key or "").replace("_", " ")
    return words.replace(" row ", ", row ")


def mention_pairs(collaborations: Iterable[Row]) -> list[Row]:
    """The mentions grouped by (mentioning, mentioned) partnership, in the order they come."""
    pairs: dict[tuple[str, str], Row] = {}
    for r in collaborations:
        pair = pairs.setdefault(
            (r["partnership"], r["other"]),
            {k: r[k] for k in ("partnership", "partnershipLabel", "other", "otherLabel")},
        )
        pair.setdefault("mentions", []).append(r)
    return list(pairs.values())


def partners(partnerships: Iterable[Row], collaborations: Iterable[Row]) -> list[Row]:
    """Every partnership of the network, each partner with no report of its own (the graph knows
    it from the mentions only) right after the first partnership that mentions it."""
    mentioned: dict[str, dict[str, str]] = {}
    for r in collaborations:
        mentioned.setdefault(r["partnership"], {})[r["other"]] = r["otherLabel"] or r["other"]
    reported = {r["partnership"] for r in partnerships}
    found: list[Row] = []
    placed: set[str] = set()
    for r in partnerships:
        found.append({"partnership": r["partnership"], "label": r["label"], "reported": True})
        others = sorted(mentioned.get(r["partnership"], {}).items(), key=lambda o: o[1])
        for other, label in others:
            if other not in reported and other not in placed:
                placed.add(other)
                found.append({"partnership": other, "label": label, "reported": False})
    return found
