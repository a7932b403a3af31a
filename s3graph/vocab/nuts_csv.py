"""Read NUTS region and change tables from CSV into ``NutsRegion`` / ``NutsChange`` rows.

Columns are read by name, so their order does not matter. Two region layouts are understood:

* the reference layout of the shared folder: ``code, level, country, label, label_latin, parent``
  (more columns are ignored);
* the GISCO attribute table (``NUTS_AT_<year>.csv``): ``NUTS_ID, LEVL_CODE, CNTR_CODE, NAME_LATN,
  NUTS_NAME``; the parent is derived from the code.

Changes: ``from_version, from_code, to_version, to_code, change`` (``nuts-changes.csv``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from s3graph.vocab.nuts_index import NutsChange, NutsIndex, NutsRegion

Source = str | os.PathLike[str]

REFERENCE_COLUMNS = ("code", "level", "country", "label", "label_latin", "parent")
GISCO_COLUMNS = ("NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME")
CHANGE_COLUMNS = ("from_version", "from_code", "to_version", "to_code", "change")


class NutsCsvError(ValueError):
    """A CSV that is not one of the known NUTS layouts."""


def _text_of(source: Source) -> str:
    """The CSV text: a path is read (UTF-8, BOM allowed); a string holding a line break is text."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        text = source
    else:
        text = Path(source).read_text(encoding="utf-8-sig")
    return text.removeprefix("\ufeff")


def _rows(source: Source) -> tuple[list[str], list[dict[str, str]]]:
    """Header (stripped) and rows keyed by stripped column name, values stripped."""
    reader = csv.reader(io.StringIO(_text_of(source), newline=""))
    header = [h.strip() for h in next(reader, [])]
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        rows.append({h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)})
    return header, rows


def _column_map(header: list[str], wanted: Iterable[str]) -> dict[str, str] | None:
    """Map each wanted column (case-insensitive) to its spelling in the header, or None."""
    by_fold = {h.casefold(): h for h in header}
    found = {w: by_fold.get(w.casefold()) for w in wanted}
    if any(v is None for v in found.values()):
        return None
    return {k: v for k, v in found.items() if v is not None}


def _reference_region(row: Mapping[str, str], cols: Mapping[str, str], version: int) -> NutsRegion:
    code = row[cols["code"]].upper()
    label = row[cols["label"]]
    return NutsRegion(
        code=code,
        level=int(row[cols["level"]]),
        country=row[cols["country"]].upper() or code[:2],
        label=label,
        label_latin=row[cols["label_latin"]] or label,
        parent=row[cols["parent"]].upper() or None,
        version=version,
    )


def _gisco_region(row: Mapping[str, str], cols: Mapping[str, str], version: int) -> NutsRegion:
    code = row[cols["NUTS_ID"]].upper()
    level = int(row[cols["LEVL_CODE"]])
    latin = row[cols["NAME_LATN"]]
    return NutsRegion(
        code=code,
        level=level,
        country=row[cols["CNTR_CODE"]].upper() or code[:2],
        label=row[cols["NUTS_NAME"]] or latin,
        label_latin=latin or row[cols["NUTS_NAME"]],
        parent=code[:-1] if level > 0 else None,
        version=version,
    )


def read_reference_csv(source: Source, version: int) -> list[NutsRegion]:
    """Regions of one NUTS version from a CSV path or text (reference or GISCO layout)."""
    header, rows = _rows(source)
    cols = _column_map(header, REFERENCE_COLUMNS)
    if cols is not None:
        return [_reference_region(r, cols, version) for r in rows if r[cols["code"]]]
    cols = _column_map(header, GISCO_COLUMNS)
    if cols is not None:
        return [_gisco_region(r, cols, version) for r in rows if r[cols["NUTS_ID"]]]
    raise NutsCsvError(
        f"unknown NUTS CSV layout (header {header!r}); expected the columns "
        f"{', '.join(REFERENCE_COLUMNS)} or {', '.join(GISCO_COLUMNS)}"
    )


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


def read_changes_csv(source: Source) -> list[NutsChange]:
    """Code relations between versions from a CSV path or text (``nuts-changes.csv`` layout)."""
    header, rows = _rows(source)
    cols = _column_map(header, CHANGE_COLUMNS)
    if cols is None:
        raise NutsCsvError(
            f"unknown NUTS changes layout (header {header!r}); "
            f"expected the columns {', '.join(CHANGE_COLUMNS)}"
        )
    return [
        NutsChange(
            from_version=_int_or_none(r[cols["from_version"]]),
            from_code=r[cols["from_code"]].upper() or None,
            to_version=_int_or_none(r[cols["to_version"]]),
            to_code=r[cols["to_code"]].upper() or None,
            change=r[cols["change"]],
        )
        for r in rows
    ]


def load_reference_dir(directory: Source, versions: Iterable[int] | None = None) -> NutsIndex:
    """A ``NutsIndex`` from ``nuts-<version>.csv`` files and ``nuts-changes.csv`` in a folder.

    Without ``versions``, every ``nuts-<year>.csv`` found is read.
    """
    folder = Path(directory)
    if versions is None:
        versions = sorted(int(p.stem[5:]) for p in folder.glob("nuts-[0-9][0-9][0-9][0-9].csv"))
    regions: list[NutsRegion] = []
    for version in versions:
        regions.extend(read_reference_csv(folder / f"nuts-{version}.csv", version))
    changes_path = folder / "nuts-changes.csv"
    changes = read_changes_csv(changes_path) if changes_path.is_file() else []
    return NutsIndex.from_rows(regions, changes)
