"""Sorting more lines than should sit in memory: sorted runs on disk, merged lazily.

The export writes every file in sorted order, so two exports of the same store are byte-identical
and a diff between two exports shows what changed. Lines are added in any order; once
:data:`RUN_LINES` are held they are sorted and written to a run file in the work folder, and
:meth:`LineSorter.sorted_unique` merges the runs, dropping repeated lines (a triple stated in two
graphs is one triple of the union). Memory stays at one run whatever the size of the data.
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

__all__ = ["RUN_LINES", "LineSorter"]

#: Lines held in memory before a sorted run is written (~40 MB of N-Triples).
RUN_LINES = 200_000


class LineSorter:
    """Collects newline-terminated byte lines; gives them back sorted, each once."""

    def __init__(self, work: Path, *, run_lines: int = RUN_LINES) -> None:
        self.work = work
        self.run_lines = run_lines
        self._held: list[bytes] = []
        self._runs: list[Path] = []

    def add(self, lines: Iterable[bytes]) -> None:
        """Take ``lines`` (each ending with ``\\n``), spilling a sorted run whenever one is full."""
        source = iter(lines)
        while True:
            self._held.extend(itertools.islice(source, self.run_lines - len(self._held)))
            if len(self._held) < self.run_lines:
                return
            self._spill()

    def sorted_unique(self) -> Iterator[bytes]:
        """Every line added, in byte order, repeats dropped; the run files are removed after."""
        self._held.sort()
        if not self._runs:
            held, self._held = self._held, []
            yield from _unique(held)
            return
        self._spill()
        files = [run.open("rb") for run in self._runs]
        try:
            yield from _unique(heapq.merge(*files))
        finally:
            _close(files)
            for run in self._runs:
                run.unlink(missing_ok=True)
            self._runs = []

    def _spill(self) -> None:
        self._held.sort()
        self.work.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=self.work, suffix=".run", delete=False) as run:
            run.writelines(_unique(self._held))
        self._runs.append(Path(run.name))
        self._held = []


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted ``lines`` without their repeats."""
    return (line for line, _ in itertools.groupby(lines))


def _close(files: Sequence[IO[bytes]]) -> None:
    for file in files:
        file.close()
