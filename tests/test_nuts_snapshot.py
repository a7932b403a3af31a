"""The packaged NUTS snapshot: regenerated from the reference tables it is the packaged file, it
holds what the tables hold, and versions loaded by the user take the place of its own."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from s3graph.vocab import snapshot_build
from s3graph.vocab.nuts_csv import load_reference_dir, read_reference_csv
from s3graph.vocab.nuts_index import LOADED, SNAPSHOT, NutsChange, NutsIndex
from s3graph.vocab.nuts_snapshot import (
    DATA_PATH,
    NOTICE_PATH,
    read_snapshot,
    snapshot_index,
    snapshot_info,
    with_snapshot,
)


@pytest.fixture(scope="module")
def reference_dir(shared_dir: Path) -> Path:
    folder = shared_dir / "reference"
    if not (folder / "nuts-changes.csv").is_file():
        pytest.skip(f"no NUTS reference tables in {folder}")
    return folder


@pytest.fixture(scope="module")
def rebuilt(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return snapshot_build.build(reference_dir, tmp_path_factory.mktemp("snapshot"))


def test_regenerated_snapshot_is_the_packaged_one(rebuilt: tuple[Path, Path]) -> None:
    data, _ = rebuilt
    # the content first (a clear failure when the tables changed), then the bytes
    assert gzip.decompress(data.read_bytes()) == gzip.decompress(DATA_PATH.read_bytes())
    assert data.read_bytes() == DATA_PATH.read_bytes()


def test_generating_twice_gives_the_same_bytes(
    reference_dir: Path, rebuilt: tuple[Path, Path], tmp_path: Path
) -> None:
    again, _ = snapshot_build.build(reference_dir, tmp_path)
    assert again.read_bytes() == rebuilt[0].read_bytes()


def test_the_gzip_header_holds_no_time_or_name() -> None:
    header = DATA_PATH.read_bytes()[:10]
    assert header[3] == 0  # no FNAME, FCOMMENT or FEXTRA
    assert header[4:8] == b"\0\0\0\0"  # MTIME zero


def test_snapshot_holds_every_version_of_the_reference_tables(reference_dir: Path) -> None:
    tables = load_reference_dir(reference_dir)
    snapshot = snapshot_index()

    assert snapshot.versions == (2010, 2013, 2016, 2021, 2024)
    for version in snapshot.versions:
        assert set(snapshot.regions(version)) == set(tables.regions(version)), version
    assert set(snapshot.changes) == set(tables.changes)


def test_snapshot_regions_keep_labels_latin_labels_and_parents() -> None:
    snapshot = snapshot_index()
    el64 = snapshot.region("EL64", 2016)
    assert el64 is not None and el64.label_latin != el64.label  # Greek label, Latin form apart
    assert el64.parent == "EL6" and el64.level == 2 and el64.country == "EL"
    assert snapshot.region("EL24", 2010) is not None and snapshot.region("EL24", 2013) is None
    assert snapshot.successors("EL24", 2010, 2016) == ("EL64",)
    assert snapshot.region("UKN0", 2024) is None and snapshot.region("UKN0", 2021) is not None


def test_snapshot_is_read_once_and_marked_as_snapshot() -> None:
    assert snapshot_index() is snapshot_index()
    assert set(snapshot_index().sources.values()) == {SNAPSHOT}
    assert read_snapshot() is not snapshot_index()


def test_notice_names_source_date_digest_and_reuse_terms(rebuilt: tuple[Path, Path]) -> None:
    info = snapshot_info()
    notice = NOTICE_PATH.read_text(encoding="utf-8")

    assert info.versions == snapshot_index().versions
    assert "Eurostat" in info.source and isinstance(info.generated, date)
    assert hashlib.sha256(DATA_PATH.read_bytes()).hexdigest() in notice
    for files in snapshot_build.OFFICIAL_FILES.values():
        for name in files:
            assert snapshot_build.EUROSTAT_FILES + name in notice
    assert "2011/833/EU" in notice and "acknowledged" in notice
    # the regenerated notice differs from the packaged one at most by its date
    fresh = rebuilt[1].read_text(encoding="utf-8")
    drop_date = [line for line in notice.splitlines() if not line.startswith("Generated:")]
    assert [line for line in fresh.splitlines() if not line.startswith("Generated:")] == drop_date


def test_source_date_epoch_sets_the_notice_date(
    reference_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, notice = snapshot_build.build(reference_dir, tmp_path)
    assert "Generated: 2023-11-14\n" in notice.read_text(encoding="utf-8")


def test_builder_names_missing_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert snapshot_build.main([str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "missing nuts-2010.csv" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# -- loaded versions over the snapshot ---------------------------------------------------------


def _loaded_2021(reference_dir: Path, changes: list[NutsChange]) -> NutsIndex:
    """NUTS 2021 as a user loads it, without Croatia's HR02 (to tell it from the snapshot's)."""
    rows = read_reference_csv(reference_dir / "nuts-2021.csv", 2021)
    return NutsIndex.from_rows([r for r in rows if r.code != "HR02"], changes)


def test_nothing_loaded_is_the_snapshot_itself() -> None:
    assert with_snapshot(None) is snapshot_index()


def test_a_loaded_version_replaces_that_version_only(reference_dir: Path) -> None:
    merged = with_snapshot(_loaded_2021(reference_dir, []))

    assert merged.versions == snapshot_index().versions
    assert merged.sources == {
        2010: SNAPSHOT,
        2013: SNAPSHOT,
        2016: SNAPSHOT,
        2021: LOADED,
        2024: SNAPSHOT,
    }
    assert merged.region("HR02", 2021) is None  # the loaded 2021, not the snapshot's
    assert merged.region("HR02", 2024) is not None
    # nothing loaded for the changes: the snapshot's are followed
    assert merged.changes == snapshot_index().changes
    assert merged.successors("EL24", 2010, 2021) == ("EL64",)


def test_a_loaded_change_table_replaces_the_snapshots(reference_dir: Path) -> None:
    own = [NutsChange(2016, "EL64", 2021, "EL99", "recoded")]
    merged = with_snapshot(_loaded_2021(reference_dir, own))

    assert merged.changes == tuple(own)
    assert snapshot_index().changes != merged.changes  # the snapshot itself is left alone
    assert snapshot_index().source(2021) == SNAPSHOT


def test_a_loaded_version_the_snapshot_lacks_is_added(reference_dir: Path) -> None:
    rows = read_reference_csv(reference_dir / "nuts-2021.csv", 2021)
    older = [replace(r, version=2006) for r in rows[:5]]
    merged = with_snapshot(NutsIndex.from_rows(older, []))

    assert merged.versions == (2006, *snapshot_index().versions)
    assert merged.source(2006) == LOADED and merged.source(1999) is None
