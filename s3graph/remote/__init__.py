"""A remote SPARQL 1.1 server as the store (issue 14): :class:`RemoteStore`, the server presets
and the test that tells a store URL from a folder name (:func:`is_store_url`)."""

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
