"""Ingesters: read a file, detect its report family and parse it into a Report."""
