"""What changed between a partnership's consecutive reports, as pure logic (no I/O, no RDF).

* :mod:`s3graph.changes.model` - a :class:`Change` and its kinds, in words;
* :mod:`s3graph.changes.world` - what the comparison needs beyond the text (resolved NUTS
  codes, recodings, partnerships mentioned), and :class:`LinkedWorld`, the linking's answer;
* :mod:`s3graph.changes.compare` - :func:`changes_between` two reports;
* :mod:`s3graph.changes.sequence` - a partnership's reports by period, and its gaps;
* :mod:`s3graph.changes.state` - the regions and ratings a report states, moved on by changes.
"""

from s3graph.changes.compare import changes_between
from s3graph.changes.model import Change, ChangeKind, Direction, ReportRef
from s3graph.changes.sequence import Step, Timeline, changes_over_time, timeline
from s3graph.changes.state import State, apply, state_of
from s3graph.changes.world import LinkedWorld, World

__all__ = [
    "Change",
    "ChangeKind",
    "Direction",
    "LinkedWorld",
    "ReportRef",
    "State",
    "Step",
    "Timeline",
    "World",
    "apply",
    "changes_between",
    "changes_over_time",
    "state_of",
    "timeline",
]
