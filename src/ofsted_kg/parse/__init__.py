"""Parse: detect a Document's report family and parse it into plain dataclasses (model.py)."""
