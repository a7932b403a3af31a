"""End to end: the corpus ingested with its links answers the cross-partnership questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from s3graph.cli import main


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("links") / "store"
    runner = CliRunner()
    nuts = str(shared_dir / "reference")
    result = runner.invoke(
        main, ["--store", str(path), "ingest", "--nuts", nuts, str(shared_dir / "corpus")]
    )
    assert result.exit_code == 0, result.output
    return path


def _query(store: Path, name: str, *params: str) -> list[dict[str, str]]:
    args = ["--store", str(store), "query", name, "--format", "json"]
    for p in params:
        args += ["--param", p]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def test_mining_collaborates_with_batteries(store: Path) -> None:
    rows = _query(store, "collaborations")
    pairs = {(r["partnershipLabel"], r["otherLabel"]) for r in rows}
    assert ("Mining Industry", "Advanced Materials for Batteries") in pairs
    mining = next(r for r in rows if r["partnershipLabel"] == "Mining Industry")
    assert "Advanced materials for batteries" in mining["evidence"]
    assert int(mining["line"]) > 100


def test_collaborations_of_every_report_match_the_corpus(store: Path, corpus_files) -> None:
    rows = _query(store, "collaborations")
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["report"].rsplit("/", 2)[-2], set()).add(r["otherLabel"])
    for case in corpus_files:
        expected = json.loads(Path(case.expected_path).read_text("utf-8"))
        slug, half = case.name.rsplit("-", 2)[0], case.name.rsplit("-", 2)[1:]
        assert half  # names are partnership-year-half
        assert found.get(slug, set()) >= set(expected["collaborations"]), case.name


def test_mining_and_batteries_share_regions_across_nuts_versions(store: Path) -> None:
    rows = _query(store, "shared-regions")
    pair = next(
        r
        for r in rows
        if {r["partnershipLabel"], r["otherLabel"]}
        == {"Mining Industry", "Advanced Materials for Batteries"}
    )
    regions = set(pair["regions"].split(", "))
    # Västerbotten SE331, Castilla y León ES41 and Andalucía ES61 are in both partnerships.
    assert {"SE331", "ES41", "ES61"} <= regions
    assert int(pair["shared"]) == len(regions)


def test_region_judgements_are_stored(store: Path) -> None:
    result = CliRunner().invoke(
        main, ["--store", str(store), "query", "--format", "json", str(_judgements_rq())]
    )
    assert result.exit_code == 0, result.output
    rules = [b["rule"]["value"] for b in json.loads(result.output)["results"]["bindings"]]
    assert rules.count("nuts-obsolete") == 2 and rules.count("typo") == 5


def _judgements_rq() -> Path:
    path = Path(__file__).parent / "data" / "judgements.rq"
    return path


def test_cached_wikidata_names_join_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands hand the fetched names to the linker; the linker itself reads no cache."""
    from s3graph.cli.support import Settings, load_linker
    from s3graph.linking.links import Linker

    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path))
    settings = Settings(store=tmp_path / "no-store", base="https://example.org/", verbose=False)
    assert "Ylä-Lappi test name" not in load_linker(settings, None).names.english_names("FI1D7")
    (tmp_path / "wikidata-names.tsv").write_text(
        "code\tname\tkind\nFI1D7\tYlä-Lappi test name\talias\n", encoding="utf-8"
    )
    assert "Ylä-Lappi test name" in load_linker(settings, None).names.english_names("FI1D7")
    assert "Ylä-Lappi test name" not in Linker.load(None).names.english_names("FI1D7")
    given = Linker.load(None, {"FI1D7": ["Ylä-Lappi test name"]})
    assert "Ylä-Lappi test name" in given.names.english_names("FI1D7")


def test_partnerships_lists_those_with_reports_only(store: Path, corpus_files) -> None:
    """The registry (stored by ingest) knows more partnerships than have reports."""
    labels = {r["label"] for r in _query(store, "partnerships")}
    expected = {
        json.loads(Path(case.expected_path).read_text("utf-8"))["partnership"].casefold()
        for case in corpus_files
    }
    assert {label.casefold() for label in labels} == expected
