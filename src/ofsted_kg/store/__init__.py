"""Store: one named graph per report, in an embedded Oxigraph store or a remote endpoint.

``open_store(location)`` opens either (location.py); both are a GraphStore (protocol.py).
"""

from ofsted_kg.store.folder import NotAStore, StoreError
from ofsted_kg.store.location import DEFAULT_STORE, open_store, resolve
from ofsted_kg.store.protocol import GraphStore

__all__ = ["DEFAULT_STORE", "GraphStore", "NotAStore", "StoreError", "open_store", "resolve"]
