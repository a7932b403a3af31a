"""Memory and CPU of a process and its descendants, read from Linux's ``/proc``.

The server under test is a tree (``serve`` -> zygote -> query workers) whose workers come and go,
so what matters is the tree, sampled often: :class:`TreeSampler` keeps the largest resident set
seen per process, and :func:`tree_cpu` sums the CPU time of the processes alive now. Only the
standard library is used (no psutil), so the attack tests and the load benchmark share it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (field 3 onwards), or None."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:  # gone (or not ours to read)
        return None
    # The command name is in parentheses and may itself hold spaces and parentheses.
    return text[text.rindex(")") + 2 :].split()


def parents() -> dict[int, int]:
    """Every visible process id with its parent's id."""
    found: dict[int, int] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                found[int(entry.name)] = int(fields[1])
    return found


def descendants(pid: int) -> list[int]:
    """The children of ``pid``, their children and so on (not ``pid`` itself)."""
    children: dict[int, list[int]] = {}
    for child, parent in parents().items():
        children.setdefault(parent, []).append(child)
    out: list[int] = []
    todo = list(children.get(pid, ()))
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(children.get(child, ()))
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    return [pid, *descendants(pid)]


def rss(pid: int) -> int:
    """Resident set size of ``pid`` in bytes (0 when it is gone or a zombie)."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time ``pid`` has used, in seconds; None when it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_of(pids: Iterable[int]) -> dict[int, float]:
    """CPU seconds per process of ``pids`` that is still there."""
    out = {}
    for pid in pids:
        used = cpu_seconds(pid)
        if used is not None:
            out[pid] = used
    return out


def tree_cpu(pid: int, window: float) -> float:
    """CPU seconds the tree of ``pid`` used during the next ``window`` seconds.

    Processes that start within the window count in full; those that end within it are missed
    (their time goes to the parent's children's time only when reaped, in one lump).
    """
    before = cpu_of(tree(pid))
    time.sleep(window)
    after = cpu_of(tree(pid))
    return sum(used - before.get(p, 0.0) for p, used in after.items())


@dataclass
class TreeSampler:
    """Samples the resident sets of a process tree in a thread, every ``interval`` seconds.

    Keeps the root's samples in order (for start/max/end), the tree's total per sample, and the
    largest resident set each process ever had (a worker killed over its limit is gone by the
    time anyone looks, but its peak is here).
    """

    root: int
    interval: float = 0.05
    root_samples: list[int] = field(default_factory=list)
    tree_samples: list[int] = field(default_factory=list)
    peaks: dict[int, int] = field(default_factory=dict)
    firsts: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        total = 0
        for pid in tree(self.root):
            size = rss(pid)
            total += size
            if size and pid not in self.firsts:
                self.firsts[pid] = size
            if size > self.peaks.get(pid, 0):
                self.peaks[pid] = size
        self.root_samples.append(rss(self.root))
        self.tree_samples.append(total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._thread = threading.Thread(target=self._run, name="tree-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    def worker_peak(self) -> int:
        """The largest resident set any process of the tree but the root had."""
        return max((size for pid, size in self.peaks.items() if pid != self.root), default=0)

    def worker_growth(self) -> int:
        """The most any process of the tree but the root grew over its first sample."""
        return max(
            (self.peaks[pid] - first for pid, first in self.firsts.items() if pid != self.root),
            default=0,
        )

    def root_growth(self) -> int:
        """How far the root's resident set rose above its first sample."""
        return max(self.root_samples, default=0) - (self.root_samples or [0])[0]


def mib(size: int) -> str:
    return f"{size / MIB:.0f} MiB"
