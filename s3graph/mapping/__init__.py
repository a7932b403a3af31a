"""Mapping of a :class:`~s3graph.model.Report` to RDF (model in, graph out, no file I/O)."""

from __future__ import annotations

from s3graph.mapping.iris import Iris, slugify
from s3graph.mapping.report import NamedTriples, report_iri, to_graph, to_triples

__all__ = ["Iris", "NamedTriples", "report_iri", "slugify", "to_graph", "to_triples"]
