"""The namespaces of :mod:`s3graph.rdf.namespaces`, under the name older modules import.

Kept so the mapping, vocabularies and command line need not change their imports at once; new
code imports :mod:`s3graph.rdf.namespaces`.
"""

from s3graph.rdf.namespaces import *  # noqa: F403
from s3graph.rdf.namespaces import __all__ as __all__
