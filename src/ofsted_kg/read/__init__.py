"""Read: a file (PDF, text, markdown) into a Document of clean lines with their pages. No RDF."""
