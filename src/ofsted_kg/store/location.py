"""Where the store is and how it is opened: ``--store``, else $OFSTED_KG_STORE, else
./.ofsted-kg/store; a folder (the embedded store) or an http(s) URL (a SPARQL 1.1 endpoint).
Resolved here alone: the CLI and the API hand over what they were given."""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from ofsted_kg.rdf.iris import Iris
from ofsted_kg.store.embedded import Store
from ofsted_kg.store.folder import StoreError
from ofsted_kg.store.protocol import GraphStore
from ofsted_kg.store.remote import RemoteError, RemoteStore, is_url

DEFAULT_STORE = Path(".ofsted-kg") / "store"
STORE_VARIABLE = "OFSTED_KG_STORE"

# The embedded stores open in this process, by folder and read_only: the database allows one
# writer, so a second open_store of a folder this process writes hands back the same Store.
_OPEN: weakref.WeakValueDictionary[tuple[Path, bool], Store] = weakref.WeakValueDictionary()


def resolve(location: str | os.PathLike[str] | None = None) -> Path | str:
    """The store's folder (a Path) or its endpoint's URL (a str)."""
    if location is None:
        location = os.environ.get(STORE_VARIABLE) or DEFAULT_STORE
    text = os.fspath(location)
    return text if is_url(text) else Path(text)


def open_store(location: str | os.PathLike[str] | None = None, base: str | None = None,
               read_only: bool = False) -> GraphStore:  # fmt: skip
    """The store at ``location`` (see resolve): a Store for a folder, a RemoteStore for an
    http(s) URL (the ontology's graph loaded into it unless ``read_only``).

    A store already open in this process is reused. Errors opening a folder, or an endpoint
    that does not answer, are StoreError (an OSError) with a one-line message; a base IRI
    the store was not made with is a ValueError.
    """
    where = resolve(location)
    if isinstance(where, str):
        remote = RemoteStore(where, base=base)
        try:  # an endpoint that does not answer is said so here, in one line
            remote.query("ASK {}")
            if not read_only:
                remote.ensure_ontology()
        except RemoteError as exc:
            raise StoreError(f"cannot open the store at {where}: {exc}") from None
        return remote
    key = where.resolve()
    for cached in ((key, False), (key, read_only)):  # a writer serves reads too
        store = _OPEN.get(cached)
        if store is not None:
            if base and Iris(base).base != store.iris.base:
                raise ValueError(
                    f"the store at {where} uses base IRI {store.iris.base}, not {base}"
                )
            return store
    store = Store(where, base=base, read_only=read_only)
    _OPEN[(key, read_only)] = store
    return store
