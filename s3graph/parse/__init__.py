"""Text to model: read the EU Survey export of a Monitoring Progress Report.

This package never imports rdflib: it turns text into ``s3graph.model`` objects and nothing more.
"""

from s3graph.parse.report import parse_bytes, parse_file, parse_text

__all__ = ["parse_bytes", "parse_file", "parse_text"]
