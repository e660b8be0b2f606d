"""The full-text index beside the store (store/text_index.py): its answers are those of a
brute-force scan of every finding's text, it follows every write of the store (ingest,
--force, --replace, removal) and a store whose index is behind says so in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ofsted_kg import api
from ofsted_kg.store.embedded import Store
from ofsted_kg.store.text_index import SearchError, analyse

# Phrases of the reports' own vocabulary, single words and longer, common and rare.
PHRASES = [
    "social workers",
    "child protection plan",
    "care leavers",
    "private fostering",
    "domestic abuse",
    "missing from home",
    "sexual exploitation",
    "independent reviewing officers",
    "early help",
    "thresholds",
    "personal education plans",
    "health assessments",
    "the police",
    "local safeguarding children board",
    "disabled children",
    "caseloads",
    "management oversight",
    "return home interviews",
    "pathway plans",
    "unaccompanied asylum-seeking children",
]


def index_contents(store: Store) -> set[tuple[str, str, str]]:
    """What the index should hold: every finding of every report graph, from the store."""
    return {
        (iri, sha, text)
        for sha in store.report_shas()
        for iri, text in store.finding_texts(store.report_graph(sha))
    }


def brute_force(store: Store, phrase: str) -> set[str]:
    """The findings whose text holds the phrase's words in a row, compared as the index
    compares them (the same analyser: lower case, English stemmer), scanned one by one."""
    words = analyse(phrase)
    found = set()
    for iri, _sha, text in index_contents(store):
        tokens = analyse(text)
        if any(tokens[i : i + len(words)] == words for i in range(len(tokens) - len(words) + 1)):
            found.add(iri)
    return found


def searched(store: Store, phrase: str) -> set[str]:
    return {h.finding for h in store.search(f'"{phrase}"')}


def _store_with(paths: list[Path], where: Path) -> Store:
    store = api.open_store(where)
    result = api.ingest(paths, store, jobs=1)
    assert result.ok, [str(f) for f in result.failed]
    return store


@pytest.fixture(scope="module")
def seeds_indexed(seeds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _store_with(seeds, tmp_path_factory.mktemp("text-index") / "store")


def test_index_holds_every_finding_of_the_store(seeds_indexed: Store) -> None:
    expected = index_contents(seeds_indexed)
    assert len(expected) > 300  # the five seeds' findings
    assert seeds_indexed.text.documents() == expected


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrase_search_equals_a_brute_force_scan(seeds_indexed: Store, phrase: str) -> None:
    assert searched(seeds_indexed, phrase) == brute_force(seeds_indexed, phrase)


@pytest.mark.corpus
def test_phrase_search_equals_a_brute_force_scan_on_the_corpus(corpus_store: Store) -> None:
    texts = index_contents(corpus_store)
    assert corpus_store.text.documents() == texts
    nonempty = 0
    for phrase in PHRASES:
        expected = brute_force(corpus_store, phrase)
        assert searched(corpus_store, phrase) == expected, phrase
        nonempty += bool(expected)
    assert nonempty == len(PHRASES)  # every phrase is found somewhere in the corpus


def test_search_ranks_and_highlights(seeds_indexed: Store) -> None:
    rows = api.search('"private fostering" AND arrangements', seeds_indexed)
    assert rows.columns[-2:] == ["score", "passage"]
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and scores
    for r in rows:
        assert "**private** **fostering**" in r["passage"].lower()
        assert "private fostering" in r["text"].lower() and r["authority"]
    # NOT excludes
    without = api.search('"private fostering" -arrangements', seeds_indexed)
    assert not {r["text"] for r in without} & {r["text"] for r in rows}


def test_findings_search_query_uses_the_index(seeds_indexed: Store) -> None:
    rows = api.query("findings-search", {"phrase": "care leavers"}, seeds_indexed)
    assert len(rows) == len(brute_force(seeds_indexed, "care leavers"))
    assert rows.columns[-2:] == ["score", "passage"]


def test_a_search_the_engine_cannot_read_is_one_line(seeds_indexed: Store) -> None:
    with pytest.raises(SearchError, match="cannot read the search"):
        api.search("neglect AND (", seeds_indexed)


def test_index_follows_force_replace_and_removal(seeds: list[Path], tmp_path: Path) -> None:
    store = _store_with(seeds[:3], tmp_path / "store")
    assert store.text.documents() == index_contents(store)
    shas = store.report_shas()
    store.remove_reports(shas[:1])
    store.flush()
    assert store.text.documents() == index_contents(store)
    assert not {d for d in store.text.documents() if d[1] == shas[0]}
    result = api.ingest(seeds, store, jobs=1, force=True)
    assert result.ok
    assert store.text.documents() == index_contents(store)
    assert len(store.report_shas()) == len(seeds)


def test_a_read_only_store_whose_index_is_behind_says_so(seeds: list[Path], tmp_path: Path) -> None:
    where = tmp_path / "store"
    store = _store_with(seeds[:2], where)
    # a report written to the store's database alone, as a writer killed between the two
    # writes leaves it (the journal marks it pending)
    sha = store.report_shas()[0]
    store.text.begin([sha])
    del store
    reader = Store(where, read_only=True)
    with pytest.raises(SearchError, match="behind the store by 1 report.*ofsted-kg reindex"):
        reader.search("social")
    del reader
    proc = subprocess.run(
        [sys.executable, "-m", "ofsted_kg.cli", "reindex", "--store", str(where)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    reader = Store(where, read_only=True)
    assert list(reader.search("social"))
    assert reader.text.documents() == index_contents(reader)


def test_a_store_made_before_the_index_gets_one_on_its_first_writable_open(
    seeds: list[Path], tmp_path: Path
) -> None:
    import shutil

    where = tmp_path / "store"
    store = _store_with(seeds[:2], where)
    del store
    shutil.rmtree(where / "text-index")
    reader = Store(where, read_only=True)
    with pytest.raises(SearchError, match="reindex"):
        reader.search("social")
    del reader
    writer = Store(where)
    assert writer.text.documents() == index_contents(writer)


@pytest.mark.parametrize("fmt", ["JSON", "TSV", "XML"])
def test_findings_search_solutions_serialize_in_every_results_format(
    seeds_indexed: Store, fmt: str
) -> None:
    import io

    import pyoxigraph as ox

    expected = api.query("findings-search", {"phrase": "care leavers"}, seeds_indexed)
    out = io.BytesIO()
    found = api.solutions("findings-search", {"phrase": "care leavers"}, seeds_indexed)
    found.serialize(out, format=getattr(ox.QueryResultsFormat, fmt))
    parsed = ox.parse_query_results(out.getvalue(), format=getattr(ox.QueryResultsFormat, fmt))
    texts = [s["text"].value for s in parsed]
    assert texts == [r["text"] for r in expected] and texts
