"""The query library on the bundled reports and the shared corpus: facts read in the reports.

One store is built per test session (the seeds, plus ../shared's PDFs and authority data when
present); tests that need the corpus skip when ../shared is absent.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, Variable

from helpers import SHARED, shared
from ofsted_kg import api
from ofsted_kg.query.library import QueryError, find_query, library
from ofsted_kg.query.param_values import source_of
from ofsted_kg.query.results import Rows
from ofsted_kg.resources import example_reports
from ofsted_kg.store.embedded import Store

SEEDS = sorted(example_reports())
CAMDEN_2022 = SHARED / "corpus" / "pdf" / "camden-2022-06-21.pdf"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_sha(prefix: str) -> str:
    return sha(next(p for p in SEEDS if p.name.startswith(prefix)))


@functools.lru_cache(maxsize=1)
def build_store() -> tuple[Store, bool]:
    """An in-memory store of the seeds and, when present, the shared corpus and authorities."""
    store = Store(None)
    paths: list[Path] = list(SEEDS)
    corpus = SHARED / "corpus" / "pdf"
    with_corpus = corpus.is_dir()
    if with_corpus:
        paths.append(corpus)
    api.ingest(paths, store, jobs=2)
    authorities = SHARED / "reference" / "local-authorities.csv"
    if authorities.is_file():
        api.enrich_authorities(authorities, store)
    return store, with_corpus


@pytest.fixture(scope="session")
def kg() -> Store:
    return build_store()[0]


@pytest.fixture(scope="session")
def corpus(kg: Store) -> Store:
    shared("corpus", "pdf")
    return kg


def rows(store: Store, name: str, **params: str) -> list[dict[str, str | None]]:
    return api.query(name, params, store).values()


def has(result: list[dict], **expected: str) -> bool:
    return any(all(r.get(k) == v for k, v in expected.items()) for r in result)


# ---------------------------------------------------------------- the library


def test_library_has_twenty_queries_with_headers() -> None:
    lib = library()
    assert len(lib) >= 20
    for name, q in lib.items():
        assert q.title and q.question and q.columns, name


def test_every_query_returns_its_declared_columns(kg: Store) -> None:
    for name, q in library().items():
        params = {p: "management oversight" for p, d in q.params.items() if d.required}
        result = api.query(name, params, kg)
        assert result.columns == q.columns, name


def test_a_parameter_naming_a_column_filters_rows_to_its_value(kg: Store) -> None:
    """Every optional parameter with a result column of its name keeps exactly the rows with
    that value (a value taken from the unfiltered answer), and a value no report has gives no
    rows: bound in an OPTIONAL, a parameter would relabel rows instead of filtering them."""
    checked = 0
    for name, q in library().items():
        for param, decl in q.params.items():
            if decl.required or param not in q.columns or decl.kind != "literal":
                continue
            every = rows(kg, name)
            values = sorted({r[param] for r in every if r[param]})
            if not values:  # e.g. no body/table disagreement in these reports
                continue
            value = values[len(values) // 2]
            kept = [r for r in every if r[param] == value]
            assert rows(kg, name, **{param: value}) == kept, (name, param, value)
            if source_of(q, param) is None:
                assert rows(kg, name, **{param: "No such value anywhere"}) == [], (name, param)
            else:  # a labelled value that matches nothing known is an error, not no rows
                with pytest.raises(QueryError, match="'No such value anywhere' is known"):
                    rows(kg, name, **{param: "No such value anywhere"})
            checked += 1
    assert checked >= 20


def _unordered(result: Rows) -> list[tuple]:
    """The rows, each "; "-joined value as a set (GROUP_CONCAT's order is the engine's)."""
    joined = [tuple(frozenset((v or "").split("; ")) for v in row.values()) for row in result]
    return sorted(joined, key=repr)


def test_queries_scoped_to_one_authority_give_the_answer_of_every_graph(kg: Store) -> None:
    """A query declaring ``scope: authority`` runs, with an authority given, over that
    authority's report graphs alone (and the ontology and enrichment graphs): for every
    authority in the store, a name no report has and a hostile one, it gives the rows it
    gives over the union of every graph."""
    names = {r["authority"] for r in rows(kg, "inspections")}
    names |= {"Barnet"}  # an authority of the register that no report of the store is about
    scoped = {name: q for name, q in library().items() if q.scope}
    assert len(scoped) >= 15 and "statistical-neighbours" not in scoped
    for name, q in scoped.items():
        for authority in sorted(names):
            terms = api.bind(q, {"authority": authority})
            union = Rows.from_solutions(kg.query(q.text, substitutions=terms))
            result = api.query(name, {"authority": authority}, kg)
            assert result.columns == union.columns
            assert _unordered(result) == _unordered(union), (name, authority)
        for hostile in ("No such authority", 'Camden" } UNION { ?s ?p ?o'):
            with pytest.raises(QueryError, match="is known"):
                api.query(name, {"authority": hostile}, kg)
    graphs = kg.authority_graphs(ox.Literal("Camden"))
    assert 0 < len(graphs) < len(list(kg.report_graphs()))


# ---------------------------------------------------------------- the four first queries


def test_judgements_camden_2012(kg: Store) -> None:
    result = rows(kg, "judgements", authority="Camden")
    assert has(result, inspection_start="2012-02-20", service="Safeguarding services",
               area="Quality of provision", grade="Adequate")  # fmt: skip
    assert all(r["authority"] == "Camden" for r in result)


def test_recommendations_to_nhs_north_central_london(kg: Store) -> None:
    result = rows(kg, "recommendations", authority="Camden")
    assert has(result, addressee="NHS North Central London", timescale="Within three months")


def test_agency_mentions_whittington(kg: Store) -> None:
    result = rows(kg, "agency-mentions", authority="Camden")
    assert has(result, agency="Whittington Health", report_sha256=seed_sha("000"))


def test_findings_strengths_of_the_cra_letter(kg: Store) -> None:
    result = rows(kg, "findings", authority="Camden", kind="Strength")
    assert any(r["report_sha256"] == seed_sha("003") for r in result)
    assert all(r["kind"] == "Strength" for r in result)


# ---------------------------------------------------------------- the questions of issue 5


def test_grade_matrix_pivots(kg: Store) -> None:
    result = rows(
        kg,
        "grade-matrix",
        framework="Inspection of safeguarding and looked after children services",
    )
    assert has(result, authority="Camden", inspection_start="2012-02-20", service="Safeguarding services",
               area="Quality of provision", grade="Adequate", grade_number="3")  # fmt: skip
    assert {r["framework"] for r in result} == {
        "Inspection of safeguarding and looked after children services"
    }


def test_grade_matrix_sif_corpus(corpus: Store) -> None:
    result = rows(corpus, "grade-matrix", framework="Single inspection framework")
    assert has(result, authority="Birmingham", inspection_start="2016-09-12",
               area="Overall effectiveness", grade="Inadequate", grade_number="4")  # fmt: skip
    assert has(result, authority="Camden", inspection_start="2017-09-11",
               area="Overall effectiveness", grade="Good")  # fmt: skip


def test_authority_timeline_camden(kg: Store) -> None:
    result = rows(kg, "authority-timeline", authority="Camden")
    dates = [r["date"] for r in result]
    assert dates == sorted(dates)
    assert has(result, date="2010-11-09", kind="Unannounced inspection", grade=None)
    assert has(result, date="2012-02-20", service="Services for looked after children",
               area="Being healthy", grade="Good")  # fmt: skip
    assert has(result, date="2023-10-31", kind="Focused visit", grade=None)


def test_authority_timeline_camden_corpus(corpus: Store) -> None:
    result = rows(corpus, "authority-timeline", authority="Camden")
    firsts = list(dict.fromkeys(r["date"] for r in result))
    assert firsts == [
        "2010-11-09",
        "2012-02-20",
        "2017-09-11",
        "2022-04-25",
        "2023-10-31",
        "2025-03-03",
    ]
    assert has(result, date="2017-09-11", framework="Review of the local safeguarding children board",
               grade="Outstanding")  # fmt: skip
    assert has(result, date="2022-04-25", area="Overall effectiveness", grade="Outstanding")


def test_grade_changes(corpus: Store) -> None:
    camden = rows(corpus, "grade-changes", authority="Camden")
    assert has(camden, area="Overall effectiveness", earlier_start="2017-09-11", earlier_grade="Good",
               later_start="2022-04-25", later_grade="Outstanding", change="improved")  # fmt: skip
    assert has(camden, area="Overall effectiveness", earlier_start="2022-04-25",
               later_start="2025-03-03", change="same")  # fmt: skip
    # consecutive only: no pair skips the 2022 inspection
    assert not has(camden, earlier_start="2017-09-11", later_start="2025-03-03")
    wolves = rows(corpus, "grade-changes", authority="Wolverhampton")
    assert has(wolves, area="The impact of leaders on social work practice with children and families",
               earlier_grade="Outstanding", later_grade="Good", change="declined")  # fmt: skip


def test_agencies_across_authorities(kg: Store) -> None:
    result = rows(kg, "agencies-across-authorities")
    trust = next(
        r for r in result if r["agency"] == "Central and North West London NHS Foundation Trust"
    )
    assert {"Camden", "Kensington and Chelsea"} <= set(trust["authorities"].split("; "))
    assert all(int(r["authority_count"]) > 1 for r in result)


def test_agencies_across_authorities_corpus(corpus: Store) -> None:
    result = rows(corpus, "agencies-across-authorities", kind="Regulator")
    cqc = next(r for r in result if r["agency"] == "Care Quality Commission")
    assert {"Camden", "Gateshead", "Islington", "Wolverhampton"} <= set(
        cqc["authorities"].split("; ")
    )


def test_recommendations_to_partners(kg: Store) -> None:
    result = rows(kg, "recommendations-to-partners")
    assert has(result, authority="Camden", agency="NHS North Central London", kind="Primary care trust",
               timescale="Within three months") or has(result, authority="Camden", agency="NHS North Central London")  # fmt: skip
    assert has(result, authority="Kensington and Chelsea", agency="St Charles Hospital urgent care centre",
               timescale="Immediately")  # fmt: skip
    assert not has(result, agency="Camden")  # the authority is not a partner agency


def test_recommendations_immediate(kg: Store) -> None:
    result = rows(kg, "recommendations-immediate")
    kc = [r for r in result if r["authority"] == "Kensington and Chelsea"
          and r["text"].startswith("Inner North West London PCTs and the urgent care centre")]  # fmt: skip
    assert kc and set(kc[0]["addressee"].split("; ")) == {
        "Inner North West London PCTs", "St Charles Hospital urgent care centre"}  # fmt: skip
    assert any(r["authority"] == "Camden" and "previous history" in r["text"] for r in result)
    assert not any("designated doctor" in r["text"] for r in result)  # within three months


def test_lead_inspectors(kg: Store) -> None:
    result = rows(kg, "lead-inspectors", inspector="Paul d'Inverno")
    assert result and result[0]["inspections"] == "1"
    assert result[0]["judgements"] == "22"
    assert int(result[0]["good_count"]) + int(result[0]["adequate_count"]) == 22


def test_lead_inspectors_corpus(corpus: Store) -> None:
    result = rows(corpus, "lead-inspectors")
    counts = {r["inspector"]: int(r["inspections"]) for r in result}
    assert counts["Ian Young"] >= 1 and counts["Steve Lowe"] >= 1
    assert max(counts.values()) == int(result[0]["inspections"])


def test_lscb_judgements(corpus: Store) -> None:
    result = rows(corpus, "lscb-judgements")
    assert has(result, authority="Camden", board="Camden Safeguarding Children Board",
               inspection_start="2017-09-11", grade="Outstanding")  # fmt: skip
    assert has(result, authority="Knowsley", grade="Inadequate")
    assert has(result, authority="Somerset", grade="Inadequate")
    assert has(result, authority="Barnsley", published="2014-08-08",
               area="The effectiveness of the Local Safeguarding Children Board")  # fmt: skip


def test_body_table_disagreements(kg: Store, tmp_path: Path) -> None:
    assert rows(kg, "body-table-disagreements") == []  # the real reports agree with themselves
    seed = next(p for p in SEEDS if p.name.startswith("000"))
    text = seed.read_text(encoding="utf-8")
    row = "Quality of provision\tAdequate\nThe contribution of health agencies"
    assert text.count(row) == 1
    altered = tmp_path / "camden-altered.txt"
    altered.write_text(text.replace(row, row.replace("Adequate", "Outstanding")), encoding="utf-8")
    store = Store(None)
    api.ingest([altered], store, jobs=1)
    result = rows(store, "body-table-disagreements")
    assert len(result) == 1
    assert result[0]["area"] == "Quality of provision"
    assert result[0]["recorded_grade"] == "Adequate"
    assert "Outstanding" in result[0]["note"]


def test_visits_referring_back(kg: Store) -> None:
    result = rows(kg, "visits-referring-back", authority="Camden")
    assert has(result, letter_date="2023-10-31", earlier_date="2022-04",
               quoted_area="Overall effectiveness of services", quoted_grade="Outstanding")  # fmt: skip
    assert has(result, letter_date="2010-11-09", earlier_date="2009-10", quoted_grade=None)


def test_visits_referring_back_to_the_2022_report(corpus: Store) -> None:
    result = rows(corpus, "visits-referring-back", authority="Camden")
    row = next(r for r in result if r["quoted_area"] == "Overall effectiveness of services")
    assert row["earlier_report_sha256"] == sha(CAMDEN_2022)
    assert row["earlier_area"] == "Overall effectiveness"
    assert row["earlier_grade"] == "Outstanding"


def test_agency_network(kg: Store) -> None:
    result = rows(kg, "agency-network")
    assert all(r["agency"] < r["other_agency"] for r in result)
    assert has(result, agency="Royal Free Hampstead NHS Trust", other_agency="Whittington Health")


def test_agency_network_corpus(corpus: Store) -> None:
    result = rows(corpus, "agency-network")
    edge = next(r for r in result if r["agency"] == "University College London Hospitals NHS Foundation Trust"
                and r["other_agency"] == "Whittington Health")  # fmt: skip
    assert int(edge["weight"]) >= 2
    assert {"Camden", "Islington"} <= set(edge["authorities"].split("; "))


def test_authorities_by_region(corpus: Store) -> None:
    shared("reference", "local-authorities.csv")
    london = rows(corpus, "authorities-by-region", region="London")
    assert has(london, authority="Camden", latest_start="2025-03-03", overall_grade="Outstanding")
    assert all(r["region"] == "London" for r in london)
    assert has(
        rows(corpus, "authorities-by-region"), region="East Midlands", authority="Lincolnshire"
    )


def test_statistical_neighbours(corpus: Store) -> None:
    shared("reference", "local-authorities.csv")
    result = rows(corpus, "statistical-neighbours", authority="Camden")
    assert has(result, neighbour="Islington", neighbour_overall_grade="Outstanding")
    assert has(result, neighbour="Barnet", neighbour_overall_grade=None)


def test_findings_search(kg: Store) -> None:
    result = rows(kg, "findings-search", phrase="management oversight")
    assert has(result, authority="Camden", inspection_start="2023-10-31", kind="What needs to improve",
               text="Management oversight of practice and timely decision making to progress children's plans.")  # fmt: skip
    assert has(result, authority="Camden", inspection_start="2012-02-20")
    # the store's text index answers: the words in a row, stemmed ("manager oversight" too)
    assert all(re.search(r"\bmanag\w*'? oversight", r["text"], re.I) for r in result)
    assert {r["phrase"] for r in result} == {"management oversight"}  # as asked, not stemmed
    assert rows(kg, "findings-search", phrase="zzz no such phrase") == []


def test_inspections(kg: Store) -> None:
    result = rows(kg, "inspections", authority="Camden")
    assert has(result, start="2010-11-09", kind="Unannounced inspection", lead_inspector="Ian Young",
               judgements="0")  # fmt: skip
    assert has(result, start="2012-02-20", lead_inspector="Paul d'Inverno", judgements="22")
    every = rows(kg, "inspections")
    slac = "Inspection of safeguarding and looked after children services"
    result = rows(kg, "inspections", framework=slac)
    assert result and len(result) < len(every)  # the parameter filters, not relabels
    assert result == [r for r in every if r["framework"] == slac]


def test_reports(kg: Store) -> None:
    result = {r["report_sha256"]: r for r in rows(kg, "reports")}
    assert result[seed_sha("000")]["family"] == "slac"
    assert result[seed_sha("002")]["family"] == "ilacs_visit"
    assert result[seed_sha("003")]["family"] == "cra_letter"
    assert result[seed_sha("000")]["judgements"] == "22"
    assert set(map(seed_sha, ["000", "001", "002", "003", "004"])) <= set(result)


def test_grade_distribution_adds_up(kg: Store) -> None:
    fw = "Inspection of safeguarding and looked after children services"
    dist = rows(kg, "grade-distribution", framework=fw)
    matrix = rows(kg, "grade-matrix", framework=fw)
    assert sum(int(r["judgements"]) for r in dist) == len(
        {(r["authority"], r["inspection_start"], r["service"], r["area"]) for r in matrix}
    )
    assert has(dist, area="Quality of provision", grade="Adequate")


def test_service_statistics(kg: Store) -> None:
    result = rows(kg, "service-statistics", authority="Camden", measure="Looked after children")
    assert has(result, inspection_start="2012-02-20", value="267")


def test_themes_queries_run_without_tags(kg: Store) -> None:
    for name in ("recurring-themes", "themes-by-year"):
        assert api.query(name, {}, kg).columns == find_query(name).columns


def test_theme_queries_with_tagged_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """With only the rule that tags "management oversight", Camden's theme recurs in 2012 and 2023."""
    from ofsted_kg.enrich import agencies as enrich

    def rule(text: str) -> tuple[tuple[str, str], ...]:
        return (
            (("management-oversight", "oversight-management"),)
            if "management oversight" in text.lower()
            else ()
        )

    monkeypatch.setattr(enrich, "classify_themes", rule)
    store = Store(None)
    result = api.ingest(SEEDS, store, jobs=1)
    assert result.ok, result.failed
    recurring = rows(store, "recurring-themes", authority="Camden")
    row = next(
        r for r in recurring if r["theme"] in ("management-oversight", "Management oversight")
    )
    assert {"2012", "2023"} <= set(row["years"].split("; "))
    by_year = rows(store, "themes-by-year")
    years = {r["year"] for r in by_year if r["theme"] == row["theme"]}
    assert {"2012", "2023"} <= years
    search = rows(store, "findings-search", phrase="Management oversight of practice")
    assert search and search[0]["themes"] == row["theme"]


# ---------------------------------------------------------------- parameters and the API


HOSTILE = [
    'Camden" } UNION { ?s ?p ?o',
    "Camden' } UNION { ?s ?p ?o } #",
    "}}{{",
    '\\"',
    "} UNION {",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_do_not_change_the_query(kg: Store, value: str) -> None:
    q = find_query("judgements")
    before = q.text
    # the engine, given the value as a term, finds no such authority ...
    result = Rows.from_solutions(kg.query(q.text, substitutions=api.bind(q, {"authority": value})))
    assert result.columns == q.columns and len(result) == 0
    assert find_query("judgements").text == before
    # ... and the library says so, before asking the engine
    with pytest.raises(QueryError, match="no authority .* is known"):
        api.query("judgements", {"authority": value}, kg)
    search = api.query("findings-search", {"phrase": value}, kg)
    assert len(search) == 0
    # a real value still works through the same path
    assert len(api.query("findings-search", {"phrase": "oversight"}, kg)) > 0


def test_bound_values_are_rdf_terms() -> None:
    q = find_query("judgements")
    terms = api.bind(q, {"authority": 'x" } UNION { ?s ?p ?o'})
    assert terms == {ox.Variable("authority"): ox.Literal('x" } UNION { ?s ?p ?o')}
    with pytest.raises(QueryError):
        api.bind(q, {"nope": "1"})


def test_solutions_stream_the_rows_of_query(kg: Store, tmp_path: Path) -> None:
    for params in ({}, {"authority": "Camden"}):  # the union, then one authority's graphs
        rows = api.query("judgements", params, kg)
        streamed = api.solutions("judgements", params, kg)
        values = [[None if t is None else t.value for t in s] for s in streamed]
        assert values == [[row[c] for c in rows.columns] for row in rows.values()]
        assert len(values) > 0
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="only SELECT"):
        api.solutions(str(ask), {}, kg)


def test_dataframe(kg: Store) -> None:
    pd = pytest.importorskip("pandas")
    df = api.query("grade-matrix", {"authority": "Camden"}, kg).to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == find_query("grade-matrix").columns
    matrix = df.pivot_table(index=["inspection_start", "service"], columns="area", values="grade",
                            aggfunc="first")  # fmt: skip
    assert matrix.loc[(pd.Timestamp("2012-02-20"), "Safeguarding services"),
                      "Quality of provision"] == "Adequate"  # fmt: skip


def test_dataframe_columns_are_typed_from_the_query_datatypes(kg: Store) -> None:
    """Counts as integers, dates as dates, text as text: sorting and plotting work at once."""
    pd = pytest.importorskip("pandas")
    df = api.query("grade-matrix", {"authority": "Camden"}, kg).to_dataframe()
    assert str(df["grade_number"].dtype) == "Int64" and str(df["grade"].dtype) in ("object", "str")
    assert pd.api.types.is_datetime64_any_dtype(df["inspection_start"])
    assert df["inspection_start"].min() == pd.Timestamp("2012-02-20")
    reports = api.query("reports", {}, kg).to_dataframe()
    assert str(reports["findings"].dtype) == "Int64" and reports["findings"].sum() > 100
    assert pd.api.types.is_datetime64_any_dtype(reports["published"])
    found = api.query("findings-search", {"phrase": "oversight"}, kg).to_dataframe()
    assert str(found["score"].dtype) == "Float64" and str(found["page"].dtype) == "Int64"
    assert found["score"].is_monotonic_decreasing
    # a value that does not read as its column's type: the column stays text, nothing lost
    odd = Rows(["n"], [("1",), ("many",), (None,)], [XSD_INTEGER]).to_dataframe()
    assert list(odd["n"]) == ["1", "many", None]


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


# ---------------------------------------------------------------- two engines


def rdflib_dataset(store: Store) -> Dataset:
    ds = Dataset(default_union=True)
    data = store.ox.dump(format=ox.RdfFormat.N_QUADS) or b""
    ds.parse(data=data.decode(), format="nquads")
    return ds


def rdflib_rows(ds: Dataset, name: str, params: dict[str, str]) -> list[tuple]:
    q = find_query(name)
    bindings = {Variable(k): Literal(v) for k, v in params.items()}
    result = ds.query(q.text, initBindings=bindings)
    out = []
    for row in result:
        out.append(tuple(None if row[c] is None else str(row[c]) for c in q.columns))
    return out


def normalise(values: list[tuple]) -> list[tuple]:
    """Rows as a sorted list, joined lists sorted (GROUP_CONCAT's order is not defined)."""
    out = []
    for row in values:
        out.append(
            tuple(
                v if v is None or "; " not in v else "; ".join(sorted(v.split("; "))) for v in row
            )
        )
    return sorted(out, key=repr)


ENGINE_PARAMS = {"findings-search": {"phrase": "management oversight"}}


@pytest.fixture(scope="session")
def seeds_only() -> Store:
    store = Store(None)
    api.ingest(SEEDS, store, jobs=2)
    return store


@pytest.mark.parametrize("name", sorted(library()))
def test_engines_agree(seeds_only: Store, name: str) -> None:
    ds = _dataset(seeds_only)
    params = ENGINE_PARAMS.get(name, {})
    q = find_query(name)
    if name == "findings-search":  # the query text itself, not the text index that stands in
        found = Rows.from_solutions(seeds_only.query(q.text, substitutions=api.bind(q, params)))
    else:
        found = api.query(name, params, seeds_only)
    ox_rows = [tuple(r[c] for c in q.columns) for r in found.values()]
    assert normalise(ox_rows) == normalise(rdflib_rows(ds, name, params))
    if "authority" in q.params:
        ox_camden = [tuple(r[c] for c in q.columns)
                     for r in api.query(name, {"authority": "Camden"}, seeds_only).values()]  # fmt: skip
        assert normalise(ox_camden) == normalise(rdflib_rows(ds, name, {"authority": "Camden"}))


@functools.lru_cache(maxsize=1)
def _dataset_cached(key: int) -> Dataset:
    return rdflib_dataset(_STORES[key])


_STORES: dict[int, Store] = {}


def _dataset(store: Store) -> Dataset:
    _STORES[id(store)] = store
    return _dataset_cached(id(store))
