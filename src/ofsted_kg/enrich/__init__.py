"""Enrich: partner agencies, themes and relationships added to a parsed Report. No RDF."""
