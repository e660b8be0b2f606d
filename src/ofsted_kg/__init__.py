"""ofsted-kg: a knowledge graph of Ofsted inspections of local authority children's services."""

__version__ = "0.1.0"
