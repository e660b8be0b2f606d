"""Validate: every report graph against the SHACL shapes before it is stored."""
