"""A remote SPARQL 1.1 server as the store (issue 14): :class:`RemoteStore`, the server presets
and the test that tells a store URL from a folder name (:func:`is_store_url`).

How ``--store URL`` plugs in: ``cli/support.py`` tells a URL from a folder (``store_location``,
``settings.store`` stays a string for a URL) and opens either through ``store_opener``, which
every command uses, the query workers of ``query`` and ``serve`` too (they keep the network
then: ``QueryPool(networked=True)``). The change marker and the live-data follower are a
folder's: ``serve`` over a server answers from it directly and its pages say the data is live.
Code that takes either kind is typed :class:`s3graph.store.GraphStore`.
"""

from s3graph.remote.client import Credentials, Limits, is_store_url
from s3graph.remote.presets import PRESETS, Endpoints, Preset, preset
from s3graph.remote.store import SERVER_VARIABLE, RemoteStore

__all__ = [
    "PRESETS",
    "SERVER_VARIABLE",
    "Credentials",
    "Endpoints",
    "Limits",
    "Preset",
    "RemoteStore",
    "is_store_url",
    "preset",
]
