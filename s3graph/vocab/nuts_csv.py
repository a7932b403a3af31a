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
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from s3graph.errors import ReportError
from s3graph.vocab.nuts_index import NutsChange, NutsIndex, NutsRegion

Source = str | os.PathLike[str]

REFERENCE_COLUMNS = ("code", "level", "country", "label", "label_latin", "parent")
GISCO_COLUMNS = ("NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME")
CHANGE_COLUMNS = ("from_version", "from_code", "to_version", "to_code", "change")


class NutsCsvError(ReportError, ValueError):
    """A NUTS CSV that cannot be read: names the file (``<text>`` for text), the line and why."""


_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _text_of(source: Source, name: str | None) -> tuple[str, str]:
    """The CSV's name (for errors) and text.

    With ``name``, ``source`` is the text of that file; otherwise a string holding a line break
    is text (named ``<text>``) and anything else a path, read as UTF-8 (BOM allowed).
    """
    if name is not None or (isinstance(source, str) and ("\n" in source or "\r" in source)):
        return name or "<text>", str(source).removeprefix("\ufeff")
    path = Path(source)
    return str(path), path.read_text(encoding="utf-8-sig")


def header_of(text: str) -> list[str]:
    """The stripped column names of a CSV text."""
    return [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")), [])]


def layout(header: Sequence[str]) -> str | None:
    """``reference``, ``gisco`` or ``changes``: which NUTS table a header belongs to, if any."""
    for name, columns in (
        ("reference", REFERENCE_COLUMNS),
        ("gisco", GISCO_COLUMNS),
        ("changes", CHANGE_COLUMNS),
    ):
        if _column_map(list(header), columns) is not None:
            return name
    return None


def _rows(name: str, text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (stripped) and the non-blank rows with their first line, keyed by column name.

    A row with fewer cells than the header is an error naming its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    rows = []
    line = 1
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            raise NutsCsvError(name, start, f"{len(header)} cells like the header", ",".join(cells))
        rows.append((start, {h: cells[i].strip() for i, h in enumerate(header)}))
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


def read_reference_csv(
    source: Source, version: int, *, name: str | None = None
) -> list[NutsRegion]:
    """Regions of one NUTS version from a CSV path or text (reference or GISCO layout).

    Every row is checked (a NUTS code, a level 0-3, each code once); a bad one raises
    :class:`NutsCsvError` with its line.
    """
    name, text = _text_of(source, name)
    header, rows = _rows(name, text)
    cols = _column_map(header, REFERENCE_COLUMNS)
    code_col, level_col, make = "code", "level", _reference_region
    if cols is None:
        cols = _column_map(header, GISCO_COLUMNS)
        code_col, level_col, make = "NUTS_ID", "LEVL_CODE", _gisco_region
    if cols is None:
        raise NutsCsvError(
            name,
            1,
            f"the columns {', '.join(REFERENCE_COLUMNS)} or {', '.join(GISCO_COLUMNS)}",
            ",".join(header),
        )
    regions: list[NutsRegion] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        code, level = row[cols[code_col]].upper(), row[cols[level_col]]
        if not _CODE.match(code):
            raise NutsCsvError(name, line, "a NUTS code like FI1D7", code)
        if level not in ("0", "1", "2", "3"):
            raise NutsCsvError(name, line, f"a NUTS level 0-3 for {code}", level)
        if code in seen:
            raise NutsCsvError(
                name, line, f"each code once, but {code} is already on line {seen[code]}"
            )
        seen[code] = line
        regions.append(make(row, cols, version))
    if not regions:
        raise NutsCsvError(name, 2, f"rows of NUTS {version} regions after the header", "")
    return regions


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


def _change(name: str, line: int, row: Mapping[str, str], cols: Mapping[str, str]) -> NutsChange:
    for side in ("from", "to"):
        year, code = row[cols[f"{side}_version"]], row[cols[f"{side}_code"]].upper()
        if year and not _YEAR.match(year):
            raise NutsCsvError(name, line, f"a year in {side}_version", year)
        if code and not _CODE.match(code):
            raise NutsCsvError(name, line, f"a NUTS code in {side}_code", code)
        if code and not year:
            raise NutsCsvError(name, line, f"the {side}_version of {code}", "")
    if not row[cols["from_code"]] and not row[cols["to_code"]]:
        raise NutsCsvError(name, line, "a from_code or a to_code", ",".join(row.values()))
    if not row[cols["change"]]:
        raise NutsCsvError(name, line, "the kind of change in the column change", "")
    return NutsChange(
        from_version=_int_or_none(row[cols["from_version"]]),
        from_code=row[cols["from_code"]].upper() or None,
        to_version=_int_or_none(row[cols["to_version"]]),
        to_code=row[cols["to_code"]].upper() or None,
        change=row[cols["change"]],
    )


def read_changes_csv(source: Source, *, name: str | None = None) -> list[NutsChange]:
    """Code relations between versions from a CSV path or text (``nuts-changes.csv`` layout).

    Every row is checked (years, codes, a kind of change); a bad one raises
    :class:`NutsCsvError` with its line.
    """
    name, text = _text_of(source, name)
    header, rows = _rows(name, text)
    cols = _column_map(header, CHANGE_COLUMNS)
    if cols is None:
        raise NutsCsvError(name, 1, f"the columns {', '.join(CHANGE_COLUMNS)}", ",".join(header))
    changes = [_change(name, line, row, cols) for line, row in rows]
    if not changes:
        raise NutsCsvError(name, 2, "rows of NUTS changes after the header", "")
    return changes


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
