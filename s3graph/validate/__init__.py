"""Validate: the form's rules and the data-quality judgements, as SHACL shapes run by pyshacl."""

from s3graph.validate.problems import Problem, format_json, format_text, is_violation, summary
from s3graph.validate.shacl import Outcome, load_shapes, validate_graph

__all__ = [
    "Outcome",
    "Problem",
    "format_json",
    "format_text",
    "is_violation",
    "load_shapes",
    "summary",
    "validate_graph",
]
