"""Named-query latency on stores of 100k and 1M quads, in memory, with every parameter filled.

    python bench/named.py [--quads 100000 1000000] [--runs 15] [--stores DIR]
    python bench/named.py --build-only --quads 1000000   # make (or check) a store and stop

A store is built as ``s3graph`` users build theirs: NUTS 2024 and the NUTS changes (from the
shared reference folder, ``--nuts``) are loaded as vocabulary
graphs, then distinct synthetic reports (``bench/synth.py``) are ingested with the links
(registry, collaborations, region judgements against NUTS) and the validation results, until the
store holds about the number of quads asked for. The synthetic reports draw their regions from
40 real ones, so every region is stated by hundreds of report graphs at 1M quads: the repeats
of shared facts under the union default graph that the named queries must not multiply.

Stores are kept under ``--stores`` (``named-<quads>/``, with a ``done.json`` written last) and
reused by later runs. Queries run the way the server runs them: on an in-memory copy
(:meth:`Store.in_memory_copy`), over the union of the named graphs, each required or optional
parameter bound to a value taken from the data (a partnership with many reports, a region code
many reports state, one report). Per query: rows, p50 and p95 over ``--runs`` runs after one
warm-up run, and the peak RSS of the process after it. The targets (p50 < 100 ms at 100k quads,
< 1 s at 1M) are printed beside the figures; it prints figures and never asserts timings.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import select
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

from synth import synth_report  # noqa: E402

from s3graph.ingest import ingest  # noqa: E402
from s3graph.linking.links import Linker  # noqa: E402
from s3graph.mapping.links import linked_mapper  # noqa: E402
from s3graph.namespaces import DEFAULT_BASE  # noqa: E402
from s3graph.resources import resource_dir  # noqa: E402
from s3graph.sparql import NamedQuery, load_query  # noqa: E402
from s3graph.store import Store  # noqa: E402
from s3graph.validate import validate_graph  # noqa: E402
from s3graph.vocab.nuts_csv import load_reference_dir  # noqa: E402
from s3graph.vocab.sources.base import ensure_base_vocabularies  # noqa: E402
from s3graph.vocab.sources.loading import load_file  # noqa: E402

BATCH = 300  # reports per ingest call: one atomic write of ~200k quads at most
NUTS_VERSIONS = (2024,)  # one version: the vocabulary stays a small part of 100k quads
TARGET_MS = {100_000: 100.0, 1_000_000: 1000.0}


def default_nuts_dir() -> Path | None:
    shared = os.environ.get("S3GRAPH_SHARED")
    folder = (Path(shared) if shared else BENCH_DIR.parent.parent / "shared") / "reference"
    return folder if (folder / "nuts-changes.csv").is_file() else None


# -- stores ------------------------------------------------------------------------------------


def build_store(path: Path, target: int, seed: int, nuts: Path | None) -> dict[str, int]:
    """Make the store ``path`` of about ``target`` quads (see the module's docstring)."""
    rng = random.Random(seed)
    index = None
    with Store.open(path) as store:
        if nuts is not None:
            for version in NUTS_VERSIONS:
                load_file(store, nuts / f"nuts-{version}.csv")
            load_file(store, nuts / "nuts-changes.csv")
            index = load_reference_dir(nuts, NUTS_VERSIONS)
        ensure_base_vocabularies(store)
        mapper = linked_mapper(Linker.load(index))
        written = 0
        quads = base = store.count()
        batch = 20  # a first small batch gives the quads per report
        with tempfile.TemporaryDirectory(prefix="s3graph-named-") as tmp:
            while quads < target:
                folder = Path(tmp) / f"batch-{written:06d}"
                folder.mkdir()
                for i in range(written, written + batch):
                    text = synth_report(i, rng, distinct=True)
                    (folder / f"synthetic-{i:06d}.txt").write_text(text, encoding="utf-8")
                ingest(
                    store, [folder], base=DEFAULT_BASE, map_report=mapper, validate=validate_graph
                )
                written += batch
                quads = store.count()
                per_report = max(1.0, (quads - base) / written)
                batch = min(BATCH, max(1, math.ceil((target - quads) / per_report)))
                print(f"  {path.name}: {written} reports, {quads} quads", file=sys.stderr)
    return {"reports": written, "quads": quads, "seed": seed}


def ensure_store(stores: Path, target: int, seed: int, nuts: Path | None) -> tuple[Path, dict]:
    """The store of about ``target`` quads under ``stores``; built unless a finished one is."""
    path = stores / f"named-{target}"
    done = path / "done.json"
    if done.is_file():
        return path, json.loads(done.read_text(encoding="utf-8"))
    if path.exists():
        raise SystemExit(f"named.py: {path} is an unfinished store: remove it and run again")
    stores.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    facts = build_store(path, target, seed, nuts)
    facts["build_seconds"] = round(time.perf_counter() - started)
    done.write_text(json.dumps(facts), encoding="utf-8")
    return path, facts


# -- parameters --------------------------------------------------------------------------------

S3G = "https://w3id.org/s3graph/def#"

PICKS = {
    # the partnership with the most reports (ties: the first IRI)
    "partnership": f"""
        SELECT ?value WHERE {{
          {{ SELECT ?value (COUNT(DISTINCT ?r) AS ?n)
             WHERE {{ ?r a <{S3G}MonitoringReport> ; <{S3G}partnership> ?value }}
             GROUP BY ?value }}
        }} ORDER BY DESC(?n) ?value LIMIT 1""",
    # the region most reports list
    "region": f"""
        SELECT ?value WHERE {{
          {{ SELECT ?value (COUNT(DISTINCT ?r) AS ?n)
             WHERE {{ ?m <http://www.w3.org/ns/org#member> ?value ; <{S3G}reportedIn> ?r .
                      ?value a <{S3G}Region> }}
             GROUP BY ?value }}
        }} ORDER BY DESC(?n) ?value LIMIT 1""",
    "report": f"""
        SELECT ?value WHERE {{ ?value a <{S3G}MonitoringReport> }} ORDER BY ?value LIMIT 1""",
    "rule": f"""
        SELECT ?value WHERE {{
          {{ SELECT ?value (COUNT(*) AS ?n) WHERE {{ ?x <{S3G}rule> ?value }} GROUP BY ?value }}
        }} ORDER BY DESC(?n) ?value LIMIT 1""",
}


def pick_parameters(store: Store) -> dict[str, ox.Term]:
    """A value from the data for every parameter name the named queries use."""
    picked: dict[str, ox.Term] = {}
    for name, text in PICKS.items():
        rows = list(store.query(text))
        if rows:
            picked[name] = rows[0]["value"]
    region = picked.get("region")
    if region is not None:
        notation = "<http://www.w3.org/2004/02/skos/core#notation>"
        text = f"SELECT ?r (MIN(?c) AS ?code) WHERE {{ ?r {notation} ?c }} GROUP BY ?r"
        codes = list(store.query(text, {"r": region}))
        if codes and codes[0]["code"] is not None:
            picked["code"] = ox.Literal(codes[0]["code"].value)
    picked["resource"] = picked.get("partnership", ox.NamedNode(DEFAULT_BASE))
    return picked


def bindings(query: NamedQuery, picked: dict[str, ox.Term]) -> dict[str, ox.Term]:
    return {p.name: picked[p.name] for p in query.parameters if p.name in picked}


# -- timing ------------------------------------------------------------------------------------


def rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_query(store: Store, query: NamedQuery, bound: dict[str, ox.Term], runs: int) -> dict:
    """Rows, p50 and p95 in ms: one warm-up run, then ``runs`` runs (3 when one takes > 2 s)."""
    started = time.perf_counter()
    rows = sum(1 for _row in store.query(query.text, bound))
    if time.perf_counter() - started > 2.0:
        runs = min(runs, 3)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for _row in store.query(query.text, bound):
            pass
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return {"rows": rows, "p50": statistics.median(times), "p95": p95, "peak": rss_mb("VmHWM")}


def isolated(work: Callable[[], dict], timeout: float, memory_mb: float) -> dict:
    """``work()`` in a forked child (sharing the loaded store), killed after ``timeout`` seconds
    or when it needs ``memory_mb`` more than the store: a query whose repeats multiply must not
    take the machine down with it."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            vm = rss_mb("VmSize")
            limit = int((vm + memory_mb) * 1024 * 1024)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            payload = json.dumps(work())
        except BaseException as exc:  # reported to the parent
            payload = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
        os.write(write, payload.encode("utf-8"))
        os._exit(0)
    os.close(write)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"error": f"over {timeout:g} s"}
            chunk = pipe.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"error": f"died ({os.waitstatus_to_exitcode(status)}: out of memory?)"}
    return json.loads(b"".join(chunks))


def shipped_queries(folder: Path | None) -> list[NamedQuery]:
    """The named queries, then the export's tables and description queries (``tables/x``)."""
    if folder is None:
        folder = resource_dir("queries")
    found = [load_query(str(p)) for p in sorted(folder.glob("*.rq"))]
    for sub in ("tables", "dumps"):
        for path in sorted((folder / sub).glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            name = f"{sub}/{path.stem}"
            found.append(NamedQuery(name, name, "", (), (), text, path))
    return found


def bench_store(path: Path, facts: dict, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    store = Store.in_memory_copy(path)
    loaded = time.perf_counter() - started
    picked = pick_parameters(store)
    target = TARGET_MS.get(min(TARGET_MS, key=lambda t: abs(t - facts["quads"])), 1000.0)
    print(
        f"\n{facts['quads']} quads, {facts['reports']} reports ({path}); in-memory copy in "
        f"{loaded:.1f} s, RSS {rss_mb('VmRSS'):.0f} MB; target for named queries: p50 < "
        f"{target:g} ms"
    )
    print("parameters: " + ", ".join(f"{k}={v}" for k, v in sorted(picked.items())))
    print(f"{'query':<28} {'rows':>7} {'p50 ms':>9} {'p95 ms':>9} {'peak RSS MB':>12}  target")
    over = 0
    for query in shipped_queries(args.queries):
        if args.query and query.name not in args.query:
            continue
        bound = bindings(query, picked)
        got = isolated(
            lambda q=query, b=bound: time_query(store, q, b, args.runs), args.timeout, args.memory
        )
        named = "/" not in query.name
        if "error" in got:
            over += named
            print(f"{query.name:<28} {'-':>7} {'-':>9} {'-':>9} {'-':>12}  {got['error']}")
            continue
        ok = got["p50"] < target
        over += named and not ok
        mark = ("ok" if ok else "OVER") if named else "(export)"
        print(
            f"{query.name:<28} {got['rows']:>7} {got['p50']:>9.1f} {got['p95']:>9.1f} "
            f"{got['peak']:>12.0f}  {mark}"
        )
    print(f"{over} named queries over the target")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--stores",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bench-stores",
        help="where built stores are kept between runs (default: bench-stores in the temp folder)",
    )
    parser.add_argument("--nuts", type=Path, default=default_nuts_dir(), help="NUTS CSV folder")
    parser.add_argument("--query", action="append", help="only this query (repeatable)")
    parser.add_argument(
        "--queries", type=Path, default=None, help="folder of .rq files instead of the shipped one"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per query at most")
    parser.add_argument(
        "--memory", type=float, default=6000.0, help="MB a query may add to the store at most"
    )
    parser.add_argument("--build-only", action="store_true", help="make the stores and stop")
    args = parser.parse_args(argv)
    print(f"named queries in memory, {os.cpu_count()} cores, {args.runs} runs per query")
    for target in args.quads:
        path, facts = ensure_store(args.stores, target, args.seed, args.nuts)
        if args.build_only:
            print(f"{path}: {facts}")
            continue
        bench_store(path, facts, args)


if __name__ == "__main__":
    main()
