"""The named queries: their headers, typed parameters, and their rows on a small known dataset.

The dataset is built here with rdflib following the vocabulary of ``docs/architecture.md``, so the
expected rows can be worked out by hand; the mapping is not involved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

import s3graph.resources
from s3graph.errors import QueryError
from s3graph.resources import resource_dir
from s3graph.sparql import (
    HEADER_FIELDS,
    NamedQuery,
    Parameter,
    QueryResult,
    bind_parameters,
    format_csv,
    format_json,
    format_table,
    list_queries,
    load_query,
    parse_query,
    plain,
    run_query,
)
from s3graph.store import Store, Term

BASE = "https://w3id.org/s3graph/"
D = Namespace(BASE)
S3G = Namespace("https://w3id.org/s3graph/def#")
ORG = Namespace("http://www.w3.org/ns/org#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SDG = Namespace("http://metadata.un.org/sdg/")

PERIODS = {
    "2019-H2": ("2019-07-01", "2019-12-31", "July - December 2019"),
    "2020-H1": ("2020-01-01", "2020-06-30", "January - June 2020"),
    "2020-H2": ("2020-07-01", "2020-12-31", "July - December 2020"),
}
MINING, BATTERIES = "mining-industry", "advanced-materials-for-batteries"
P_MINING, P_BATTERIES = str(D[f"partnership/{MINING}"]), str(D[f"partnership/{BATTERIES}"])
LEADING, PARTICIPATING = str(S3G.leading), str(S3G.participating)


def select(store: Store, text: str, substitutions: Mapping[str, Term] | None = None) -> Any:
    """The solutions of a SELECT run on ``store``."""
    result = store.query(text, substitutions)
    assert isinstance(result, ox.QuerySolutions)
    return result


# -- the dataset -------------------------------------------------------------------------------


@dataclass
class Region:
    name: str
    code: str | None = None

    @property
    def iri(self) -> URIRef:
        if self.code:
            return D[f"region/{self.code}"]
        return D["region/name/" + self.name.lower().replace(" ", "-")]


@dataclass
class FakeReport:
    """What a report states, in the terms the queries look at."""

    slug: str
    label: str
    period: str
    participating: list[Region]
    leading: list[Region]
    interested: list[str] = field(default_factory=list)
    sdg: dict[int, list[str]] = field(default_factory=dict)

    @property
    def iri(self) -> URIRef:
        return D[f"report/{self.slug}/{self.period}"]


def report_graph(r: FakeReport) -> Graph:
    """The named graph of one report, following docs/architecture.md."""
    g = Graph(identifier=r.iri)
    partnership, period = D[f"partnership/{r.slug}"], D[f"period/{r.period}"]
    start, end, label = PERIODS[r.period]
    g.add((partnership, RDF.type, S3G.Partnership))
    g.add((partnership, SKOS.prefLabel, Literal(r.label)))
    g.add((partnership, RDFS.label, Literal(r.label)))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
    g.add((period, RDFS.label, Literal(label)))
    g.add((r.iri, RDF.type, S3G.MonitoringReport))
    g.add((r.iri, S3G.partnership, partnership))
    g.add((r.iri, DCTERMS.temporal, period))
    _add_source(g, r)
    members = [("participating", x.iri) for x in r.participating]
    members += [("leading", x.iri) for x in r.leading]
    members += [("interested", D[f"entity/{n}"]) for n in r.interested]
    for region in [*r.participating, *r.leading]:
        g.add((region.iri, RDF.type, S3G.Region))
        g.add((region.iri, RDFS.label, Literal(region.name)))
        if region.code:
            g.add((region.iri, SKOS.notation, Literal(region.code)))
    for n, (role, member) in enumerate(members, start=1):
        m = URIRef(f"{r.iri}/membership/{role}/{n}")
        for p, o in [
            (RDF.type, ORG.Membership),
            (ORG.organization, partnership),
            (ORG.member, member),
            (ORG.role, S3G[role]),
            (ORG.memberDuring, period),
            (S3G.reportedIn, r.iri),
        ]:
            g.add((m, p, o))
    for goal, ratings in r.sdg.items():
        a = URIRef(f"{r.iri}/sdg/{goal}")
        g.add((r.iri, S3G.sdgAssessment, a))
        g.add((a, RDF.type, S3G.SdgAssessment))
        g.add((a, S3G.goal, SDG[str(goal)]))
        for rating in ratings:
            g.add((a, S3G.rating, S3G[rating]))
        g.add((a, S3G.rowNumber, Literal(goal)))
    return g


def _add_source(g: Graph, r: FakeReport) -> None:
    source, checksum = URIRef(f"{r.iri}/source"), URIRef(f"{r.iri}/source/checksum")
    g.add((r.iri, PROV.wasDerivedFrom, source))
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, DCTERMS.title, Literal(f"{r.slug}-{r.period}.txt")))
    g.add((source, S3G.checksum, checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(sha(r), datatype=XSD.hexBinary)))


def sha(r: FakeReport) -> str:
    return f"{len(r.slug):02d}{r.period}".encode().hex().ljust(64, "0")


ES41 = Region("Castilla y León", "ES41")
ES41_PLAIN = Region("Castilla y Leon", "ES41")  # the same region spelt differently
FI1D = Region("Pohjois- ja Itä-Suomi", "FI1D")
SE33 = Region("Övre Norrland", "SE33")
LAPLAND = Region("Lapland region")  # no code: named by its name

REPORTS = [
    # Inserted out of time order: the periods of a region must still come out in time order.
    FakeReport(MINING, "Mining Industry", "2020-H2", [ES41_PLAIN, FI1D], [ES41],
               sdg={9: ["agree"], 12: ["agree", "neutral"]}),
    FakeReport(MINING, "Mining Industry", "2020-H1", [ES41, FI1D, LAPLAND], [ES41],
               interested=["some-university"], sdg={9: ["strongly-agree"], 12: ["agree"], 1: []}),
    FakeReport(MINING, "Mining industry", "2019-H2", [ES41], []),
    FakeReport(BATTERIES, "Advanced Materials for Batteries", "2020-H1", [ES41, SE33], [SE33],
               sdg={10: ["strongly-agree"], 2: ["neutral"]}),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(tmp_path_factory.mktemp("queries") / "store") as opened:
        opened.replace_graphs([report_graph(r) for r in REPORTS])
        yield opened


def run(store: Store, name: str, **params: str) -> QueryResult:
    return run_query(store, load_query(name), params, base=BASE)


def values(result: QueryResult) -> list[list[str | None]]:
    return [[None if t is None else plain(t) for t in row] for row in result.rows]


def region(code_or_slug: str) -> str:
    return str(D[f"region/{code_or_slug}"])


# -- the shipped queries -----------------------------------------------------------------------

#: For each shipped query: parameters and the rows expected on the dataset above.
EXPECTED: dict[str, list[tuple[dict[str, str], list[list[str | None]]]]] = {
    "partnerships": [
        ({}, [
            [P_BATTERIES, "Advanced Materials for Batteries", "1", "2"],
            [P_MINING, "Mining Industry", "3", "3"],
        ]),
    ],
    "regions-of-partnership": [
        ({"partnership": f"partnership/{MINING}"}, [
            [P_MINING, region("ES41"), "ES41", "Castilla y Leon", LEADING, "2"],
            [P_MINING, region("name/lapland-region"), None, "Lapland region", PARTICIPATING, "1"],
            [P_MINING, region("ES41"), "ES41", "Castilla y Leon", PARTICIPATING, "3"],
            [P_MINING, region("FI1D"), "FI1D", "Pohjois- ja Itä-Suomi", PARTICIPATING, "2"],
        ]),
        ({"partnership": P_BATTERIES}, [
            [P_BATTERIES, region("SE33"), "SE33", "Övre Norrland", LEADING, "1"],
            [P_BATTERIES, region("ES41"), "ES41", "Castilla y Leon", PARTICIPATING, "1"],
            [P_BATTERIES, region("SE33"), "SE33", "Övre Norrland", PARTICIPATING, "1"],
        ]),
        ({"partnership": "partnership/unknown"}, []),
    ],
    "partnerships-of-region": [
        ({"code": "ES41"}, [
            ["ES41", region("ES41"), "Castilla y Leon", P_BATTERIES,
             "Advanced Materials for Batteries", PARTICIPATING, "January - June 2020"],
            ["ES41", region("ES41"), "Castilla y Leon", P_MINING, "Mining Industry", LEADING,
             "January - June 2020; July - December 2020"],
            ["ES41", region("ES41"), "Castilla y Leon", P_MINING, "Mining Industry",
             PARTICIPATING, "July - December 2019; January - June 2020; July - December 2020"],
        ]),
        ({"code": "FI1D"}, [
            ["FI1D", region("FI1D"), "Pohjois- ja Itä-Suomi", P_MINING, "Mining Industry",
             PARTICIPATING, "January - June 2020; July - December 2020"],
        ]),
    ],
    "most-shared-regions": [
        ({}, [[region("ES41"), "ES41", "Castilla y Leon", "2"]]),
    ],
    "sdg-profile": [
        ({}, [
            [P_BATTERIES, str(SDG["2"]), str(S3G.neutral), "1"],
            [P_BATTERIES, str(SDG["10"]), str(S3G["strongly-agree"]), "1"],
            [P_MINING, str(SDG["9"]), str(S3G["strongly-agree"]), "1"],
            [P_MINING, str(SDG["9"]), str(S3G.agree), "1"],
            [P_MINING, str(SDG["12"]), str(S3G.agree), "2"],
            [P_MINING, str(SDG["12"]), str(S3G.neutral), "1"],
        ]),
        ({"partnership": f"partnership/{BATTERIES}"}, [
            [P_BATTERIES, str(SDG["2"]), str(S3G.neutral), "1"],
            [P_BATTERIES, str(SDG["10"]), str(S3G["strongly-agree"]), "1"],
        ]),
    ],
    "stats": [
        # 4 reports, 2 partnerships, regions ES41 FI1D SE33 and one by name; memberships:
        # participating 2+3+1+2, leading 1+1+0+1, interested 0+1+0+0.
        ({}, [["4", "2", "4", "12", "0"]]),
    ],
    "reports": [
        ({}, [
            [str(r.iri), str(D[f"partnership/{r.slug}"]), str(D[f"period/{r.period}"]),
             *PERIODS[r.period][:2], f"{r.slug}-{r.period}.txt", sha(r)]
            for r in (REPORTS[3], REPORTS[2], REPORTS[1], REPORTS[0])
        ]),
        ({"partnership": P_BATTERIES}, [
            [str(REPORTS[3].iri), P_BATTERIES, str(D["period/2020-H1"]), "2020-01-01",
             "2020-06-30", f"{BATTERIES}-2020-H1.txt", sha(REPORTS[3])],
        ]),
    ],
}  # fmt: skip

CASES = [
    pytest.param(name, params, rows, id=f"{name}-{i}")
    for name, cases in EXPECTED.items()
    for i, (params, rows) in enumerate(cases)
]


#: Queries exercised elsewhere: on the ingested corpus (tests/test_links_e2e.py,
#: tests/test_validate_cli.py, the page-* queries in tests/test_api_pages.py) and on the loaded
#: NUTS reference files (tests/test_vocab_loading.py).
EXERCISED_ON_THE_CORPUS = {
    "changes",  # tests/test_changes_store.py
    "reporting-gaps",  # tests/test_changes_store.py
    "region-flows",  # tests/test_over_time_pages.py
    "shared-regions",
    "collaborations",
    "data-quality",
    "nuts-regions",
    "nuts-changes",
    *(path.stem for path in resource_dir("queries").glob("page-*.rq")),
}


def test_every_shipped_query_is_exercised() -> None:
    shipped = {q.name for q in list_queries()}
    assert shipped == set(EXPECTED) | EXERCISED_ON_THE_CORPUS


@pytest.mark.parametrize("name", sorted(set(EXPECTED) | EXERCISED_ON_THE_CORPUS))
def test_query_files_have_their_header_and_parse(name: str) -> None:
    path = resource_dir("queries") / f"{name}.rq"
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    for key in HEADER_FIELDS:
        assert any(line.startswith(f"# {key}:") for line in header), key
    result = ox.Store().query(text)  # parses (pyoxigraph) and is a SELECT
    assert isinstance(result, ox.QuerySolutions)
    query = load_query(name)
    assert query.title and query.description and query.columns
    assert tuple(v.value for v in result.variables) == query.columns
    assert "ORDER BY" in text


@pytest.mark.parametrize(("name", "params", "rows"), CASES)
def test_query_rows(
    store: Store, name: str, params: dict[str, str], rows: list[list[str | None]]
) -> None:
    result = run(store, name, **params)
    assert result.columns == list(load_query(name).columns)
    assert values(result) == rows


def test_counts_are_integers_and_dates_are_dates(store: Store) -> None:
    (batteries, _) = run(store, "partnerships").rows
    assert batteries[2] == ox.Literal("1", datatype=ox.NamedNode(str(XSD.integer)))
    first = run(store, "reports").rows[0]
    assert first[3] == ox.Literal("2020-01-01", datatype=ox.NamedNode(str(XSD.date)))
    assert isinstance(first[0], ox.NamedNode)


# -- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "canonical", "spellings"),
    [
        (
            "regions-of-partnership",
            {"partnership": f"partnership/{MINING}"},
            [MINING, MINING.upper(), "Mining Industry", "mining industry",
             P_MINING.replace(MINING, MINING.title())],
        ),
        ("sdg-profile", {"partnership": P_BATTERIES}, ["S3P Batteries", BATTERIES.upper()]),
        ("partnerships-of-region", {"code": "ES41"}, ["es41", "Es41", " es-41 "]),
    ],
)  # fmt: skip
def test_parameters_take_slugs_names_and_codes_in_any_case(
    store: Store, name: str, canonical: dict[str, str], spellings: list[str]
) -> None:
    """Issue 12: a partnership by its slug, name or IRI, a NUTS code in any case."""
    expected = values(run(store, name, **canonical))
    assert expected
    (parameter,) = canonical
    for spelling in spellings:
        assert values(run(store, name, **{parameter: spelling})) == expected, spelling




def test_parameters_are_declared_in_the_headers() -> None:
    query = load_query("regions-of-partnership")
    assert query.parameters == (
        Parameter("partnership", "iri", "the partnership, e.g. partnership/mining-industry", True),
    )
    assert load_query("partnerships").parameters == ()
    sdg = load_query("sdg-profile").parameter("partnership")
    assert sdg is not None and not sdg.required


def test_iri_parameters_resolve_against_the_base() -> None:
    query = load_query("regions-of-partnership")
    relative = bind_parameters(query, {"partnership": "partnership/x"}, base="http://ex.org/kg/")
    assert relative == {"partnership": ox.NamedNode("http://ex.org/kg/partnership/x")}
    absolute = bind_parameters(query, {"partnership": "urn:x:y"}, base=BASE)
    assert absolute == {"partnership": ox.NamedNode("urn:x:y")}


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("regions-of-partnership", {}, "needs the parameter partnership"),
        ("partnerships", {"partnership": "x"}, "no parameter partnership"),
        ("regions-of-partnership", {"partnership": "a", "limit": "3"}, "no parameter limit"),
        # a bare "has space" is a partnership's name now (issue 12); in a path it is no IRI
        ("regions-of-partnership", {"partnership": "partnership/has space"}, "expected an IRI"),
    ],
)
def test_bad_parameters_are_query_errors(
    store: Store, name: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        run(store, name, **params)


def test_an_injection_attempt_is_refused_or_harmless(store: Store) -> None:
    before = store.count()
    with pytest.raises(QueryError, match="expected an IRI"):
        run(store, "regions-of-partnership", partnership="partnership/x> } ; DROP ALL ; #")
    assert run(store, "partnerships-of-region", code='ES41" } ; DROP ALL ; #').rows == []
    assert store.count() == before


TYPED = """\
# title: Typed
# description: rows of a report's SDG table by number, periods by start date
# columns: n, start, label
# parameters: n (integer, required) - a row number
# parameters: start (date) - a first day
#   (optional when not marked)
# parameters: label (string, optional) - a period label
PREFIX s3g: <https://w3id.org/s3graph/def#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?n ?start ?label WHERE {
  ?a s3g:rowNumber ?n .
  ?period dcat:startDate ?start ; rdfs:label ?label .
} ORDER BY ?n ?start
"""


@pytest.fixture
def typed(tmp_path: Path) -> NamedQuery:
    path = tmp_path / "typed.rq"
    path.write_text(TYPED, encoding="utf-8")
    return load_query(str(path))


def test_typed_parameters_are_bound_as_typed_terms(store: Store, typed: NamedQuery) -> None:
    start = typed.parameter("start")
    assert start == Parameter("start", "date", "a first day (optional when not marked)", False)
    result = run_query(store, typed, {"n": "+012", "start": "2019-07-01"}, base=BASE)
    assert values(result) == [["12", "2019-07-01", "July - December 2019"]]
    bound = bind_parameters(typed, {"n": "9", "start": "2020-01-01", "label": "x"}, base=BASE)
    assert bound == {
        "n": ox.Literal("9", datatype=ox.NamedNode(str(XSD.integer))),
        "start": ox.Literal("2020-01-01", datatype=ox.NamedNode(str(XSD.date))),
        "label": ox.Literal("x"),
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n": "twelve"}, "expected an integer"),
        ({"n": "1.5"}, "expected an integer"),
        ({"n": "1", "start": "2020-13-01"}, "expected a date"),
        ({"n": "1", "start": "1/7/2019"}, "expected a date"),
    ],
)
def test_badly_typed_values_are_query_errors(
    store: Store, typed: NamedQuery, params: dict[str, str], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        run_query(store, typed, params, base=BASE)


# -- loading -----------------------------------------------------------------------------------


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(QueryError, match="unknown query 'nope'") as caught:
        load_query("nope")
    for name in EXPECTED:
        assert name in str(caught.value)


def test_a_missing_file_is_a_query_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no such query file"):
        load_query(str(tmp_path / "missing.rq"))


HEADER = "# title: t\n# description: d\n# columns: s\n# parameters: none\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "SELECT ?s WHERE { ?s ?p }", "SPARQL syntax error"),
        # A file that declares parameters is held to the whole header (issue 12: one without
        # '# parameters:' is a user's own query, run as it is).
        ("# title: t\n# parameters: none\nSELECT ?s WHERE { ?s ?p ?o }", "# description:, # col"),
        (HEADER + "SELECT ?s ?o WHERE { ?s ?p ?o }", "does not match the SELECT projection"),
        (HEADER + "ASK { ?s ?p ?o }", "must be a SELECT"),
        (
            HEADER.replace("none", "x (iri) - y") + "SELECT ?s WHERE { ?s ?p ?x }",
            "must be a projected variable",
        ),
        (HEADER.replace("none", "x (uri)") + "SELECT ?s WHERE { ?s ?p ?x }", "expected a param"),
    ],
    ids=["syntax", "header", "columns", "ask", "unprojected", "type"],
)
def test_a_malformed_query_file_names_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=message) as caught:
        load_query(str(path))
    assert str(caught.value).startswith(f"{path}: ")


def test_parse_query_reads_continued_fields() -> None:
    text = HEADER.replace("# description: d", "# description: first\n#   second") + "SELECT ?s {}"
    assert parse_query(text, Path("q.rq")).description == "first second"


# -- formatting --------------------------------------------------------------------------------

RESULT = QueryResult(
    columns=["thing", "label", "n"],
    rows=[
        [ox.NamedNode("http://ex.org/a"), ox.Literal("Léon, \"quoted\"", language="es"),
         ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer)))],
        [ox.NamedNode("http://ex.org/bb"), None, ox.Literal("plain")],
    ],
)  # fmt: skip


def test_format_table_aligns_plain_values() -> None:
    assert format_table(RESULT).splitlines() == [
        "thing             label           n",
        "----------------  --------------  -----",
        'http://ex.org/a   Léon, "quoted"  12',
        "http://ex.org/bb                  plain",
    ]


def test_format_csv_quotes_what_needs_it() -> None:
    assert format_csv(RESULT).splitlines() == [
        "thing,label,n",
        'http://ex.org/a,"Léon, ""quoted""",12',
        "http://ex.org/bb,,plain",
    ]


def test_format_json_is_sparql_results_json() -> None:
    document = json.loads(format_json(RESULT))
    assert document["head"] == {"vars": ["thing", "label", "n"]}
    assert document["results"]["bindings"] == [
        {
            "thing": {"type": "uri", "value": "http://ex.org/a"},
            "label": {"type": "literal", "value": 'Léon, "quoted"', "xml:lang": "es"},
            "n": {"type": "literal", "value": "12", "datatype": str(XSD.integer)},
        },
        {
            "thing": {"type": "uri", "value": "http://ex.org/bb"},
            "n": {"type": "literal", "value": "plain"},
        },
    ]


def test_format_json_matches_pyoxigraph_serialisation(store: Store) -> None:
    """Our layout parses to the same bindings as pyoxigraph's own SPARQL JSON writer."""
    query = load_query("regions-of-partnership")
    ours = json.loads(format_json(run(store, query.name, partnership=P_MINING)))
    substitutions = {"partnership": ox.NamedNode(P_MINING)}
    solutions = select(store, query.text, substitutions)
    theirs = json.loads(solutions.serialize(format=ox.QueryResultsFormat.JSON))
    assert ours == theirs


# -- where the queries are ---------------------------------------------------------------------


def test_resource_dir_is_the_checkout_folder_in_a_source_tree() -> None:
    root = Path(s3graph.resources.__file__).resolve().parents[1]
    assert resource_dir("queries") == root / "queries"
    with pytest.raises(ValueError, match="unknown resource folder"):
        resource_dir("templates")  # type: ignore[arg-type]


def test_resource_dir_prefers_the_packaged_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed, checkout = tmp_path / "site-packages" / "s3graph", tmp_path / "checkout"
    for folder in [installed / "queries", checkout / "queries", checkout / "ontology"]:
        folder.mkdir(parents=True)
    monkeypatch.setattr(s3graph.resources.resources, "files", lambda _package: installed)
    monkeypatch.setattr(s3graph.resources, "__file__", str(checkout / "s3graph" / "resources.py"))
    assert resource_dir("queries") == installed / "queries"
    assert resource_dir("ontology") == checkout / "ontology"
    with pytest.raises(FileNotFoundError, match=r"the shapes/ folder of s3graph is missing"):
        resource_dir("shapes")
