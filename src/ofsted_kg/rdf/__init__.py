"""RDF: the only code that knows IRIs: the vocabulary, resource IRIs and the emitter."""
