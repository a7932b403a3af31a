"""Named graphs between the embedded store and a SPARQL server: :func:`push` and :func:`pull`.

Both copy whole named graphs, every one the store holds (reports, their validation and
source-text graphs, the vocabularies), or those matching ``graphs`` patterns, in batches of about
``batch`` triples; a graph is never split in a write (it is the unit a reader must see whole),
and one larger than a batch is read in pages of ``batch`` rows. Both resume after an
interruption from a state file in the store's folder, per server and direction, sending or
reading again only what was not confirmed (:mod:`.push`, :mod:`.pull`, :mod:`.record`). Every
listing read from a server is read whole whatever rows it caps an answer at, and checked
against its count (:mod:`.reading`, :mod:`s3graph.remote.paging`).
"""

from s3graph.transfer.pull import pull
from s3graph.transfer.push import push
from s3graph.transfer.reading import DEFAULT_BATCH, graph_lines, graph_sizes
from s3graph.transfer.record import Fingerprint, Progress, Transferred, fingerprint, state_path

__all__ = [
    "DEFAULT_BATCH",
    "Fingerprint",
    "Progress",
    "Transferred",
    "fingerprint",
    "graph_lines",
    "graph_sizes",
    "pull",
    "push",
    "state_path",
]
