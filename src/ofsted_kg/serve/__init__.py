"""Serve: the read-only SPARQL endpoint and its query page."""
