"""One Turtle and one JSON-LD file per partnership: the graphs of its reports and their results.

While the main loop reads the store graph by graph, each report graph's lines are appended to a
scratch file of its partnership. Graph IRIs sort by partnership (``{base}report/{slug}/...``),
so a partnership's graphs are read one after another; once its last graph is read its name goes
to a :class:`~s3graph.export.background.Background` job that sorts the scratch file and writes
the partnership's files while the main loop reads on.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from s3graph.export.background import Background, can_fork
from s3graph.export.sorting import LineSorter
from s3graph.export.views import Syntax, write_view
from s3graph.resources import resource_dir
from s3graph.slug import slugify
from s3graph.store import GraphStore

__all__ = ["PARTNERSHIP_DIR", "PartnershipFiles", "partnership_graphs"]

#: Folder of the per-partnership files.
PARTNERSHIP_DIR = "partnerships"
#: Formats written per partnership.
FORMATS = ("ttl", "jsonld")


def partnership_graphs(store: GraphStore) -> dict[str, list[str]]:
    """Partnership IRI -> the named graphs of its slice (its reports and their validation)."""
    text = (resource_dir("queries") / "dumps" / "partnership-graphs.rq").read_text("utf-8")
    slices: dict[str, list[str]] = {}
    for row in store.query(text):  # type: ignore[union-attr]
        slices.setdefault(row["partnership"].value, []).append(row["graph"].value)
    return slices


def file_names(partnerships: Collection[str]) -> dict[str, str]:
    """A file name per partnership IRI: the slug of its last segment, unique among them."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for partnership in sorted(partnerships):
        name = slugify(partnership.rstrip("/").rsplit("/", 1)[-1]) or "partnership"
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{name}-{n}", n + 1
        taken.add(unique)
        names[partnership] = unique
    return names


class PartnershipFiles:
    """Gathers each partnership's lines as graphs are read and has its files written."""

    def __init__(
        self,
        slices: Mapping[str, list[str]],
        out: Path,
        work: Path,
        *,
        formats: Collection[str],
        gzip: bool,
        syntax: Syntax,
    ) -> None:
        self.names = file_names(slices)
        self.formats = [f for f in FORMATS if f in formats]
        self.out = out / PARTNERSHIP_DIR
        self.work = work
        self.gzip = gzip
        self.syntax = syntax
        self._owners: dict[str, list[str]] = {}
        self._left: dict[str, int] = {}
        for partnership, graphs in slices.items():
            self._left[partnership] = len(set(graphs))
            for graph in set(graphs):
                self._owners.setdefault(graph, []).append(partnership)
        self._files: dict[str, BinaryIO] = {}
        self._ready: Any = mp.get_context("fork").SimpleQueue() if can_fork() else None
        self._done: list[str] = []
        self._job: Background[dict[str, str]] = Background(self._write_ready)

    def add(self, graph: str | None, lines: list[bytes]) -> None:
        """The lines of ``graph``, read from the store: kept for the partnerships it belongs to."""
        for partnership in self._owners.get(graph or "", ()):
            file = self._files.get(partnership)
            if file is None:
                self.work.mkdir(parents=True, exist_ok=True)
                file = self._files[partnership] = self._scratch(partnership).open("wb")
            file.writelines(lines)
            self._left[partnership] -= 1
            if not self._left[partnership]:
                file.close()
                self._announce(partnership)

    def finish(self) -> dict[Path, str]:
        """Wait until every partnership's files are written: file -> partnership IRI."""
        for partnership, left in self._left.items():
            if left:  # a graph of its slice was not in the store after all
                self._close(partnership)
                self._announce(partnership)
        if self._ready is not None:
            self._ready.put(None)
        written = self._job.result()
        return {self.out.parent / path: partnership for path, partnership in written.items()}

    def stop(self) -> None:
        """Give up (the export failed): end the background job."""
        for partnership in list(self._files):
            self._close(partnership)
        self._job.stop()

    def _announce(self, partnership: str) -> None:
        if self._ready is not None:
            self._ready.put(partnership)
        else:
            self._done.append(partnership)

    def _close(self, partnership: str) -> None:
        file = self._files.get(partnership)
        if file is not None:
            file.close()

    def _names_ready(self) -> Iterator[str]:
        if self._ready is None:
            yield from self._done
            return
        while (partnership := self._ready.get()) is not None:
            yield partnership

    def _write_ready(self) -> dict[str, str]:
        """The background job: each ready partnership's files; relative path -> partnership."""
        written: dict[str, str] = {}
        for partnership in self._names_ready():
            sorter = LineSorter(self.work / "sort")
            scratch = self._scratch(partnership)
            if scratch.exists():
                with scratch.open("rb") as lines:
                    sorter.add(lines)
                scratch.unlink()
            stem = self.out / self.names[partnership]
            view = self.work / f"{self.names[partnership]}.view.nt"
            for path in write_view(
                sorter.sorted_unique(), stem, self.formats,
                gzip=self.gzip, scratch=view, syntax=self.syntax,
            ):  # fmt: skip
                written[str(path.relative_to(self.out.parent))] = partnership
        return written

    def _scratch(self, partnership: str) -> Path:
        return self.work / f"{self.names[partnership]}.nt"
