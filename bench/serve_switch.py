"""How long a running ``s3graph serve`` takes to show a new ingest, and to stop on Ctrl-C.

    python bench/serve_switch.py [--triples 100000] [--rounds 5] [--disk] [--keep]

Builds an on-disk store of about ``--triples`` quads from distinct synthetic reports
(``bench/endpoint.py``'s ``build_store``) and starts ``s3graph serve --port 0`` over it (in
memory, or ``--disk``). Each round writes one more synthetic report and runs ``s3graph ingest``
on it as its own process, while 16 client threads keep asking ``/`` and a SPARQL count over the
real socket; from the moment that process ended, ``/sparql`` is asked every 10 ms for the number
of reports until it has grown. Printed per round: the ingest's own time, the switch time (ingest
end to visible: the poll, the new zygote's copy of the store, its first worker), the requests
answered meanwhile and any that did not answer 200, and the memory of the server's process tree
(proportional set size, so pages shared copy-on-write count once) at its highest during the
switch and once settled. Last, a query that would run for minutes is sent and SIGINT follows
1 s later: the time until the process ended, and whether any process of its tree is left.

It prints figures and asserts nothing. Everything it starts is stopped, its temporary folder
removed (unless ``--keep``).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import requests

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # endpoint.py, procfs.py, synth.py
sys.path.append(str(BENCH_DIR.parent))  # s3graph from the checkout when it is not installed

import procfs  # noqa: E402
from endpoint import build_store  # noqa: E402
from synth import synth_report  # noqa: E402

HOST = "127.0.0.1"
SERVING = re.compile(r"open (http://127\.0\.0\.1:\d+)/")
REPORTS = (
    "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/s3graph/def#MonitoringReport> }"
)
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
CLIENTS = 16
#: The most a round waits for the new report before it says it never came.
PATIENCE = 60.0


def s3graph(store: Path, *args: str) -> list[str]:
    command = "from s3graph.cli import main; main()"
    return [sys.executable, "-c", command, "--store", str(store), *args]


def pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes (0 when gone): shared pages split among sharers."""
    try:
        text = (procfs.PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_pss(pid: int) -> int:
    return sum(pss(p) for p in procfs.tree(pid))


def count(session: requests.Session, url: str) -> int:
    answer = session.get(f"{url}/sparql", params={"query": REPORTS}, timeout=60)
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


class Clients:
    """``CLIENTS`` threads asking a page and a query in turn until stopped; their statuses."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.statuses: list[int] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask) for _ in range(CLIENTS)]
        for thread in self._threads:
            thread.start()

    def _ask(self) -> None:
        with requests.Session() as session:
            while not self._stop.is_set():
                try:
                    if len(self.statuses) % 2:
                        answer = session.get(f"{self.url}/", timeout=60)
                    else:
                        answer = session.get(
                            f"{self.url}/sparql", params={"query": REPORTS}, timeout=60
                        )
                    self.statuses.append(answer.status_code)
                except requests.RequestException:
                    self.statuses.append(0)

    def stop(self) -> list[int]:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        return self.statuses


def one_round(store: Path, reports: Path, number: int, url: str, server: int) -> dict[str, float]:
    report = reports / f"later-{number:06d}.txt"
    report.write_text(synth_report(number, random.Random(number), distinct=True), "utf-8")
    with requests.Session() as session:
        before = count(session, url)
        clients = Clients(url)
        peak = 0
        try:
            started = time.monotonic()
            subprocess.run(s3graph(store, "ingest", str(report)), check=True, capture_output=True)
            ended = time.monotonic()
            while count(session, url) == before:
                peak = max(peak, tree_pss(server))
                if time.monotonic() - ended > PATIENCE:
                    raise SystemExit(f"round {number}: the new report did not show in {PATIENCE} s")
                time.sleep(0.01)
            shown = time.monotonic()
        finally:
            statuses = clients.stop()
    return {
        "ingest": ended - started,
        "switch": shown - ended,
        "requests": len(statuses),
        "failed": sum(1 for s in statuses if s != 200),
        "peak": max(peak, tree_pss(server)),
    }


def stop_during_query(url: str, server: subprocess.Popen[str]) -> tuple[float, list[int]]:
    """Seconds from SIGINT to the end of ``server`` with a long query in flight; pids left."""

    def endless() -> None:
        with contextlib.suppress(requests.RequestException):  # the server ends meanwhile
            requests.get(f"{url}/sparql", params={"query": ENDLESS}, timeout=120)

    asking = threading.Thread(target=endless, daemon=True)
    asking.start()
    time.sleep(1.0)
    tree = procfs.descendants(server.pid)
    sent = time.monotonic()
    server.send_signal(signal.SIGINT)
    server.wait(timeout=60)
    took = time.monotonic() - sent
    time.sleep(0.2)  # the kernel's death signals travel down the tree
    left = [pid for pid in tree if procfs.rss(pid) > 0]
    return took, left


def mib(size: float) -> str:
    return f"{size / (1 << 20):,.0f} MiB"


def run(args: argparse.Namespace, work: Path) -> int:
    store, reports = work / "store", work / "reports"
    built, quads = build_store(store, reports, args.triples, seed=1)
    print(f"store: {built} reports, {quads:,} quads ({'disk' if args.disk else 'in memory'})")
    command = s3graph(store, "serve", "--host", HOST, "--port", "0")
    server = subprocess.Popen(
        [*command, *(["--disk"] if args.disk else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        found = SERVING.search(server.stdout.readline())
        if not found:
            print("serve did not start:", server.stderr.read() if server.stderr else "")
            return 1
        url = found.group(1)
        time.sleep(1.0)
        settled = tree_pss(server.pid)
        print(f"server tree settled: {mib(settled)}")
        print("round  ingest s  switch s  requests  failed  peak memory  settled after")
        rounds = []
        for number in range(args.rounds):
            figures = one_round(store, reports, built + number, url, server.pid)
            time.sleep(args.settle)
            figures["settled"] = tree_pss(server.pid)
            rounds.append(figures)
            print(
                f"{number + 1:5d}  {figures['ingest']:8.2f}  {figures['switch']:8.2f}  "
                f"{figures['requests']:8.0f}  {figures['failed']:6.0f}  "
                f"{mib(figures['peak']):>11}  {mib(figures['settled']):>13}"
            )
        switches = [r["switch"] for r in rounds]
        print(
            f"switch (ingest end to visible): median {statistics.median(switches):.2f} s, "
            f"max {max(switches):.2f} s; target under 5 s"
        )
        print(
            f"requests during the switches: {sum(r['requests'] for r in rounds):.0f}, "
            f"not 200: {sum(r['failed'] for r in rounds):.0f}; target 0"
        )
        took, left = stop_during_query(url, server)
        print(f"SIGINT with a long query in flight: ended in {took:.2f} s (target under 2 s); "
              f"processes left: {left or 'none'}")
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="quads in the store")
    parser.add_argument("--rounds", type=int, default=5, help="ingests while serving")
    parser.add_argument("--disk", action="store_true", help="serve with --disk")
    parser.add_argument(
        "--settle",
        type=float,
        default=2.0,
        help="seconds after a switch before memory is read again (the old pool closes once its"
        " last query answered)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="s3graph-switch-"))
    try:
        return run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
