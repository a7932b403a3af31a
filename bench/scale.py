"""The benchmark at scale (issue 14): ingest, the named-query mix and export, size after size.

    python bench/scale.py [--triples 10000 100000] [--million] [--ten-million] [--runs 10]
                          [--seed 0] [--work DIR] [--keep] [--by-part] [--virtuoso]
                          [--remote KIND=URL ...] [--request-timeout 120]

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

Remote stores (``bench/scale_remote.py``): ``--virtuoso`` starts a Virtuoso of its own per
size, ``--remote KIND=URL`` names a running server (empty). Per size it is filled by
``s3graph --store URL --server KIND vocab load`` and ``ingest`` (timed, by part with
``--by-part``), and answers the same mix at its own query endpoint beside the three others (rows
compared with theirs).

A query whose first run takes over 10 s is timed once more only, and a query that failed (an
error, a timeout: ``--request-timeout``, or a partial "anytime" answer of Virtuoso) is not asked
again of that server: the largest sizes end in bounded time.

It prints figures and asserts nothing. Servers run on 127.0.0.1 and are stopped at the end; the
work folder is removed unless ``--keep`` or ``--work`` is given (then generated reports and
stores are reused when the same size is asked again).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
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
    latencies,
    load_over_http,
    percentile,
    query_mix,
    row_count,
    tool,
)
from procfs import MIB, TreeSampler  # noqa: E402
from scale_remote import Remote, given, start_virtuoso  # noqa: E402
from scale_report import FLOOR_QUERY, Run, Size, peak, print_queries, say, summary  # noqa: E402
from scale_synth import reports_for, write_corpus  # noqa: E402

from s3graph.sparql import NamedQuery  # noqa: E402
from s3graph.store import Store  # noqa: E402

SLOW = 10.0  # seconds: a query slower than this on its first run is timed once


def measured(command: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command``, sampling its process tree's memory; its time, peaks and last words."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
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


def ingest_runs(
    command: Sequence[str], reports: Path, by_part: bool, env: dict[str, str] | None = None
) -> Run:
    """``command REPORTS`` once, or (``by_part``) once per folder of 1,000 reports.

    One call holds every report of the run until its single write (its memory grows with the
    run); by part, each call holds 1,000 reports and writes them into the growing store.
    """
    if not by_part:
        return measured([*command, str(reports)], env)
    parts = []
    for folder in sorted(reports.glob("part-*")):
        parts.append(measured([*command, str(folder)], env))
        say(f"    {folder.name}: exit {parts[-1].code}, {parts[-1].seconds:.1f} s,"
            f" peak {peak(parts[-1]):.0f} MB")  # fmt: skip
    return Run(
        seconds=sum(p.seconds for p in parts),
        tree_mb=max(p.tree_mb for p in parts),
        own_mb=max(p.own_mb for p in parts),
        code=max(p.code for p in parts),
        said=f"{len(parts)} calls; last: {parts[-1].said}",
    )


def ingest(store: Path, reports: Path, size: Size, by_part: bool = False) -> None:
    """``s3graph ingest`` into the embedded store (see :func:`ingest_runs`)."""
    command = [tool("s3graph"), "--store", str(store), "ingest"]
    size.ingest = run = ingest_runs(command, reports, by_part)
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


def remote_ingest(
    remote: Remote, nuts: Path | None, reports: Path, size: Size, by_part: bool
) -> None:
    """NUTS then the reports into the server, through the CLI as a user does; the ingest timed."""
    command = [tool("s3graph"), "--store", remote.url, "--server", remote.kind]
    env = remote.cli_environ()
    if nuts is not None:
        loaded = measured([*command, "vocab", "load", str(nuts)], env)
        say(f"  {remote.name}: vocab load exit {loaded.code}, {loaded.seconds:.1f} s:"
            f" {loaded.said}")  # fmt: skip
    size.remote[remote.name] = run = ingest_runs([*command, "ingest"], reports, by_part, env)
    size.remote_quads[remote.name] = quads = remote.count()
    rate = f"{size.reports / run.seconds:.1f} reports/s" if run.code == 0 else "failed"
    say(
        f"  ingest into {remote.name} ({remote.url}): exit {run.code}, {run.seconds:.1f} s,"
        f" {rate}, peak {peak(run):.0f} MB, {quads:,} quads stored: {run.said}"
    )


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
                        whole(ask(session, server, query.text))
                    )
                except (RuntimeError, requests.RequestException) as exc:
                    size.failed[f"{server.name} {query.name}"] = str(exc)[:200]
                size.first[f"{server.name} {query.name}"] = time.perf_counter() - started
            if len(set(size.rows[query.name].values())) > 1:
                say(f"  ROWS DIFFER for {query.name}: {size.rows[query.name]}")


def whole(answer: requests.Response) -> requests.Response:
    """``answer``, unless Virtuoso cut it at its time limit (an "anytime" partial result)."""
    if "X-SQL-State" in answer.headers:
        raise RuntimeError(f"partial answer: {answer.headers.get('X-SQL-Message', '')[:200]}")
    return answer


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


def queries(
    work: Path, store: Path, size: Size, runs: int, remotes: Sequence[Server] = ()
) -> None:
    """The three servers of the embedded store's data started here, ``remotes`` already filled."""
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
        asked = [*servers, *remotes]
        compare_rows(asked, mix, size)
        time_mix(asked, mix, size, runs)
        print_queries(size, mix)
    finally:
        for server in servers:
            server.stop()
        nquads.unlink(missing_ok=True)


# -- reporting -----------------------------------------------------------------------------------


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


def virtuoso_or_none(folder: Path) -> list[Remote]:
    """A Virtuoso of the benchmark's own, or none with the reason said (the run goes on)."""
    try:
        return [start_virtuoso(folder)]
    except RuntimeError as exc:
        say(f"  Virtuoso not started, left out: {exc}")
        return []


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
        help="also this SPARQL server as the store (empty; one size per run): ingest, then"
        " the mix asked of it",
    )  # fmt: skip
    parser.add_argument(
        "--virtuoso", action="store_true",
        help="also a Virtuoso started here per size as the store (virtuoso-t)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    asked = sorted(
        {*args.triples, *([1_000_000] if args.million else []),
         *([10_000_000] if args.ten_million else [])}
    )  # fmt: skip
    endpoint.REQUEST_TIMEOUT = args.request_timeout
    try:
        given_remotes = [given(text) for text in args.remote]
    except ValueError as exc:
        parser.error(str(exc))
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
            remotes = [*given_remotes]
            try:
                if args.virtuoso:
                    remotes.extend(virtuoso_or_none(here / "virtuoso"))
                for remote in remotes:
                    remote_ingest(remote, args.nuts, here / "reports", size, args.by_part)
                if not args.no_queries:
                    answering = [r.query_server() for r in remotes]
                    queries(here, here / "store", size, args.runs, answering)
            finally:
                for remote in remotes:
                    remote.stop()
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
