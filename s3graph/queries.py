"""The old import path of :mod:`s3graph.sparql` (loading, running and formatting the queries).

Kept while modules still import from here; new code imports :mod:`s3graph.sparql`.
"""

from s3graph.sparql import *  # noqa: F403
from s3graph.sparql import __all__ as __all__
