"""The benchmark at scale (issue 14): ingest, the named-query mix and export, size after size.

    python bench/scale.py [--triples 10000 100000] [--million] [--ten-million] [--runs 10]
                          [--seed 0] [--work DIR] [--keep] [--remote KIND=URL ...]

For each size, in one run:

1. the reports are written (``bench/scale_synth.py``: distinct reports in the form's layout,
   NUTS regions from the packaged classification, the corpus's quirks at its rates);
2. **ingest**: ``s3graph --store DIR ingest REPORTS`` in a child process (parse, link, map,
   validate, store), timed, with the peak resident memory of its process tree (sampled from
   ``/proc``) and of its largest process (``wait4``); reports/s and stored quads/s;
3. **export**: ``s3graph --store DIR export`` (every format), timed, with its peak memory;
4. **queries**: the store dumped as N-Quads and loaded into ``oxigraph load --location``
   (on disk) and an in-memory ``oxigraph serve`` (POST ``/store``); then ``s3graph serve``
   (embedded store, its defaults but no row cap), ``oxigraph serve --location`` and the
   in-memory one answer the named-query mix of ``bench/endpoint.py`` (the named queries without
   a required parameter) over ``--runs`` sequential runs after 2 warm-ups: p50/p95 per query
   and server, whether every server returned the same number of rows, and the geometric mean
   of the per-query p50 ratios s3graph/oxigraph.

Then a table per size and the growth from one size to the next: for each figure, the exponent
``log(ratio of figures) / log(ratio of sizes)`` (1 = linear, 0 = flat, 2 = quadratic).

Remote stores (hook): ``--remote KIND=URL`` (e.g. ``virtuoso=http://127.0.0.1:8890/sparql``)
adds, per size, ``s3graph --store URL --server KIND ingest`` of the same reports, timed, once
the CLI takes a URL for ``--store`` (issue 14, the CLI wiring); until then the run prints the
CLI's one-line refusal and goes on. The query mix through such a server is the next step
(:func:`remote_ingest` is where it goes).

It prints figures and asserts nothing. Servers run on 127.0.0.1 and are stopped at the end; the
work folder is removed unless ``--keep`` or ``--work`` is given (then generated reports and
stores are reused when the same size is asked again).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # endpoint.py, procfs.py, scale_synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

import endpoint  # noqa: E402
from endpoint import (  # noqa: E402
    HOST,
    UNCAPPED_ROWS,
    Server,
    ask,
    export_nquads,
    geomean,
    latencies,
    load_over_http,
    percentile,
    query_mix,
    row_count,
    tool,
)
from procfs import MIB, TreeSampler  # noqa: E402
from scale_synth import reports_for, write_corpus  # noqa: E402

from s3graph.sparql import NamedQuery  # noqa: E402
from s3graph.store import Store  # noqa: E402

TARGET_INGEST_1M = 300.0  # seconds for 1M triples
TARGET_MEM = 1.2  # s3graph serve p50 / oxigraph serve in memory, at most
TARGET_DISK = 1.0  # s3graph serve p50 / oxigraph serve on disk, at most
SERVERS = ("s3graph", "oxigraph-disk", "oxigraph-mem")
FLOOR_QUERY = "SELECT * WHERE { }"  # one empty row: the cost of a request itself
SLOW = 10.0  # seconds: a query slower than this on its first run is timed once


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
    remote: dict[str, Run] = field(default_factory=dict)


def measured(command: Sequence[str]) -> Run:
    """Run ``command``, sampling its process tree's memory; its time, peaks and last words."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        with TreeSampler(child.pid, interval=0.1) as sampler:
            _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        output.seek(0)
        lines = output.read().decode("utf-8", "replace").strip().splitlines()
    return Run(
        seconds=seconds,
        tree_mb=max(sampler.tree_samples, default=0) / MIB,
        own_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        code=child.returncode,
        said=lines[-1][:300] if lines else "",
    )


def default_nuts() -> Path | None:
    shared = os.environ.get("S3GRAPH_SHARED")
    path = (Path(shared) if shared else BENCH_DIR.parent.parent / "shared") / "reference"
    path = path / "nuts-2021.csv"
    return path if path.is_file() else None


def say(text: str) -> None:
    print(text, flush=True)


# -- the steps -----------------------------------------------------------------------------------


def generate(folder: Path, size: Size, seed: int) -> None:
    started = time.perf_counter()
    size.reports = sum(1 for _ in write_corpus(folder, reports_for(size.asked), seed))
    size.generate_s = time.perf_counter() - started
    say(f"  reports: {size.reports} written in {size.generate_s:.1f} s ({folder})")


def load_nuts(store: Path, nuts: Path | None, size: Size) -> None:
    """NUTS loaded into a fresh store as a user does first (``s3graph vocab load``)."""
    shutil.rmtree(store, ignore_errors=True)
    if nuts is None:
        return
    run = measured([tool("s3graph"), "--store", str(store), "vocab", "load", str(nuts)])
    with Store.open(store, read_only=True) as opened:
        size.vocab_quads = opened.count()
    say(f"  vocab load {nuts.name}: exit {run.code}, {run.seconds:.1f} s,"
        f" {size.vocab_quads:,} quads")  # fmt: skip


def ingest(store: Path, reports: Path, size: Size, by_part: bool = False) -> None:
    """``s3graph ingest`` of the whole folder, or (``by_part``) one call per folder of 1,000.

    One call holds every report of the run until its single write (its memory grows with the
    run); by part, each call holds 1,000 reports and writes them into the growing store.
    """
    command = [tool("s3graph"), "--store", str(store), "ingest"]
    if not by_part:
        size.ingest = run = measured([*command, str(reports)])
    else:
        parts = []
        for folder in sorted(reports.glob("part-*")):
            parts.append(measured([*command, str(folder)]))
            say(f"    {folder.name}: exit {parts[-1].code}, {parts[-1].seconds:.1f} s,"
                f" peak {peak(parts[-1]):.0f} MB")  # fmt: skip
        size.ingest = run = Run(
            seconds=sum(p.seconds for p in parts),
            tree_mb=max(p.tree_mb for p in parts),
            own_mb=max(p.own_mb for p in parts),
            code=max(p.code for p in parts),
            said=f"{len(parts)} calls; last: {parts[-1].said}",
        )
    with Store.open(store, read_only=True) as opened:
        size.quads = opened.count()
    added = size.quads - size.vocab_quads
    say(
        f"  ingest: exit {run.code}, {run.seconds:.1f} s, {size.reports / run.seconds:.1f}"
        f" reports/s, {added / run.seconds:,.0f} quads/s, {added:,} quads added, peak"
        f" {run.tree_mb:.0f} MB (tree) / {run.own_mb:.0f} MB (largest): {run.said}"
    )


def export(store: Path, out: Path, size: Size) -> None:
    shutil.rmtree(out, ignore_errors=True)
    command = [tool("s3graph"), "--store", str(store), "export", "--out", str(out)]
    size.export = run = measured(command)
    written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    say(
        f"  export: exit {run.code}, {run.seconds:.1f} s, peak {run.tree_mb:.0f} MB (tree) /"
        f" {run.own_mb:.0f} MB (largest), {written / 1e6:.0f} MB written"
    )


def remote_ingest(kind: str, url: str, reports: Path, size: Size) -> None:
    """The hook for remote stores: the same ingest into the server at ``url``.

    The query mix through ``s3graph --store URL serve`` and the server directly goes here next,
    as :func:`queries` does it for the embedded store.
    """
    command = [tool("s3graph"), "--store", url, "--server", kind, "ingest", str(reports)]
    size.remote[kind] = run = measured(command)
    rate = f"{size.reports / run.seconds:.1f} reports/s" if run.code == 0 else "failed"
    say(f"  ingest into {kind} at {url}: exit {run.code}, {run.seconds:.1f} s, {rate}: {run.said}")


def servers_for(work: Path, store: Path, location: Path) -> list[Server]:
    s3graph, oxigraph = tool("s3graph"), tool("oxigraph")
    bind = f"{HOST}:{{PORT}}"
    return [
        Server(
            "s3graph",
            [s3graph, "--store", str(store), "serve", "--host", HOST, "--port", "{PORT}",
             "--max-rows", str(UNCAPPED_ROWS)],
            "/sparql",
            work / "s3graph.log",
        ),
        Server(
            "oxigraph-disk",
            [oxigraph, "serve", "--location", str(location), "--bind", bind,
             "--union-default-graph"],
            "/query",
            work / "oxigraph-disk.log",
        ),
        Server(
            "oxigraph-mem",
            [oxigraph, "serve", "--bind", bind, "--union-default-graph"],
            "/query",
            work / "oxigraph-mem.log",
        ),
    ]


def compare_rows(servers: Sequence[Server], mix: Sequence[NamedQuery], size: Size) -> None:
    """One run of each query on each server: its rows, and how long it took (``size.first``)."""
    with requests.Session() as session:
        for query in mix:
            size.rows[query.name] = {}
            for server in servers:
                started = time.perf_counter()
                try:
                    size.rows[query.name][server.name] = row_count(
                        ask(session, server, query.text)
                    )
                except (RuntimeError, requests.RequestException) as exc:
                    size.failed[f"{server.name} {query.name}"] = str(exc)[:200]
                size.first[f"{server.name} {query.name}"] = time.perf_counter() - started
            if len(set(size.rows[query.name].values())) > 1:
                say(f"  ROWS DIFFER for {query.name}: {size.rows[query.name]}")


def timed_runs(server: Server, text: str, runs: int, first: float) -> list[float]:
    """``runs`` timed runs after :data:`WARMUP` warm-ups; a query whose first run took over
    :data:`SLOW` seconds gets one timed run and no warm-up (that first run warmed it up), so
    that the largest sizes end in bounded time."""
    if first <= SLOW:
        return latencies(server, text, runs)
    with requests.Session() as session:
        started = time.perf_counter()
        _ = ask(session, server, text).content
        return [time.perf_counter() - started]


def time_mix(servers: Sequence[Server], mix: Sequence[NamedQuery], size: Size, runs: int) -> None:
    """p50/p95 per server and query, skipping what already failed in :func:`compare_rows`."""
    for server in servers:
        size.p50[server.name], size.p95[server.name] = {}, {}
        for query in mix:
            key = f"{server.name} {query.name}"
            if key in size.failed:
                continue
            try:
                times = timed_runs(server, query.text, runs, size.first.get(key, 0.0))
            except (RuntimeError, requests.RequestException) as exc:
                size.failed[key] = str(exc)[:200]
                continue
            size.p50[server.name][query.name] = percentile(times, 0.5)
            size.p95[server.name][query.name] = percentile(times, 0.95)
        # What a request costs whatever the data: HTTP, the server's own path, no matching.
        size.floor[server.name] = percentile(latencies(server, FLOOR_QUERY, runs), 0.5)


def queries(work: Path, store: Path, size: Size, runs: int) -> None:
    nquads, location = work / "data.nq", work / "oxigraph-disk"
    started = time.perf_counter()
    export_nquads(store, nquads)
    shutil.rmtree(location, ignore_errors=True)
    subprocess.run(
        [tool("oxigraph"), "load", "--location", str(location), "--file", str(nquads)],
        check=True, capture_output=True, timeout=3600,
    )  # fmt: skip
    say(f"  N-Quads dump and oxigraph load: {time.perf_counter() - started:.1f} s")
    servers = servers_for(work, store, location)
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        load_over_http(servers[2], nquads)
        mix = query_mix()
        compare_rows(servers, mix, size)
        time_mix(servers, mix, size, runs)
        print_queries(size, mix)
    finally:
        for server in servers:
            server.stop()
        nquads.unlink(missing_ok=True)


# -- reporting -----------------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def ratio(size: Size, other: str) -> float | None:
    """Geometric mean over the mix of p50(s3graph) / p50(other), queries both answered."""
    mine, theirs = size.p50.get("s3graph", {}), size.p50.get(other, {})
    both = [mine[q] / theirs[q] for q in mine if q in theirs and theirs[q] > 0]
    return geomean(both) if both else None


def median_p50(size: Size, server: str) -> float | None:
    found = list(size.p50.get(server, {}).values())
    return statistics.median(found) if found else None


def print_queries(size: Size, mix: Sequence[NamedQuery]) -> None:
    heads = " | ".join(f"{s + ' p50/p95 ms':>25}" for s in SERVERS)
    say(f"\n  {'query':<24} {'rows':>7} | {heads} | s3g/mem | s3g/disk")
    for query in mix:
        rows = set(size.rows.get(query.name, {}).values())
        shown = str(rows.pop()) if len(rows) == 1 else "DIFFER"
        cells = [
            f"{ms(size.p50[s].get(query.name))}/{ms(size.p95[s].get(query.name))}" for s in SERVERS
        ]
        mine = size.p50["s3graph"].get(query.name)
        mem, disk = size.p50["oxigraph-mem"].get(query.name), size.p50["oxigraph-disk"].get(
            query.name
        )
        to_mem = f"{mine / mem:.2f}" if mine and mem else "-"
        to_disk = f"{mine / disk:.2f}" if mine and disk else "-"
        say(f"  {query.name:<24} {shown:>7} | " + " | ".join(f"{c:>25}" for c in cells)
            + f" | {to_mem:>7} | {to_disk:>8}")  # fmt: skip
    floors = ", ".join(f"{s} {ms(size.floor.get(s))} ms" for s in SERVERS)
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
    growth(sizes)
    targets(sizes)


def peak(run: Run | None) -> float | None:
    return max(run.tree_mb, run.own_mb) if run else None


def figures(size: Size) -> dict[str, float | None]:
    run, out = size.ingest, size.export
    return {
        "ingest time": run.seconds if run else None,
        "ingest peak memory": peak(run),
        "export time": out.seconds if out else None,
        "export peak memory": peak(out),
        **{f"p50 {s} (median of mix)": median_p50(size, s) for s in SERVERS},
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
            low, high = figures(a)[name], figures(b)[name]
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


def describe() -> None:
    versions = []
    for name in ("s3graph", "oxigraph"):
        done = subprocess.run([tool(name), "--version"], capture_output=True, text=True)
        versions.append(done.stdout.strip() or done.stderr.strip())
    import pyoxigraph

    say(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.platform()};"
        f" {os.cpu_count()} cores; Python {platform.python_version()}; pyoxigraph"
        f" {pyoxigraph.__version__}; {'; '.join(versions)}; load {os.getloadavg()[0]:.1f}"
    )


# -- main ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1M triples")
    parser.add_argument("--ten-million", action="store_true", help="also 10M triples")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per query and server")
    parser.add_argument(
        "--request-timeout", type=float, default=endpoint.REQUEST_TIMEOUT,
        help="seconds the benchmark waits for one answer (s3graph serve stops at its own 10 s)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="work folder, kept (reports are reused)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument(
        "--nuts", type=lambda v: None if v == "none" else Path(v), default=default_nuts(),
        help="NUTS CSV loaded before ingest ('none': only the packaged snapshot judges)",
    )  # fmt: skip
    parser.add_argument(
        "--by-part", action="store_true",
        help="one s3graph ingest per folder of 1,000 reports (bounded memory; for 10M)",
    )  # fmt: skip
    parser.add_argument("--no-export", action="store_true", help="skip the export")
    parser.add_argument("--no-queries", action="store_true", help="ingest and export only")
    parser.add_argument(
        "--remote", action="append", default=[], metavar="KIND=URL",
        help="also ingest into this SPARQL server (needs --store URL in the CLI)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    asked = sorted(
        {*args.triples, *([1_000_000] if args.million else []),
         *([10_000_000] if args.ten_million else [])}
    )  # fmt: skip
    endpoint.REQUEST_TIMEOUT = args.request_timeout
    remotes = [tuple(r.split("=", 1)) for r in args.remote]
    if any(len(r) != 2 for r in remotes):
        parser.error("--remote takes KIND=URL")
    work = args.work or Path(tempfile.mkdtemp(prefix="s3graph-scale-"))
    describe()
    say(f"work folder {work}; sizes {', '.join(f'{n:,}' for n in asked)}; {args.runs} runs")
    sizes = []
    try:
        for target in asked:
            size = Size(target)
            here = work / f"triples-{target}"
            say(f"\n== ~{target:,} triples (load {os.getloadavg()[0]:.1f})")
            generate(here / "reports", size, args.seed)
            load_nuts(here / "store", args.nuts, size)
            ingest(here / "store", here / "reports", size, args.by_part)
            if not args.no_export:
                export(here / "store", here / "export", size)
            for kind, url in remotes:
                remote_ingest(kind, url, here / "reports", size)
            if not args.no_queries:
                queries(here, here / "store", size, args.runs)
            sizes.append(size)
            shutil.rmtree(here / "export", ignore_errors=True)
    except KeyboardInterrupt:
        say("interrupted: the sizes done so far follow")
    finally:
        summary(sizes)
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif sizes:
            say(f"kept {work}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
