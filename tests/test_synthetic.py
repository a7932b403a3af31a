"""The bundled example reports are marked synthetic in the graph, by the content of their files."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Literal

from s3graph.cli import examples_dir
from s3graph.mapping import to_triples
from s3graph.mapping.synthetic import MANIFEST, example_checksums, read_manifest
from s3graph.namespaces import S3G
from s3graph.parse import parse_file

NOW = datetime(2026, 1, 1, tzinfo=UTC)
TRUE = Literal(True)  # typed xsd:boolean


def synthetic_marks(path: Path) -> list[object]:
    """The objects of ``s3g:synthetic`` on the report read from ``path``."""
    named = to_triples(parse_file(path), ingested_at=NOW)
    return [o for s, p, o in named if s == named.identifier and p == S3G.synthetic]


def test_the_manifest_lists_every_example_file_with_its_checksum() -> None:
    """Fails when an example changes (or one is added or removed) without its manifest line."""
    listed = read_manifest((examples_dir() / MANIFEST).read_text(encoding="utf-8"))
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in examples_dir().glob("*")}
    reports = {name: digest for name, digest in files.items() if name.endswith(".txt")}
    assert reports, "no example report found"
    assert listed == reports


@pytest.mark.parametrize("name", sorted(p.name for p in examples_dir().glob("*.txt")))
def test_each_example_is_marked_synthetic(name: str) -> None:
    assert synthetic_marks(examples_dir() / name) == [TRUE]


def test_a_copy_of_an_example_is_marked_wherever_it_is_read_from(tmp_path: Path) -> None:
    example = sorted(examples_dir().glob("*.txt"))[0]
    copy = tmp_path / "renamed.txt"
    shutil.copyfile(example, copy)
    assert synthetic_marks(copy) == [TRUE]


def test_a_changed_example_is_not_marked(tmp_path: Path) -> None:
    example = sorted(examples_dir().glob("*.txt"))[0]
    changed = tmp_path / example.name
    changed.write_bytes(example.read_bytes() + b"\n")
    assert hashlib.sha256(changed.read_bytes()).hexdigest() not in example_checksums()
    assert synthetic_marks(changed) == []


def test_a_partnerships_own_report_is_not_marked() -> None:
    from conftest import find_shared_part

    corpus, reason = find_shared_part("corpus")
    if corpus is None:
        pytest.skip(reason)
    reports = sorted(corpus.glob("*.txt"))
    assert reports
    assert all(synthetic_marks(path) == [] for path in reports)


@pytest.mark.parametrize(
    "line",
    ["abc  file.txt", "0" * 64 + " one-space.txt", "0" * 64 + "  ", "z" * 64 + "  file.txt"],
)
def test_a_malformed_manifest_line_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match="SHA256SUMS:2"):
        read_manifest("# comment\n" + line + "\n")
