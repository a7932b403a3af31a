"""Shared fixtures and checks for the parser tests.

The corpus and its scorer live outside the repository, in the shared folder (``S3GRAPH_SHARED``, or
``<repo root>/../shared``). The parser is imported lazily, inside the tests, so that the suite is
collected before ``s3graph.parse`` exists and a missing parser *fails* (it is never skipped).

Line numbers are counted as ``grep -n`` and editors count them: 1-based, one line per ``\\n``
(``\\r\\n`` is one line break; a form feed or a lone ``\\r`` does not start a new line).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
MINING = "mining-industry-2020-h1"
PAGE_HEADER = "Thematic Smart Specialisation Platforms Monitoring Progress Report"

# --------------------------------------------------------------------------------------------------
# The shared folder, the corpus and the scorer


def find_shared_dir() -> Path | None:
    """The shared folder holding ``corpus/`` and ``tools/``, or None when it is not there."""
    configured = os.environ.get("S3GRAPH_SHARED")
    candidate = Path(configured) if configured else REPO_ROOT.parent / "shared"
    if (candidate / "corpus").is_dir() and (candidate / "tools" / "score_parse.py").is_file():
        return candidate
    return None


def shared_missing_reason() -> str:
    configured = os.environ.get("S3GRAPH_SHARED")
    where = configured or str(REPO_ROOT.parent / "shared")
    return (
        f"shared corpus not found at {where} (needs corpus/ and tools/score_parse.py); "
        "set S3GRAPH_SHARED to the shared folder"
    )


def find_shared_part(name: str) -> tuple[Path | None, str]:
    """``<shared>/<name>`` when it is there, else None and the reason a test that needs it skips."""
    shared = find_shared_dir()
    if shared is None:
        return None, shared_missing_reason()
    part = shared / name
    if not part.exists():
        return None, f"{part} not found; set S3GRAPH_SHARED to a shared folder that has it"
    return part, ""


@dataclass(frozen=True)
class CorpusCase:
    """One report of the corpus with its hand-checked expected parse."""

    name: str
    txt: Path
    expected_path: Path

    def expected(self) -> dict[str, Any]:
        return json.loads(self.expected_path.read_text(encoding="utf-8"))

    def text(self) -> str:
        return decode_source(self.txt.read_bytes())


def list_corpus(shared: Path) -> list[CorpusCase]:
    """Every ``corpus/*.txt`` with its ``.expected.json``, sorted by name."""
    cases = []
    for txt in sorted((shared / "corpus").glob("*.txt")):
        cases.append(CorpusCase(txt.stem, txt, txt.with_name(txt.stem + ".expected.json")))
    return cases


def load_scorer_module(shared: Path) -> ModuleType:
    """Import ``tools/score_parse.py`` from the shared folder (never copied into the repo)."""
    path = shared / "tools" / "score_parse.py"
    spec = importlib.util.spec_from_file_location("s3graph_shared_score_parse", path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``corpus_case`` over the corpus (one skipped case when the corpus is absent)."""
    if "corpus_case" not in metafunc.fixturenames:
        return
    shared = find_shared_dir()
    if shared is None:
        params = [pytest.param(None, marks=pytest.mark.skip(reason=shared_missing_reason()))]
        metafunc.parametrize("corpus_case", params, ids=["no-corpus"])
        return
    cases = list_corpus(shared)
    metafunc.parametrize("corpus_case", cases, ids=[c.name for c in cases])


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    shared = find_shared_dir()
    if shared is None:
        pytest.skip(shared_missing_reason())
    return shared


@pytest.fixture(scope="session")
def corpus_files(shared_dir: Path) -> list[CorpusCase]:
    """The corpus reports, sorted by file name, each with its expected json."""
    return list_corpus(shared_dir)


@pytest.fixture(scope="session")
def score(shared_dir: Path) -> Callable[[dict, dict], tuple[int, int, list[str]]]:
    """The shared scorer's ``score(expected, actual) -> (matched, total, misses)``."""
    return load_scorer_module(shared_dir).score


@pytest.fixture(scope="session")
def mining_case(corpus_files: list[CorpusCase]) -> CorpusCase:
    for case in corpus_files:
        if case.name == MINING:
            return case
    pytest.fail(f"{MINING}.txt is missing from the corpus")


# --------------------------------------------------------------------------------------------------
# The parser, imported lazily


def decode_source(data: bytes) -> str:
    """The text of a corpus file as a Python string (BOM kept: the parser must cope with it)."""
    return data.decode("utf-8")


def source_for(text: str, name: str = "report.txt") -> Any:
    """A ``SourceFile`` describing ``text`` encoded as UTF-8."""
    from s3graph.model import SourceFile

    data = text.encode("utf-8", errors="surrogatepass")
    return SourceFile(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


class ParserApi:
    """The parser's public functions, imported on first use (inside the test, so it fails there)."""

    @property
    def ReportError(self) -> type[Exception]:
        from s3graph.errors import ReportError

        return ReportError

    def parse_file(self, path: Path) -> Any:
        from s3graph.parse import parse_file

        return parse_file(path)

    def parse_text(self, text: str, name: str = "report.txt") -> Any:
        from s3graph.parse import parse_text

        return parse_text(text, source_for(text, name))

    def to_contract(self, report: Any) -> dict[str, Any]:
        from s3graph.contract import to_contract

        return to_contract(report)

    def contract_of_file(self, path: Path) -> dict[str, Any]:
        return self.to_contract(self.parse_file(path))

    def contract_of_text(self, text: str, name: str = "report.txt") -> dict[str, Any]:
        return self.to_contract(self.parse_text(text, name))


@pytest.fixture(scope="session")
def api() -> ParserApi:
    return ParserApi()


# --------------------------------------------------------------------------------------------------
# Reading the source the way the tests count lines


def source_lines(text: str) -> list[str]:
    """The lines of a source text, numbered from 1 as ``grep -n`` does (index = line - 1)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def squash(text: str) -> str:
    """NFC, white space (NBSP, tabs, form feeds, line breaks) collapsed to one space, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """How the tests recognise a form label: no ``*`` markup, squashed, case-folded."""
    return squash(text.replace("*", "").replace("\ufeff", "")).casefold()


#: Free-text questions whose answers must reach the contract's ``answers`` (key, label start).
TEXT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("executive_summary", "Please provide the executive summary and the objectives"),
    ("interested_entities", "Please provide the list of interested regions"),
    ("innovative_results", "Please describe innovative results and achievements"),
    ("socio_economic_impacts", "Tangible short- and medium-term socio-economic impacts"),
    ("inter_partnership_results", "Additional results obtained from working with other"),
    ("business_involvement", "Evaluation of the involvement of relevant business sector"),
    ("interregional_cooperation", "Evaluation of whether the level of inter-regional"),
    ("eu13_involvement", "Involvement of regions from EU13 Member States"),
    ("non_eu_involvement", "Involvement of regions/countries from outside of EU28"),
    ("outreach", "Advancement and promotion of the Partnership through publications"),
    ("other_platforms_activities", "Activities and projects with partnerships working under"),
)

#: Every other question label of the form (an answer area ends at any label).
OTHER_LABELS: tuple[str, ...] = (
    "Reporting period",
    "Please select the name of your partnership",
    "Start date of your partnership",
    "Partnership's webpage",
    "Please provide the list of leading regions",
    "Please provide the list of participating regions",
    "Please provide an overview of the working areas",
    "Please provide information regarding past meetings",
    "Please provide information regarding planned future meetings",
    "Please indicate to which Sustainable Development Goals",
)

#: Headings and page-break lines, which also end an answer area.
HEADINGS: tuple[str, ...] = (
    "I. Management report",
    "II. Progress report",
    "Innovative results",
    "Inter-regional and inter-partnership collaborative results",
    "New activities",
    "Your Partnership and the UN 2030 Sustainable Development Goals (SDGs)",
    "Thematic Smart Specialisation Platforms Monitoring Progress Report",
    "Thematic Smart Specialisation Partnership Monitoring Progress Report",
)

_ALL_LABEL_STARTS = tuple(fold(s) for _, s in TEXT_QUESTIONS) + tuple(fold(s) for s in OTHER_LABELS)
_HEADINGS = tuple(fold(s) for s in HEADINGS)


def is_label_or_heading(line: str) -> bool:
    folded = fold(line).rstrip(" .:?")
    if folded in _HEADINGS:
        return True
    return any(folded.startswith(start.rstrip(" .:?")) for start in _ALL_LABEL_STARTS)


def answer_areas(text: str) -> dict[str, tuple[int, list[tuple[int, str]]]]:
    """For each free-text question: its label's line and the non-blank lines of its answer."""
    lines = source_lines(text)
    areas: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    for key, start in TEXT_QUESTIONS:
        folded_start = fold(start)
        label_at = [i for i, line in enumerate(lines) if fold(line).startswith(folded_start)]
        assert len(label_at) == 1, f"question {key!r}: label found on lines {label_at}"
        content = []
        for i in range(label_at[0] + 1, len(lines)):
            if is_label_or_heading(lines[i]):
                break
            if squash(lines[i]):
                content.append((i + 1, lines[i]))
        areas[key] = (label_at[0] + 1, content)
    return areas


# --------------------------------------------------------------------------------------------------
# Checks shared by the corpus and quirk tests

TABLES = ("working_areas", "past_events", "planned_events")
ROW_KEYS = ("participating_regions", *TABLES)
_STRAY_CHARACTERS = ("\r", "\f", "\ufeff", "\t", "\x00")


def scored_strings(contract: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (path, string) of the scored part of a contract."""
    found: list[tuple[str, str]] = []

    def walk(path: str, value: Any) -> None:
        if isinstance(value, str):
            found.append((path, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in ("line", "lines", "n"):
                    walk(f"{path}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{path}[{i}]", v)

    for key in (
        "partnership",
        "reporting_period",
        "start_date_text",
        "webpage",
        "leading_regions",
        *ROW_KEYS,
        "sdg",
    ):
        walk(key, contract.get(key))
    return found


def contract_problems(
    contract: dict[str, Any],
    expected: dict[str, Any],
    text: str,
    score: Callable[[dict, dict], tuple[int, int, list[str]]],
) -> tuple[int, int, list[str]]:
    """Score a contract and list everything wrong with it: (matched, total, problems)."""
    matched, total, misses = score(expected, contract)
    problems = list(misses)
    try:
        json.dumps(contract, allow_nan=False)
    except (TypeError, ValueError) as exc:
        problems.append(f"contract is not plain JSON: {exc}")
    got_missing = sorted(contract.get("missing_mandatory") or [])
    if got_missing != sorted(expected["missing_mandatory"]):
        problems.append(
            f"missing_mandatory: expected {sorted(expected['missing_mandatory'])} got {got_missing}"
        )
    for key in TABLES:
        want = [row["n"] for row in expected.get(key) or []]
        got = [row.get("n") if isinstance(row, dict) else None for row in contract.get(key) or []]
        if want != got:
            problems.append(f"{key}: expected row numbers {want} got {got}")
    for path, value in scored_strings(contract):
        if value != value.strip():
            problems.append(f"{path}: not trimmed: {value!r}")
        if any(c in value for c in _STRAY_CHARACTERS):
            problems.append(f"{path}: stray control character in {value!r}")
        if value.strip() == "":
            problems.append(f"{path}: empty string where the contract wants null: {value!r}")
    for i, region in enumerate(contract.get("participating_regions") or []):
        code = region.get("code") if isinstance(region, dict) else None
        if code is not None and not re.fullmatch(r"[A-Z0-9]+", code):
            problems.append(f"participating_regions[{i}].code: not normalised: {code!r}")
    problems.extend(line_problems(contract, text))
    return matched, total, problems


def line_problems(contract: dict[str, Any], text: str) -> list[str]:
    """Row and warning line numbers must point at the source line they were read from."""
    lines = source_lines(text)
    problems: list[str] = []

    def source_line(path: str, line: Any) -> str | None:
        if not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= len(lines):
            problems.append(f"{path}.line: {line!r} is not a line of the source (1..{len(lines)})")
            return None
        return lines[line - 1]

    for i, region in enumerate(contract.get("participating_regions") or []):
        at = source_line(f"participating_regions[{i}]", region.get("line"))
        if at is not None and squash(at) != squash(region.get("raw") or ""):
            problems.append(
                f"participating_regions[{i}].line {region.get('line')} is {at!r}, "
                f"not the region {region.get('raw')!r}"
            )
    for key in TABLES:
        for i, row in enumerate(contract.get(key) or []):
            at = source_line(f"{key}[{i}]", row.get("line"))
            if at is not None and at.split("\t")[0].strip() != str(row.get("n")):
                problems.append(f"{key}[{i}].line {row.get('line')} is {at!r}, not row {row['n']}")
    warnings = contract.get("warnings")
    if not isinstance(warnings, list):
        problems.append(f"warnings: expected a list, got {warnings!r}")
    else:
        for i, warning in enumerate(warnings):
            source_line(
                f"warnings[{i}]", warning.get("line") if isinstance(warning, dict) else None
            )
    return problems


def answer_problems(contract: dict[str, Any], text: str) -> list[str]:
    """Every line of a free-text answer must reach ``answers``; blank answers stay null.

    ``answers[key]`` is the answer's text, or an object whose ``text`` is (with, optionally,
    ``line``: the question's line, and ``answer_line``: the answer's first line).
    """
    answers = contract.get("answers")
    if not isinstance(answers, dict):
        return [f"answers: expected a dict keyed by question, got {type(answers).__name__}"]
    problems = []
    other_labels = [fold(s) for _, s in TEXT_QUESTIONS] + [fold(s) for s in OTHER_LABELS]
    for key, (label_line, content) in answer_areas(text).items():
        entry = answers.get(key)
        answer = entry.get("text") if isinstance(entry, dict) else entry
        if isinstance(entry, dict):
            if "line" in entry and entry["line"] != label_line:
                problems.append(f"answers.{key}.line: expected {label_line}, got {entry['line']}")
            first = content[0][0] if content else None
            if "answer_line" in entry and entry["answer_line"] != first:
                problems.append(
                    f"answers.{key}.answer_line: expected {first}, got {entry['answer_line']}"
                )
        if not content:
            if answer is not None:
                problems.append(
                    f"answers.{key}: the answer is blank, expected null, got {answer!r}"
                )
            continue
        if not isinstance(answer, str):
            problems.append(f"answers.{key}: {len(content)} lines of answer, got {answer!r}")
            continue
        flat = squash(answer)
        for line_no, line in content:
            if squash(line) not in flat:
                problems.append(f"answers.{key}: line {line_no} dropped: {squash(line)[:70]!r}")
        folded = fold(answer)
        for label in [*other_labels, fold("The EU has a strong position")]:
            if label in folded:
                problems.append(f"answers.{key}: swallowed form text {label[:50]!r}")
    return problems


# --------------------------------------------------------------------------------------------------
# Fixtures wrapping the checks (test modules use these instead of importing conftest)

ContractCheck = Callable[..., tuple[int, int]]


@pytest.fixture(scope="session")
def check_contract(
    score: Callable[[dict, dict], tuple[int, int, list[str]]],
) -> ContractCheck:
    """``check_contract(contract, expected, text, label)``: fail listing every mismatch.

    Checks the shared score (must be total), ``missing_mandatory``, row numbers, trimmed strings
    without control characters, normalised codes, JSON-ability, and that row and warning line
    numbers point at the right source lines. Returns ``(matched, total)``.
    """

    def check(contract: dict[str, Any], expected: dict[str, Any], text: str, label: str = "parse"):
        matched, total, problems = contract_problems(contract, expected, text, score)
        if problems:
            shown = "\n  ".join(problems[:60])
            more = f"\n  ... and {len(problems) - 60} more" if len(problems) > 60 else ""
            pytest.fail(f"{label}: score {matched}/{total}; problems:\n  {shown}{more}")
        return matched, total

    return check


@pytest.fixture(scope="session")
def check_answers() -> Callable[[dict[str, Any], str], None]:
    """``check_answers(contract, text)``: no line of a free-text answer may be dropped."""

    def check(contract: dict[str, Any], text: str) -> None:
        problems = answer_problems(contract, text)
        if problems:
            pytest.fail("answers incomplete:\n  " + "\n  ".join(problems))

    return check


@pytest.fixture(scope="session")
def mining_text(mining_case: CorpusCase) -> str:
    """The real report, as text (no final newline, LF line ends)."""
    return mining_case.text()


@pytest.fixture(scope="session")
def mining_expected(mining_case: CorpusCase) -> dict[str, Any]:
    return mining_case.expected()


# --------------------------------------------------------------------------------------------------
# Stores and servers for the API tests


def ingest_linked(store: Any, paths: list[Path], base: str) -> None:
    """Ingest as ``s3graph ingest`` does: base vocabularies, links (registry, collaborations;
    regions judged and linked against the packaged NUTS snapshot) and validation results."""
    from s3graph.ingest import ingest
    from s3graph.linking.links import Linker
    from s3graph.validate import validate_graph
    from s3graph.vocab.nuts_snapshot import snapshot_index
    from s3graph.vocab.sources.base import ensure_base_vocabularies

    ensure_base_vocabularies(store)
    # the linker itself, as the CLI gives it: the partnerships' changes then match regions by
    # their resolved NUTS codes (ES25 written for ES24 is one region, not a leave and a join)
    linker = Linker.load(snapshot_index())
    ingest(store, paths, base=base, linker=linker, validate=validate_graph)


@contextmanager
def corpus_store(folder: Path, shared: Path, base: str) -> Iterator[Any]:
    """A store at ``folder`` holding the shared corpus, ingested and linked, with NUTS 2021 loaded:
    what an analyst's server holds after the README's steps."""
    from s3graph.store import Store
    from s3graph.vocab.sources.loading import load_file

    with Store.open(folder) as store:
        ingest_linked(store, [shared / "corpus"], base)
        load_file(store, shared / "reference" / "nuts-2021.csv")
        yield store


@pytest.fixture(scope="session")
def corpus_nuts_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One store of the shared corpus with NUTS 2021 (see :func:`corpus_store`) for the whole
    session: the page tests only read it, so it is built once."""
    from s3graph.namespaces import DEFAULT_BASE

    folder = tmp_path_factory.mktemp("corpus-nuts") / "store"
    with corpus_store(folder, shared_dir, DEFAULT_BASE) as store:
        yield store


@pytest.fixture(scope="session")
def corpus_client(corpus_nuts_store: Any) -> Any:
    """A TestClient of the web app over :func:`corpus_nuts_store` (the default base)."""
    from fastapi.testclient import TestClient

    from s3graph.api.app import create_app
    from s3graph.api.settings import ApiSettings

    return TestClient(create_app(ApiSettings(), corpus_nuts_store))


def nuts_labels(shared: Path) -> dict[str, set[str]]:
    """Every NUTS label (national and Latin) a code has in any version of the reference tables."""
    import csv

    labels: dict[str, set[str]] = {}
    for path in sorted((shared / "reference").glob("nuts-20*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                labels.setdefault(row["code"], set()).update({row["label"], row["label_latin"]})
    return labels


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free 127.0.0.1 port, in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start in 10 s"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture(scope="session")
def graph_shapes() -> Any:
    """The structural shapes of the mapping (``shapes/graph.ttl``), as an rdflib graph."""
    from rdflib import Graph

    from s3graph.resources import resource_dir

    return Graph().parse(resource_dir("shapes") / "graph.ttl")


@pytest.fixture(scope="session")
def ontology_graph() -> Any:
    """The s3graph ontology (``ontology/s3graph.ttl``), as an rdflib graph."""
    from rdflib import Graph

    from s3graph.resources import resource_dir

    return Graph().parse(resource_dir("ontology") / "s3graph.ttl")
