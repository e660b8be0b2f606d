"""Query: the SPARQL query library, parameter binding and result rows."""
