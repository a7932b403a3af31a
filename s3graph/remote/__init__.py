"""A remote SPARQL 1.1 server as the store (issue 14): :class:`RemoteStore`, the server presets
and the test that tells a store URL from a folder name (:func:`is_store_url`).

How ``--store URL`` will plug in (not wired yet; the places as of this writing):

- ``cli/support.py`` (``Store.open(settings.store)``, read-only or not), ``cli/export.py`` and
  ``export/run.py``: when ``is_store_url(str(settings.store))``, open
  ``RemoteStore.open(url, server=settings.server)`` instead (``--server`` / ``S3GRAPH_SERVER``;
  ``generic`` takes its update and GSP URLs through ``endpoints=``). ``settings.store`` must then
  stay a string: ``Path("http://h:1/x")`` folds the ``//``;
- ``require_store`` (check, remove, query, serve) and the change marker (``mark_changed``,
  ``read_change``: ``api/live.py``, ``api/kept.py``) are folder things: skip them for a URL (a
  server tells no changes; ``serve`` over a remote store answers from it directly);
- ``serve`` and ``query`` run queries in worker processes that each open the store
  (``functools.partial(Store.open, path, read_only=True)`` in ``cli/serving.py``,
  ``cli/pooled.py``, ``api/app.py``): give them ``partial(RemoteStore.open, url, ...)``; the
  token, SERVICE guard, row cap and timeout stay the server's own, in front;
- functions typed ``store: Store`` (``vocab/sources/loading.py``, ``ingest.py``) take a
  ``RemoteStore`` as it is (the tests pass one); their annotations want a shared Protocol.
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
