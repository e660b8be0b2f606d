"""Store: one named graph per report, in an embedded Oxigraph store or a remote endpoint."""
