"""Generate the packaged NUTS snapshot from the NUTS classification tables.

``python -m s3graph.vocab.snapshot_build SRC_DIR [--out DIR]`` reads ``nuts-<year>.csv`` (2010,
2013, 2016, 2021, 2024) and ``nuts-changes.csv`` (the reference layout that
:mod:`s3graph.vocab.nuts_csv` reads, made from Eurostat's classification files) and writes, by
default next to this module:

* ``nuts-snapshot.json.gz``: every region once per run of versions in which it kept the same
  level, labels and parent (``[code, level, label, label_latin, parent, [versions]]``, an empty
  ``label_latin`` meaning "same as label", an empty parent meaning none), then every change row;
* ``nuts-snapshot-NOTICE.txt``: where the data comes from, when it was generated, the SHA-256
  of each input and Eurostat's terms of reuse.

The data file is a function of the inputs alone (sorted rows, fixed gzip header without time or
name), so generating it twice gives the same bytes and a test can regenerate it and compare. The
notice carries the generation date: today (UTC), or ``SOURCE_DATE_EPOCH`` when set, as
reproducible builds do.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from s3graph.vocab.nuts_csv import read_changes_csv, read_reference_csv
from s3graph.vocab.nuts_index import NutsChange, NutsRegion

#: The versions the snapshot carries.
SNAPSHOT_VERSIONS: tuple[int, ...] = (2010, 2013, 2016, 2021, 2024)
#: The files written, next to this module unless told otherwise.
DATA_NAME = "nuts-snapshot.json.gz"
NOTICE_NAME = "nuts-snapshot-NOTICE.txt"
#: The layout of the data file (read back by :mod:`s3graph.vocab.nuts_snapshot`).
FORMAT = "s3graph-nuts-snapshot/1"

#: Where Eurostat publishes the classification files the tables were made from.
EUROSTAT_FILES = "https://ec.europa.eu/eurostat/documents/345175/629341/"
#: The Eurostat file(s) behind each input table.
OFFICIAL_FILES: dict[str, tuple[str, ...]] = {
    "nuts-2010.csv": ("2006-2010.xls", "NUTS+2010+-+NUTS+2013.xls"),
    "nuts-2013.csv": ("NUTS+2010+-+NUTS+2013.xls",),
    "nuts-2016.csv": ("NUTS2013-NUTS2016.xlsx", "NUTS2016-NUTS2021.xlsx"),
    "nuts-2021.csv": ("NUTS2016-NUTS2021.xlsx",),
    "nuts-2024.csv": ("NUTS2021-NUTS2024.xlsx",),
    "nuts-changes.csv": (
        "NUTS+2010+-+NUTS+2013.xls",
        "NUTS2013-NUTS2016.xlsx",
        "NUTS2016-NUTS2021.xlsx",
        "NUTS2021-NUTS2024.xlsx",
    ),
}

#: The source in one line (the notice's ``Source:`` field).
SOURCE = f"Eurostat, NUTS classification files ({EUROSTAT_FILES})"

RegionRow = list[object]


def input_names() -> list[str]:
    """The file names read from the source folder, in the order they are read."""
    return [*(f"nuts-{v}.csv" for v in SNAPSHOT_VERSIONS), "nuts-changes.csv"]


def _region_key(region: NutsRegion) -> tuple[object, ...]:
    """What must stay equal for two versions of a code to share one row."""
    latin = "" if region.label_latin == region.label else region.label_latin
    return (region.code, region.level, region.label, latin, region.parent or "")


def region_rows(regions: Sequence[NutsRegion]) -> list[RegionRow]:
    """One row per code and unchanged description, with the versions it holds for, sorted."""
    versions: dict[tuple[object, ...], list[int]] = {}
    for region in regions:
        versions.setdefault(_region_key(region), []).append(region.version)
    rows = [[*key, sorted(held)] for key, held in versions.items()]
    return sorted(rows, key=lambda row: (str(row[0]), row[5]))


def change_row(change: NutsChange) -> list[object]:
    return [change.from_version, change.from_code, change.to_version, change.to_code, change.change]


def snapshot_bytes(regions: Sequence[NutsRegion], changes: Sequence[NutsChange]) -> bytes:
    """The gzip-compressed data file: one JSON document, one row per line, no time in it."""
    unique = {tuple(change_row(c)): None for c in changes}
    ordered = sorted(unique, key=lambda row: tuple("" if x is None else str(x) for x in row))
    lines = [
        "{",
        f'"format": {json.dumps(FORMAT)},',
        f'"versions": {json.dumps(sorted({r.version for r in regions}))},',
        '"regions": [',
        ",\n".join(json.dumps(row, ensure_ascii=False) for row in region_rows(regions)),
        "],",
        '"changes": [',
        ",\n".join(json.dumps(list(row), ensure_ascii=False) for row in ordered),
        "]",
        "}",
        "",
    ]
    return gzip.compress("\n".join(lines).encode("utf-8"), compresslevel=9, mtime=0)


def read_sources(src: Path) -> tuple[list[NutsRegion], list[NutsChange]]:
    """Every snapshot version's regions and the change rows, read (and checked) from ``src``."""
    regions: list[NutsRegion] = []
    for version in SNAPSHOT_VERSIONS:
        regions.extend(read_reference_csv(src / f"nuts-{version}.csv", version))
    return regions, read_changes_csv(src / "nuts-changes.csv")


def generation_date() -> date:
    """Today in UTC, or the day of ``SOURCE_DATE_EPOCH`` (seconds since 1970) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.date()


def notice_text(src: Path, data: bytes, generated: date) -> str:
    """The notice beside the data: its source, the date, the inputs' digests and the reuse terms."""
    inputs = "\n".join(
        f"  {name}  sha256 {hashlib.sha256((src / name).read_bytes()).hexdigest()}"
        for name in input_names()
    )
    official = sorted({f for files in OFFICIAL_FILES.values() for f in files})
    urls = "\n".join(f"  {EUROSTAT_FILES}{name}" for name in official)
    return f"""\
NUTS classification snapshot (NUTS {", ".join(map(str, SNAPSHOT_VERSIONS))})

Format: {FORMAT}
Source: {SOURCE}
Generated: {generated.isoformat()}
Data file: {DATA_NAME}  sha256 {hashlib.sha256(data).hexdigest()}

What it is
  The codes, levels, labels (national and Latin script) and parents of the NUTS regions of
  every version listed above, and the table of code changes between consecutive versions.
  s3graph judges region codes against it whenever no NUTS version was loaded into the store;
  a version loaded with `s3graph vocab load` or `s3graph vocab fetch nuts` takes its place.

Source
  Eurostat, NUTS classification (Nomenclature of territorial units for statistics), from the
  classification and correspondence files Eurostat publishes at:
{urls}
  The tables were first reformatted as CSV (one file per version plus the change table; Latin
  labels partly derived, change relations parsed from the correspondence sheets), then turned
  into this file by `python -m s3graph.vocab.snapshot_build` from these inputs:
{inputs}

Reuse
  The NUTS classification is (c) European Union, Eurostat. Eurostat lets anyone reuse its data
  and metadata, for commercial or non-commercial purposes, free of charge, on the condition that
  the source is acknowledged and changes are indicated (Commission Decision 2011/833/EU on the
  reuse of Commission documents). Acknowledge it as: "Source: Eurostat, NUTS classification
  (NUTS 2010-2024), modified (reformatted by s3graph)". The exceptions of Eurostat's copyright
  notice (material of third parties, data of some non-EU countries for commercial
  redistribution) are not waived by this file.
"""


def build(src: Path, out: Path) -> tuple[Path, Path]:
    """Write the data file and its notice into ``out``; returns their paths."""
    regions, changes = read_sources(src)
    data = snapshot_bytes(regions, changes)
    out.mkdir(parents=True, exist_ok=True)
    data_path, notice_path = out / DATA_NAME, out / NOTICE_NAME
    data_path.write_bytes(data)
    notice_path.write_text(notice_text(src, data, generation_date()), encoding="utf-8")
    return data_path, notice_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m s3graph.vocab.snapshot_build",
        description="Generate the packaged NUTS snapshot from the NUTS reference CSV files.",
    )
    parser.add_argument("src", type=Path, help="folder with nuts-<year>.csv and nuts-changes.csv")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent, help="where to write (the package)"
    )
    args = parser.parse_args(argv)
    missing = [name for name in input_names() if not (args.src / name).is_file()]
    if missing:
        print(f"{args.src}: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    for path in build(args.src, args.out):
        print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
