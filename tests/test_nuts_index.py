"""The NUTS index: reading the shared reference CSVs and the GISCO layout, and the lookups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from s3graph.vocab.nuts_csv import (
    NutsCsvError,
    load_reference_dir,
    read_changes_csv,
    read_reference_csv,
)
from s3graph.vocab.nuts_index import NutsChange, NutsIndex, NutsRegion, is_extra_regio

#: Rows per file, as the reference README states them.
ROWS_PER_VERSION = {2010: 1797, 2013: 1828, 2016: 2128, 2021: 2121, 2024: 1903}
CHANGE_ROWS = 697


@pytest.fixture(scope="session")
def reference_dir(shared_dir: Path) -> Path:
    path = shared_dir / "reference"
    if not (path / "nuts-2021.csv").is_file():
        pytest.fail(f"the NUTS reference CSVs are missing from {path}")
    return path


@pytest.fixture(scope="session")
def nuts(reference_dir: Path) -> NutsIndex:
    return load_reference_dir(reference_dir)


# --------------------------------------------------------------------------------------------------
# Reading the shared CSVs


def test_counts_per_version(nuts: NutsIndex) -> None:
    assert nuts.versions == tuple(ROWS_PER_VERSION)
    counts = {v: sum(1 for _ in nuts.regions(v)) for v in nuts.versions}
    assert counts == ROWS_PER_VERSION


def test_change_rows(reference_dir: Path) -> None:
    changes = read_changes_csv(reference_dir / "nuts-changes.csv")
    assert len(changes) == CHANGE_ROWS
    assert NutsChange(2010, "EL24", 2013, "EL64", "recoded") in changes
    assert any(c.from_code is None and c.change == "new" for c in changes)


def test_region_rows_are_typed(nuts: NutsIndex) -> None:
    fi = nuts.region("FI1D7", 2016)
    assert fi == NutsRegion("FI1D7", 3, "FI", "Lappi", "Lappi", "FI1D", 2016)
    greek = nuts.region("EL64", 2016)
    assert greek is not None and greek.label_latin == "Sterea Elláda" and greek.country == "EL"
    greece = nuts.region("EL", 2016)
    assert greece is not None and greece.parent is None
    assert nuts.region("EL24", 2016) is None


def test_versions_of(nuts: NutsIndex) -> None:
    assert nuts.versions_of("EL24") == (2010,)
    assert nuts.versions_of("EL64") == (2013, 2016, 2021, 2024)
    assert nuts.versions_of("HR02") == (2021, 2024)
    assert nuts.versions_of("UKM6") == (2010, 2013, 2016, 2021)
    assert nuts.versions_of("ES25") == ()


# --------------------------------------------------------------------------------------------------
# Following codes across versions


def test_el24_successor_chain(nuts: NutsIndex) -> None:
    assert nuts.successors("EL24", 2010, 2013) == ("EL64",)
    assert nuts.successors("EL24", 2010, 2016) == ("EL64",)
    assert nuts.successors("EL24", 2010, 2024) == ("EL64",)
    assert nuts.successors("EL23", 2010, 2016) == ("EL63",)


def test_successors_of_unchanged_split_and_shifted_codes(nuts: NutsIndex) -> None:
    assert nuts.successors("ES41", 2010, 2024) == ("ES41",)
    assert nuts.successors("FI1D4", 2013, 2016) == ("FI1D8",)
    assert nuts.successors("HR04", 2016, 2021) == ("HR02", "HR05", "HR06")
    assert "PT19" in nuts.successors("PT16", 2021, 2024)
    assert nuts.successors("EL24", 2010, 2010) == ("EL24",)
    assert nuts.successors("EL64", 2010, 2016) == ()  # not a 2010 code
    with pytest.raises(ValueError):
        nuts.successors("EL64", 2016, 2013)


def test_same_region_across_recoding(nuts: NutsIndex) -> None:
    assert nuts.same_region("EL24", 2010, "EL64", 2016)
    assert nuts.same_region("EL64", 2016, "EL24", 2010)  # order does not matter
    assert not nuts.same_region("EL24", 2010, "EL63", 2016)
    assert nuts.same_region("FRE", 2016, "FRE", 2021)  # renamed Hauts-de-France
    assert nuts.same_region("ES41", 2010, "ES41", 2024)
    assert not nuts.same_region("HR04", 2016, "HR02", 2021)  # split
    assert not nuts.same_region("FI1D4", 2013, "FI1D8", 2016)  # boundary shift ...
    assert nuts.same_region("FI1D4", 2013, "FI1D8", 2016, allow_boundary_shift=True)
    assert nuts.same_region("EE00", 2021, "EE", 2021)  # equal territory
    assert not nuts.same_region("ES25", 2016, "ES24", 2016)


def test_equal_territory(nuts: NutsIndex) -> None:
    assert set(nuts.equal_territory("EE00", 2021)) == {"EE", "EE0", "EE00"}
    assert "FRH" in nuts.equal_territory("FRH0", 2016)
    assert nuts.equal_territory("ITC4", 2016) == ("ITC4",)
    assert nuts.equal_territory("ES25", 2016) == ()
    assert is_extra_regio("ESZZ") and not is_extra_regio("ES") and not is_extra_regio("DEZ1")


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (date(2012, 6, 1), 2010),
        (date(2014, 12, 31), 2010),
        (date(2015, 1, 1), 2013),
        (date(2017, 12, 31), 2013),
        (date(2018, 1, 1), 2016),
        (date(2020, 6, 30), 2016),
        (date(2020, 12, 31), 2016),
        (date(2021, 1, 1), 2021),
        (date(2023, 12, 31), 2021),
        (date(2024, 1, 1), 2024),
        (date(2030, 1, 1), 2024),
        (date(2005, 1, 1), 2010),  # before any version held: the earliest
    ],
)
def test_version_in_force(nuts: NutsIndex, day: date, version: int) -> None:
    assert nuts.version_in_force(day) == version


# --------------------------------------------------------------------------------------------------
# Other layouts, written here


GISCO_TEXT = """\
\ufeffNUTS_ID,LEVL_CODE,CNTR_CODE,NAME_LATN,NUTS_NAME,MOUNT_TYPE,URBN_TYPE,COAST_TYPE
EL,0,EL,Elláda,Ελλάδα,0,0,0
EL6,1,EL,Kentriki Elláda,Κεντρική Ελλάδα,0,0,0
EL64,2,EL,Sterea Elláda,Στερεά Ελλάδα,0,0,0
FI1D7,3,FI,Lappi,Lappi,4,3,1
"""


def test_gisco_attribute_table_layout() -> None:
    rows = read_reference_csv(GISCO_TEXT, 2021)
    assert [r.code for r in rows] == ["EL", "EL6", "EL64", "FI1D7"]
    el64 = rows[2]
    assert el64 == NutsRegion("EL64", 2, "EL", "Στερεά Ελλάδα", "Sterea Elláda", "EL6", 2021)
    assert rows[0].parent is None and rows[3].parent == "FI1D"
    index = NutsIndex.from_rows(rows, [])
    assert index.versions == (2021,)
    assert index.region("EL64", 2021) == el64
    assert index.children("EL6", 2021) == ("EL64",)


def test_reference_layout_columns_read_by_name() -> None:
    text = (
        "parent,label_latin,code,label,level,country,extra\nEL6,Sterea Ellada,el64,Στερεά,2,EL,x\n"
    )
    (row,) = read_reference_csv(text, 2016)
    assert row == NutsRegion("EL64", 2, "EL", "Στερεά", "Sterea Ellada", "EL6", 2016)


def test_reference_csv_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "nuts-2013.csv"
    path.write_text(GISCO_TEXT, encoding="utf-8")
    assert len(read_reference_csv(path, 2013)) == 4
    assert len(read_reference_csv(str(path), 2013)) == 4


def test_unknown_layout_is_refused() -> None:
    with pytest.raises(NutsCsvError, match="NUTS_ID"):
        read_reference_csv("id,name\nEL64,Sterea\n", 2016)
    with pytest.raises(NutsCsvError, match="from_code"):
        read_changes_csv("a,b\n1,2\n")


def test_changes_text_with_empty_sides() -> None:
    text = (
        "from_version,from_code,to_version,to_code,change,derived\n"
        "2010,EL24,2013,EL64,recoded,no\n"
        ",,2024,XK00,new,no\n"
        "2016,UKZZZ,,,discontinued,no\n"
    )
    changes = read_changes_csv(text)
    assert changes[1] == NutsChange(None, None, 2024, "XK00", "new")
    assert changes[2] == NutsChange(2016, "UKZZZ", None, None, "discontinued")


def test_synthetic_index_follows_and_breaks_chains() -> None:
    regions = [
        NutsRegion("XX1", 1, "XX", "One", "One", "XX", 2010),
        NutsRegion("XX2", 1, "XX", "One", "One", "XX", 2013),
        NutsRegion("XX2", 1, "XX", "One", "One", "XX", 2016),
        NutsRegion("XX3", 1, "XX", "Half", "Half", "XX", 2021),
        NutsRegion("XX4", 1, "XX", "Half", "Half", "XX", 2021),
    ]
    changes = [
        NutsChange(2010, "XX1", 2013, "XX2", "recoded"),
        NutsChange(2016, "XX2", 2021, "XX3", "split"),
        NutsChange(2016, "XX2", 2021, "XX4", "split"),
    ]
    index = NutsIndex.from_rows(regions, changes)
    assert index.successors("XX1", 2010, 2016) == ("XX2",)
    assert index.successors("XX1", 2010, 2021) == ("XX3", "XX4")
    assert index.same_region("XX1", 2010, "XX2", 2016)
    assert not index.same_region("XX1", 2010, "XX3", 2021)
