"""Publish: exports, the dataset description, the agency graph, ontology docs, the reasoner."""
