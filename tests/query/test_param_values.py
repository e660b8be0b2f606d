"""Parameters matched as people write them (issue 22, problem 1): each miss that used to
answer nothing, silently, reproduced, then matched; a value of nothing known is an error
naming the closest values, in the API, the CLI and the agency graph alike."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fixture_pdfs import fixture_pdf

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.query.library import QueryError, find_query, library
from ofsted_kg.query.param_values import SOURCES, known_values, source_of, spelling
from ofsted_kg.resources import example_reports
from ofsted_kg.store.embedded import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """On disk (the CLI opens it): the seeds, an ILACS report and a SIF report."""
    path = tmp_path_factory.mktemp("params") / "store"
    s = api.open_store(path)
    pdfs = [fixture_pdf("camden-2022-06-21.pdf"), fixture_pdf("camden-2017-11-24.pdf")]
    assert api.ingest([*example_reports(), *pdfs], s, jobs=1).ok
    return s


def rows(store: Store, name: str, **params: str) -> list[dict]:
    return api.query(name, params, store).values()


def test_an_authority_by_any_of_its_names_or_its_gss_code(store: Store) -> None:
    exact = rows(store, "judgements", authority="Camden")
    assert exact
    for written in ("camden", "CAMDEN ", "London Borough of Camden", "Camden Council", "E09000007"):
        assert rows(store, "judgements", authority=written) == exact, written


def test_a_framework_by_its_short_name_or_key(store: Store) -> None:
    ilacs = rows(
        store, "grade-matrix", framework="Inspection of local authority children's services"
    )
    assert ilacs and {r["framework"] for r in ilacs} == {
        "Inspection of local authority children's services"
    }
    assert rows(store, "grade-matrix", framework="ILACS") == ilacs
    assert rows(store, "grade-matrix", framework="ilacs") == ilacs
    sif = rows(store, "grade-matrix", framework="sif")
    assert sif and {r["framework"] for r in sif} == {"Single inspection framework"}


def test_kinds_as_people_write_them(store: Store) -> None:
    strengths = rows(store, "findings", kind="Strength")
    assert strengths and rows(store, "findings", kind="strength") == strengths
    police = [r["agency"] for r in rows(store, "agencies-across-authorities", kind="Police force")]
    assert rows(store, "agencies-across-authorities", kind="police force") == rows(
        store, "agencies-across-authorities", kind="Police force"
    )
    assert all("olice" in a for a in police)


def test_a_theme_by_its_key(store: Store) -> None:
    by_label = rows(store, "themes-by-year", theme="Early help")
    assert by_label and rows(store, "themes-by-year", theme="early-help") == by_label


def test_a_value_of_nothing_known_is_an_error_with_the_closest(store: Store) -> None:
    cases = [
        ("judgements", {"authority": "Camdn"}, "Camden"),
        ("grade-matrix", {"framework": "ILAC"}, "Inspection of local authority children's services"),
        ("agencies-across-authorities", {"kind": "police"}, "Police force"),
        ("findings", {"kind": "strenghts"}, "Strength"),
        ("lead-inspectors", {"inspector": "paul"}, "Paul d'Inverno"),
    ]  # fmt: skip
    for name, params, closest in cases:
        with pytest.raises(QueryError) as info:
            api.query(name, params, store)
        message = str(info.value)
        assert message.startswith(f"{name}: parameter ") and closest in message, message
        assert "\n" not in message


def test_the_cli_exits_1_with_one_line(store: Store) -> None:
    runner = CliRunner()
    for args in (
        ["query", "judgements", "--param", "authority=Camdn"],
        ["agencies", "--authority", "Camdn", "--out", "graph.graphml"],
    ):
        with runner.isolated_filesystem():
            result = runner.invoke(main, [*args, "--store", str(store.path)])
            assert result.exit_code == 1, result.output
            [line] = result.output.strip().splitlines()
            assert "Camden" in line and "Camdn" in line
    ok = runner.invoke(main, ["query", "judgements", "--param", "authority=camden", "--format",
                              "csv", "--store", str(store.path)])  # fmt: skip
    assert ok.exit_code == 0 and ok.output.count("\n") > 10


def test_every_labelled_parameter_of_the_library_has_a_source() -> None:
    free = {("findings-search", "phrase")}
    for q in library().values():
        for name, p in q.params.items():
            if p.kind == "literal" and (q.name, name) not in free:
                assert source_of(q, name) in SOURCES, (q.name, name)
    assert source_of(find_query("findings-search"), "phrase") is None


def test_the_known_values_are_the_labels_the_queries_compare(store: Store) -> None:
    kinds = known_values("agency-kinds", store)
    assert "Police force" in kinds.values and kinds.by_spelling["police force"] == ("Police force",)
    frameworks = known_values("frameworks", store)
    assert frameworks.by_spelling["sif"] == ("Single inspection framework",)
    assert "Camden" in known_values("authorities", store).values
    assert spelling("The Children’s  Trust & Co.") == "childrens trust and co"
    assert spelling("Máire") == spelling("Maire")


def test_queries_name_shows_the_header_and_each_parameters_values(store: Store) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["queries", "agencies-across-authorities"])
    assert result.exit_code == 0, result.output
    assert "question: Which partner agencies appear" in result.output
    [values] = [line for line in result.output.splitlines() if line.startswith("values of kind")]
    assert "Police force" in values and "NHS foundation trust" in values
    result = runner.invoke(main, ["queries", "judgements", "--store", str(store.path)])
    [values] = [line for line in result.output.splitlines() if line.startswith("values of auth")]
    assert (
        values == "values of authority in the store (3): Camden; Islington; Kensington and Chelsea"
    )
    missing = runner.invoke(main, ["queries", "judgment"])
    assert missing.exit_code == 1
    assert "no query named 'judgment' (closest: judgements" in missing.output


def test_the_terminal_table_fits_its_terminal(store: Store) -> None:
    """At 100 columns no grade is cut ("Outstand…") and no line is longer than the terminal;
    hashes are shortened; --wide gives every value whole (issue 22, problem 6)."""
    runner = CliRunner()
    args = ["query", "judgements", "--param", "authority=Camden", "--store", str(store.path)]
    table = runner.invoke(main, args, env={"COLUMNS": "100"})
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert max(len(line) for line in lines) <= 100 and "…" not in table.output
    grades = {r["grade"] for r in rows(store, "judgements", authority="Camden")}
    assert "Outstanding" in grades and "Outstanding" in table.output
    sha = rows(store, "judgements", authority="Camden")[0]["report_sha256"]
    assert sha not in table.output and sha[:8] in table.output
    wide = runner.invoke(main, [*args, "--wide"], env={"COLUMNS": "100"})
    assert sha in wide.output and "Inspection of local authority children's services" in wide.output
