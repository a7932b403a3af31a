"""Many small distinct reports, and fingerprints of a store, for the kill -9 tests.

The reports are one corpus report with its partnership and reporting period replaced: each pair of
a partnership the registry knows and a half-year is a report graph of its own. Two *editions*
of the same set differ in one answer of every report, so that a store holding some reports of one
edition and some of the other (a torn write) is neither edition's state.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from s3graph.store import Store

#: The corpus report the reports are made from (its lines of period and partnership are replaced).
TEMPLATE = "cybersecurity-2021-h1.txt"
_PERIOD = "January - June 2021"
_PARTNERSHIP = "Cybersecurity"
_ANSWER = "European Cyber Security Organisation (ECSO), national CERTs, INCIBE"
_TABLE_ROW = re.compile(r"^[0-9]+\t")
_REGION_LINE = re.compile(r"^[A-Z].* \([A-Z]{2}\) ")
_KEPT_REGIONS = ("Castilla y León", "Brittany")
HALVES = ("January - June {year}", "July - December {year}")

#: An instant in an N-Quads line: the one thing a run sets that the test cannot know beforehand.
_INSTANT = re.compile(r'"[0-9]{4}-[0-9]{2}-[0-9]{2}T[^"]*"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>')


def partnership_names() -> list[str]:
    """The canonical names of the partnerships in the registry, sorted."""
    from s3graph.vocab.registry import Registry

    return sorted(entry.name for entry in Registry.load().entries)


def small(template: str) -> str:
    """The template with its tables emptied and two participating regions left: a valid report
    of ~330 triples (the full one has ~740), so that 2,000 of them are read quickly."""
    kept = []
    for line in template.split("\n"):
        if _TABLE_ROW.match(line):
            kept.append(line.split("\t", 1)[0] + "\t" * line.count("\t"))
        elif not (_REGION_LINE.match(line) and not line.startswith(_KEPT_REGIONS)):
            kept.append(line)
    return "\n".join(kept)


def write_reports(template: str, folder: Path, count: int, edition: str) -> list[Path]:
    """``count`` reports, each a different partnership and half-year, into ``folder``.

    ``edition`` goes into one answer of every report: the same ``count`` with another edition
    gives the same report graphs with other content.
    """
    assert template.count(_PERIOD) == 1 and template.count(f"\n{_PARTNERSHIP}\n") == 1
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, (year, half, name) in enumerate(_identities(count)):
        text = template.replace(_PERIOD, HALVES[half].format(year=year))
        text = text.replace(f"\n{_PARTNERSHIP}\n", f"\n{name}\n")
        text = text.replace(_ANSWER, f"{_ANSWER} ({edition})")
        path = folder / f"report-{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _identities(count: int) -> Iterator[tuple[int, int, str]]:
    names = partnership_names()
    years = range(2099, 1899, -1)  # the parser reads 1900-2099
    for number, (year, half, name) in enumerate(product(years, (0, 1), names)):
        if number == count:
            return
        yield year, half, name
    raise ValueError(f"only {number + 1} distinct reports can be made")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A store's quads: how many, a hash of them all sorted, and the same with instants blanked."""

    count: int
    digest: str
    timeless: str


def fingerprint(store_path: Path) -> Fingerprint:
    """Open the store (read-only, as after a crash) and fingerprint every quad of it, as N-Quads
    lines (the default graph's and each named graph's)."""
    import pyoxigraph as ox

    lines: list[str] = []
    with Store.open(store_path, read_only=True) as store:
        for graph in [None, *store.graphs()]:
            text = store.dump_graph(graph, ox.RdfFormat.N_TRIPLES).decode("utf-8")
            suffix = " ." if graph is None else f" <{graph}> ."
            lines.extend(line.removesuffix(" .") + suffix for line in text.split("\n") if line)
    lines.sort()
    whole = "\n".join(lines)
    timeless = "\n".join(sorted(_INSTANT.sub('"TIME"', line) for line in lines))
    return Fingerprint(
        len(lines),
        hashlib.sha256(whole.encode("utf-8")).hexdigest(),
        hashlib.sha256(timeless.encode("utf-8")).hexdigest(),
    )
