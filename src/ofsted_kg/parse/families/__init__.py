"""One module per report family: ``detect(doc) -> bool`` and ``parse(doc) -> Report``."""
