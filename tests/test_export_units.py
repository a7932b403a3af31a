"""The small parts of the export on their own: external sorting, the streaming JSON-LD writer,
deterministic gzip files and background jobs (forked or not)."""

from __future__ import annotations

import gzip
import io
import json
import multiprocessing as mp
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from s3graph.errors import ReportError
from s3graph.export.background import Background
from s3graph.export.files import open_output, open_text_output, output_path
from s3graph.export.jsonld import JsonLdWriter, context_document, write_jsonld
from s3graph.export.sorting import LineSorter

# rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

needs_fork = pytest.mark.skipif(
    "fork" not in mp.get_all_start_methods(), reason="no fork on this system"
)


# -- LineSorter ------------------------------------------------------------------------------------


def numbered(values: list[int]) -> list[bytes]:
    return [f"<urn:x:{value:03d}> .\n".encode() for value in values]


def test_line_sorter_spills_runs_and_merges_them_sorted_without_repeats(tmp_path: Path) -> None:
    values = [random.Random(7).randrange(40) for _ in range(100)]
    sorter = LineSorter(tmp_path / "work", run_lines=8)
    sorter.add(numbered(values[:50]))
    sorter.add(iter(numbered(values[50:])))
    runs = sorted((tmp_path / "work").glob("*.run"))

    merged = list(sorter.sorted_unique())

    assert len(runs) == 12  # 100 lines, 8 a run: 12 runs on disk, 4 lines still held
    assert merged == numbered(sorted(set(values)))
    assert list((tmp_path / "work").iterdir()) == []


def test_line_sorter_drops_a_line_repeated_in_two_runs(tmp_path: Path) -> None:
    sorter = LineSorter(tmp_path, run_lines=2)
    sorter.add([b"b\n", b"a\n", b"c\n", b"a\n", b"b\n"])

    assert list(sorter.sorted_unique()) == [b"a\n", b"b\n", b"c\n"]


def test_line_sorter_within_one_run_writes_nothing(tmp_path: Path) -> None:
    sorter = LineSorter(tmp_path / "work", run_lines=100)
    sorter.add([b"z\n", b"y\n", b"z\n"])

    assert list(sorter.sorted_unique()) == [b"y\n", b"z\n"]
    assert not (tmp_path / "work").exists()
    assert list(LineSorter(tmp_path / "none").sorted_unique()) == []


def test_line_sorter_orders_bytes_not_text(tmp_path: Path) -> None:
    lines = ["é\n".encode(), b"z\n", b"Z\n", b'"a\n']
    sorter = LineSorter(tmp_path, run_lines=1)
    sorter.add(lines)

    assert list(sorter.sorted_unique()) == sorted(lines)


# -- JsonLdWriter ----------------------------------------------------------------------------------

PREFIXES = {
    "ex": "https://example.org/",
    "exv": "https://example.org/vocab#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "secure": "https:",
}
TRIPLES = """\
@prefix ex: <https://example.org/> .
@prefix exv: <https://example.org/vocab#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a exv:Thing , exv:Other ;
    exv:count "02"^^xsd:integer ;
    exv:label "Zürich \\"quoted\\"\\nline" , "Zurich"@de-ch ;
    exv:link <https://example.org/> , <https://other.org/x> , <urn:isbn:123> ;
    exv:part _:part .
ex:b exv:when "2020-01-01"^^xsd:date .
_:part exv:label "part" .
"""


def sorted_triples(text: str) -> list[ox.Triple]:
    """The triples of Turtle ``text`` in the order of their N-Triples lines, as the export feeds
    them to the writer."""
    quads = ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return sorted(triples, key=lambda t: f"{t.subject} {t.predicate} {t.object}")


def jsonld_of(triples: list[ox.Triple]) -> tuple[bytes, int]:
    output = io.BytesIO()
    nodes = write_jsonld(triples, output, PREFIXES)
    return output.getvalue(), nodes


@pytest.fixture(scope="module")
def written() -> tuple[bytes, int]:
    return jsonld_of(sorted_triples(TRIPLES))


@pytest.fixture(scope="module")
def nodes(written: tuple[bytes, int]) -> dict[str, dict[str, Any]]:
    """The node objects of the written document, by their ``@id``."""
    document = json.loads(written[0])
    return {node["@id"]: node for node in document["@graph"]}


def test_jsonld_writes_one_node_per_subject_one_a_line(written: tuple[bytes, int]) -> None:
    data, count = written
    lines = data.decode().splitlines()

    assert count == 3
    assert lines[1] == '"@graph": ['
    assert len(lines) == 2 + count + 1 and lines[-1] == "]}"
    assert json.loads(data)["@context"] == dict(sorted(PREFIXES.items()))


def test_jsonld_compacts_iris_under_the_longest_namespace(
    nodes: dict[str, dict[str, Any]],
) -> None:
    node = nodes["ex:a"]

    assert node["@type"] == ["exv:Other", "exv:Thing"]
    assert node["exv:link"] == [
        # not "ex:" (nothing after the namespace) nor "secure://...", which reads as an IRI
        {"@id": "https://example.org/"},
        {"@id": "https://other.org/x"},
        {"@id": "urn:isbn:123"},
    ]


def test_jsonld_keeps_each_literal_exactly(nodes: dict[str, dict[str, Any]]) -> None:
    assert nodes["ex:a"]["exv:count"] == [{"@value": "02", "@type": "xsd:integer"}]
    assert nodes["ex:a"]["exv:label"] == [
        {"@value": "Zurich", "@language": "de-ch"},
        'Zürich "quoted"\nline',
    ]
    assert nodes["ex:b"]["exv:when"] == [{"@value": "2020-01-01", "@type": "xsd:date"}]


def test_jsonld_writes_blank_nodes_as_blank_node_ids(nodes: dict[str, dict[str, Any]]) -> None:
    (part,) = nodes["ex:a"]["exv:part"]
    blank = part["@id"]

    assert blank.startswith("_:")
    assert nodes[blank]["exv:label"] == ["part"]


def test_jsonld_reads_back_as_the_same_triples(written: tuple[bytes, int]) -> None:
    data, _ = written
    expected = Graph().parse(data=TRIPLES, format="turtle")
    by_rdflib = Graph().parse(data=data, format="json-ld")
    by_oxigraph = list(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    lexical = {str(q.object) for q in by_oxigraph if isinstance(q.object, ox.Literal)}

    assert isomorphic(by_rdflib, expected)
    assert len(by_oxigraph) == len(expected)
    assert '"02"^^<http://www.w3.org/2001/XMLSchema#integer>' in lexical


def test_jsonld_of_nothing_is_an_empty_graph() -> None:
    data, count = jsonld_of([])

    assert count == 0
    assert json.loads(data)["@graph"] == []
    assert len(Graph().parse(data=data, format="json-ld")) == 0


def test_jsonld_writer_leaves_its_output_open() -> None:
    output = io.BytesIO()
    writer = JsonLdWriter(output, PREFIXES)
    for triple in sorted_triples(TRIPLES):
        writer.add(triple)
    writer.close()

    assert not output.closed
    assert writer.nodes == 3


def test_context_document_is_the_inline_context(written: tuple[bytes, int]) -> None:
    document = json.loads(context_document(PREFIXES))

    assert document == {"@context": json.loads(written[0])["@context"]}
    assert context_document(PREFIXES).endswith(b"}\n")


# -- files -----------------------------------------------------------------------------------------

PAYLOAD = b'<urn:a> <urn:b> "c" .\n' * 1000


def test_gzip_output_records_no_name_and_no_time(tmp_path: Path) -> None:
    with open_output(tmp_path / "one" / "first.nt", gzip=True) as out:
        out.write(PAYLOAD)
    with open_output(tmp_path / "two" / "other-name.nt", gzip=True) as out:
        out.write(PAYLOAD)
    first = (tmp_path / "one" / "first.nt.gz").read_bytes()
    other = (tmp_path / "two" / "other-name.nt.gz").read_bytes()

    assert first == other
    assert first[:3] == b"\x1f\x8b\x08"
    assert first[3] & 0x08 == 0, "the header names the file"
    assert first[4:8] == b"\0\0\0\0", "the header records a time"
    assert gzip.decompress(first) == PAYLOAD


def test_gzip_output_does_not_depend_on_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n, now in enumerate((1_000_000_000.0, 2_000_000_000.0)):
        monkeypatch.setattr(time, "time", lambda now=now: now)
        with open_output(tmp_path / f"{n}.nq", gzip=True) as out:
            out.write(PAYLOAD)

    assert (tmp_path / "0.nq.gz").read_bytes() == (tmp_path / "1.nq.gz").read_bytes()


def test_plain_output_is_the_bytes_written(tmp_path: Path) -> None:
    with open_output(tmp_path / "new" / "x.nt", gzip=False) as out:
        out.write(PAYLOAD)

    assert (tmp_path / "new" / "x.nt").read_bytes() == PAYLOAD
    assert output_path(Path("a/x.nt"), gzip=False) == Path("a/x.nt")
    assert output_path(Path("a/x.nt"), gzip=True) == Path("a/x.nt.gz")


@pytest.mark.parametrize("packed", [False, True])
def test_text_output_is_utf8_without_newline_translation(tmp_path: Path, packed: bool) -> None:
    with open_text_output(tmp_path / "t.csv", gzip=packed) as out:
        out.write("a,é\r\nb,ß\n")
    data = output_path(tmp_path / "t.csv", gzip=packed).read_bytes()

    assert (gzip.decompress(data) if packed else data) == "a,é\r\nb,ß\n".encode()


# -- Background ------------------------------------------------------------------------------------


class Unpicklable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.callback = lambda: None


def _raise(error: BaseException) -> Any:
    def job() -> Any:
        raise error

    return job


@needs_fork
def test_a_forked_job_runs_in_a_child_and_returns_its_result() -> None:
    job = Background(lambda: (os.getpid(), [1, "two"]), fork=True)
    pid, value = job.result()

    assert job.forked
    assert pid != os.getpid()
    assert value == [1, "two"]


def test_an_unforked_job_runs_in_the_caller_when_asked() -> None:
    calls: list[int] = []

    def record() -> str:
        calls.append(os.getpid())
        return "done"

    job = Background(record, fork=False)

    assert not job.forked and calls == []
    assert job.result() == "done"
    assert calls == [os.getpid()]
    job.stop()  # nothing to stop


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_an_exception_of_the_job_is_raised_by_result(fork: bool) -> None:
    job = Background(_raise(ReportError("r.txt", 7, "a date", "soon")), fork=fork)

    with pytest.raises(ReportError) as caught:
        job.result()

    assert (caught.value.path, caught.value.line, caught.value.found) == ("r.txt", 7, "soon")


@needs_fork
def test_an_exception_that_cannot_be_pickled_crosses_as_its_text() -> None:
    job = Background(_raise(Unpicklable("the table broke")), fork=True)

    with pytest.raises(RuntimeError, match="Unpicklable: the table broke"):
        job.result()


@needs_fork
def test_a_child_that_dies_is_an_error_naming_its_exit_code() -> None:
    job = Background(lambda: os._exit(5), fork=True)

    with pytest.raises(RuntimeError, match="exit code 5"):
        job.result()


@needs_fork
def test_stop_ends_a_child_that_still_runs() -> None:
    job = Background(lambda: time.sleep(600), fork=True)
    process = job._process

    job.stop()

    assert not process.is_alive()
    assert process.exitcode == -signal.SIGTERM
