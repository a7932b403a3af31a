"""The NUTS classification packaged with s3graph (2010 to 2024), so regions are judged from the
first command, and how versions loaded by the user take its place.

The data file and its notice are made by :mod:`s3graph.vocab.snapshot_build` from Eurostat's
classification files. :func:`snapshot_index` reads the data once per process;
:func:`with_snapshot` puts the versions held in the store over it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from s3graph.vocab.nuts_index import SNAPSHOT, NutsChange, NutsIndex, NutsRegion

#: The packaged files (names as :mod:`s3graph.vocab.snapshot_build` writes them).
DATA_PATH = Path(__file__).with_name("nuts-snapshot.json.gz")
NOTICE_PATH = Path(__file__).with_name("nuts-snapshot-NOTICE.txt")
FORMAT = "s3graph-nuts-snapshot/1"


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """What the snapshot is: its versions, where it comes from and when it was generated."""

    versions: tuple[int, ...]
    source: str
    generated: date
    notice: str  # the full notice text, with Eurostat's terms of reuse


def _regions(rows: list[list[Any]]) -> list[NutsRegion]:
    return [
        NutsRegion(
            code=code,
            level=level,
            country=code[:2],
            label=label,
            label_latin=latin or label,
            parent=parent or None,
            version=version,
        )
        for code, level, label, latin, parent, versions in rows
        for version in versions
    ]


def _changes(rows: list[list[Any]]) -> list[NutsChange]:
    return [NutsChange(*row) for row in rows]


def read_snapshot(path: Path = DATA_PATH) -> NutsIndex:
    """The index of a snapshot data file, every version marked as from the snapshot."""
    document = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    if document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} file")
    regions = _regions(document["regions"])
    return NutsIndex.from_rows(regions, _changes(document["changes"]), SNAPSHOT)


@cache
def snapshot_index() -> NutsIndex:
    """The packaged snapshot, read on first use and kept (the same object on every call)."""
    return read_snapshot()


@cache
def snapshot_info() -> SnapshotInfo:
    """The snapshot's versions, source and generation date, from its notice."""
    notice = NOTICE_PATH.read_text(encoding="utf-8")
    fields = dict(
        line.split(": ", 1) for line in notice.splitlines() if line[:1].isalpha() and ": " in line
    )
    return SnapshotInfo(
        versions=snapshot_index().versions,
        source=fields["Source"].strip(),
        generated=date.fromisoformat(fields["Generated"].strip()),
        notice=notice,
    )


def with_snapshot(stored: NutsIndex | None) -> NutsIndex:
    """The snapshot with every version of ``stored`` (what the user loaded) in place of its own.

    ``None`` (nothing loaded) gives the snapshot itself. The change table is the loaded one when
    one was loaded, else the snapshot's. Each version keeps its source, so a judgement says
    whether it used the snapshot or loaded data.
    """
    base = snapshot_index()
    return base if stored is None else base.overlaid(stored)
