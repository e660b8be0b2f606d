"""ofsted-kg: a knowledge graph of Ofsted inspections of local authority children's services."""

from pathlib import Path as _Path

__version__ = "0.1.0"

# The ingesters live in the repository's top-level ingest/ folder and are installed as
# ofsted_kg.ingest. When this package is imported straight from a checkout (the current
# directory on sys.path), let Python find ofsted_kg.ingest there too.
if not (_Path(__file__).parent / "ingest").is_dir():
    __path__.append(str(_Path(__file__).resolve().parent.parent))  # noqa: F821
