"""What ``bench/scale.py`` measured, per size, and how it is printed: the tables of the README
(per query, per size, per remote store), the growth from one size to the next as an exponent,
and the targets of issue 14 with a verdict."""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from endpoint import geomean

from s3graph.sparql import NamedQuery

TARGET_INGEST_1M = 300.0  # seconds for 1M triples
TARGET_MEM = 1.2  # s3graph serve p50 / oxigraph serve in memory, at most
TARGET_DISK = 1.0  # s3graph serve p50 / oxigraph serve on disk, at most
FLOOR_QUERY = "SELECT * WHERE { }"  # one empty row: the cost of a request itself


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    tree_mb: float  # the largest sum over the process tree
    own_mb: float  # the child's own peak (the kernel's figure)
    code: int
    said: str  # the last line it wrote to stderr (or stdout)


@dataclass
class Size:
    """Everything measured at one size."""

    asked: int
    reports: int = 0
    quads: int = 0  # in the store after ingest, vocabulary included
    vocab_quads: int = 0  # of them, loaded before ingest (NUTS)
    generate_s: float = 0.0
    ingest: Run | None = None
    export: Run | None = None
    p50: dict[str, dict[str, float]] = field(default_factory=dict)  # server -> query -> s
    p95: dict[str, dict[str, float]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # query -> server -> rows
    failed: dict[str, str] = field(default_factory=dict)  # "server query" -> error
    floor: dict[str, float] = field(default_factory=dict)  # server -> p50 of an empty query
    first: dict[str, float] = field(default_factory=dict)  # "server query" -> first run, s
    remote: dict[str, Run] = field(default_factory=dict)  # server name -> its ingest
    remote_quads: dict[str, int] = field(default_factory=dict)


def say(text: str) -> None:
    print(text, flush=True)


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def ratio(size: Size, other: str, mine_name: str = "s3graph") -> float | None:
    """Geometric mean over the mix of p50(mine) / p50(other), queries both answered."""
    mine, theirs = size.p50.get(mine_name, {}), size.p50.get(other, {})
    both = [mine[q] / theirs[q] for q in mine if q in theirs and theirs[q] > 0]
    return geomean(both) if both else None


def median_p50(size: Size, server: str) -> float | None:
    found = list(size.p50.get(server, {}).values())
    return statistics.median(found) if found else None


def print_queries(size: Size, mix: Sequence[NamedQuery]) -> None:
    names = list(size.p50)
    heads = " | ".join(f"{s + ' p50/p95 ms':>25}" for s in names)
    say(f"\n  {'query':<24} {'rows':>7} | {heads} | s3g/mem | s3g/disk")
    for query in mix:
        rows = set(size.rows.get(query.name, {}).values())
        shown = str(rows.pop()) if len(rows) == 1 else "DIFFER"
        cells = [
            f"{ms(size.p50[s].get(query.name))}/{ms(size.p95[s].get(query.name))}" for s in names
        ]
        mine = size.p50["s3graph"].get(query.name)
        mem, disk = size.p50["oxigraph-mem"].get(query.name), size.p50["oxigraph-disk"].get(
            query.name
        )
        to_mem = f"{mine / mem:.2f}" if mine and mem else "-"
        to_disk = f"{mine / disk:.2f}" if mine and disk else "-"
        say(f"  {query.name:<24} {shown:>7} | " + " | ".join(f"{c:>25}" for c in cells)
            + f" | {to_mem:>7} | {to_disk:>8}")  # fmt: skip
    floors = ", ".join(f"{s} {ms(size.floor.get(s))} ms" for s in names)
    say(f"  floor ({FLOOR_QUERY}, p50): {floors}")
    for what, error in size.failed.items():
        say(f"  FAILED {what}: {error}")


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def summary(sizes: Sequence[Size]) -> None:
    say("\n| quads | reports | ingest s | reports/s | quads/s | ingest peak MB | export s |"
        " export peak MB | s3graph p50 ms | oxi-mem p50 ms | oxi-disk p50 ms | s3g/mem |"
        " s3g/disk | same rows |")  # fmt: skip
    say("|" + "---:|" * 13 + "---|")
    for size in sizes:
        run, out = size.ingest, size.export
        same = all(len(set(r.values())) == 1 for r in size.rows.values())
        shown = "-" if not size.rows else "yes" if same else "NO"
        took = run.seconds if run else None
        say(
            f"| {size.quads:,} | {size.reports:,} | {fmt(took)} |"
            f" {fmt(took and size.reports / took)} |"
            f" {fmt(took and (size.quads - size.vocab_quads) / took, ',.0f')} |"
            f" {fmt(peak(run), '.0f')} | {fmt(out.seconds if out else None)} |"
            f" {fmt(peak(out), '.0f')} |"
            f" {ms(median_p50(size, 's3graph'))} | {ms(median_p50(size, 'oxigraph-mem'))} |"
            f" {ms(median_p50(size, 'oxigraph-disk'))} | {fmt(ratio(size, 'oxigraph-mem'), '.2f')}"
            f" | {fmt(ratio(size, 'oxigraph-disk'), '.2f')} | {shown} |"
        )
    say("(quads: in the store, NUTS included; quads/s: those the ingest added; p50 columns: the"
        " median over the mix of each query's p50; s3g/x: the geometric mean"
        " over the mix of the per-query p50 ratios)")  # fmt: skip
    remote_summary(sizes)
    growth(sizes)
    targets(sizes)


def remote_summary(sizes: Sequence[Size]) -> None:
    """Per server used as the store: its ingest beside the embedded one's, its p50 beside theirs."""
    names = sorted({name for size in sizes for name in size.remote})
    if not names:
        return
    say("\n| server | quads | ingest s | reports/s | x embedded ingest | ingest peak MB | p50 ms"
        " | x oxi-mem | x oxi-disk | x s3graph |")  # fmt: skip
    say("|---|" + "---:|" * 9)
    for size in sizes:
        for name in names:
            run, embedded = size.remote.get(name), size.ingest
            took = run.seconds if run and run.code == 0 else None
            versus = took / embedded.seconds if took and embedded else None
            s3g = ratio(size, "s3graph", name)
            say(
                f"| {name} | {size.remote_quads.get(name, 0):,} | {fmt(took)} |"
                f" {fmt(took and size.reports / took)} | {fmt(versus, '.2f')} |"
                f" {fmt(peak(run), '.0f')} | {ms(median_p50(size, name))} |"
                f" {fmt(ratio(size, 'oxigraph-mem', name), '.2f')} |"
                f" {fmt(ratio(size, 'oxigraph-disk', name), '.2f')} | {fmt(s3g, '.2f')} |"
            )
    say("(quads: what the server holds in named graphs, its own left out; x y: the geometric"
        " mean of the per-query p50 ratios server / y; the ingest peak is the CLI's)")  # fmt: skip


def peak(run: Run | None) -> float | None:
    return max(run.tree_mb, run.own_mb) if run else None


def figures(size: Size) -> dict[str, float | None]:
    run, out = size.ingest, size.export
    return {
        "ingest time": run.seconds if run else None,
        "ingest peak memory": peak(run),
        "export time": out.seconds if out else None,
        "export peak memory": peak(out),
        **{f"p50 {s} (median of mix)": median_p50(size, s) for s in size.p50},
        **{f"ingest into {name} time": run.seconds for name, run in size.remote.items()},
    }


def growth(sizes: Sequence[Size]) -> None:
    """Exponent of each figure's growth between consecutive sizes (1 = linear)."""
    if len(sizes) < 2:
        return
    pairs = list(itertools.pairwise(sizes))
    say("\n| figure | " + " | ".join(f"{a.quads:,} -> {b.quads:,}" for a, b in pairs) + " |")
    say("|---|" + "---:|" * len(pairs))
    for name in figures(sizes[0]):
        cells = []
        for a, b in pairs:
            low, high = figures(a).get(name), figures(b).get(name)
            if not low or not high or b.quads == a.quads:
                cells.append("-")
                continue
            grown = high / low
            exponent = math.log(grown) / math.log(b.quads / a.quads)
            cells.append(f"x{grown:.2f}, exponent {exponent:.2f}")
        say(f"| {name} | " + " | ".join(cells) + " |")
    say("(exponent = log(ratio of figures) / log(ratio of sizes): 1 linear, 0 flat, 2 quadratic)")


def targets(sizes: Sequence[Size]) -> None:
    say("\ntargets (issue 14):")
    for size in sizes:
        run = size.ingest
        if run and size.quads >= 900_000:
            per_million = run.seconds * 1_000_000 / (size.quads - size.vocab_quads)
            verdict = "met" if per_million <= TARGET_INGEST_1M else "NOT met"
            say(f"  ingest of 1M triples under {TARGET_INGEST_1M:g} s: {per_million:.0f} s per 1M"
                f" at {size.quads:,}: {verdict}")  # fmt: skip
        if size.quads >= 90_000:
            for other, bound in (("oxigraph-mem", TARGET_MEM), ("oxigraph-disk", TARGET_DISK)):
                got = ratio(size, other)
                verdict = "-" if got is None else "met" if got <= bound else "NOT met"
                say(f"  s3graph serve / {other} p50 <= {bound:g} at {size.quads:,}:"
                    f" {fmt(got, '.2f')}: {verdict}")  # fmt: skip
