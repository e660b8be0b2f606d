"""Session fixtures: the bundled seeds, a store holding them, and one with the corpus too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import shared
from ofsted_kg import api
from ofsted_kg.resources import example_reports

# Every store the tests make records the same ingest times (store/history.py reads the clock
# of reproducible builds), so that exports of stores made apart compare byte for byte; the
# tests of the history itself unset it or set their own.
os.environ["SOURCE_DATE_EPOCH"] = "1764547200"  # 2025-12-01T00:00:00Z


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the corpus-wide tests (marker ``corpus``) unless OFSTED_KG_CORPUS=1 or
    ``-m`` names them: the bundled fixtures cover every family, and the corpus takes minutes."""
    if os.environ.get("OFSTED_KG_CORPUS") == "1" or "corpus" in (config.option.markexpr or ""):
        return
    corpus = [item for item in items if item.get_closest_marker("corpus")]
    if corpus:
        config.hook.pytest_deselected(items=corpus)
        items[:] = [item for item in items if not item.get_closest_marker("corpus")]


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return example_reports()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> api.Store:
    """A store holding the five bundled seed reports (built once per test session)."""
    store = api.open_store(tmp_path_factory.mktemp("seed-store") / "store")
    result = api.ingest(seeds, store, jobs=1)
    assert result.ok, [str(f) for f in result.failed]
    return store


@pytest.fixture(scope="session")
def seed_sha(seeds: list[Path]) -> dict[str, str]:
    """Seed file name -> sha256 of its bytes."""
    from ofsted_kg.read.document import sha256_of

    return {p.name: sha256_of(p.read_bytes()) for p in seeds}


@pytest.fixture(scope="session")
def corpus_pdfs() -> list[Path]:
    """The shared corpus PDFs (two of them HTML pages saved as .pdf); skips when absent."""
    return sorted(shared("corpus", "pdf").glob("*.pdf"))


@pytest.fixture(scope="session")
def corpus_store(
    tmp_path_factory: pytest.TempPathFactory, seeds: list[Path], corpus_pdfs: list[Path]
) -> api.Store:
    """A store holding the seeds and every readable corpus PDF (built once per session)."""
    store = api.open_store(tmp_path_factory.mktemp("corpus-store") / "store")
    result = api.ingest([*seeds, *corpus_pdfs], store, jobs=2)
    reasons = {f.path.name: f.reason for f in result.failed}
    # only the two HTML pages saved as .pdf are refused
    assert reasons == {"birmingham-2012-10-19.pdf": "HTML page, not a PDF",
                       "blackpool-2012-07-13.pdf": "HTML page, not a PDF"}  # fmt: skip
    return store


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save their screenshots: a temporary folder, or the one
    OFSTED_KG_SCREENSHOTS names (``OFSTED_KG_SCREENSHOTS=docs`` refreshes docs/'s images)."""
    named = os.environ.get("OFSTED_KG_SCREENSHOTS")
    if named:
        Path(named).mkdir(parents=True, exist_ok=True)
        return Path(named)
    return tmp_path_factory.mktemp("screenshots")
