"""Content negotiation for the web app: the tables and the negotiator of :mod:`s3graph.rdf.formats`.

Kept under this name for the routes that import it; the table of formats and the one negotiator
live in the RDF core.
"""

from s3graph.rdf.formats import (
    ALIASES,
    HTML,
    RDF_TYPES,
    RESULT_TYPES,
    SUFFIXES,
    MediaRange,
    negotiate,
    parse_accept,
    quality,
)

__all__ = [
    "ALIASES",
    "HTML",
    "RDF_TYPES",
    "RESULT_TYPES",
    "SUFFIXES",
    "MediaRange",
    "negotiate",
    "parse_accept",
    "quality",
]
