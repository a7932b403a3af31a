"""What a push or pull keeps and tells: the state file of graphs done, per server, in the store's
folder, and the summary line.

After each batch the other side confirmed, each of its graphs is written to the state file with
its :class:`Fingerprint` (triple count and a SHA-256 of its sorted N-Triples lines as the
embedded store writes them), the file rewritten whole (a temporary file renamed over it), so a
run cut off at any point leaves a record of whole batches only. Why a record rather than a
digest computed on the server: SPARQL has no digest of a graph, so the server would have to
send every triple back to be hashed here, and a server writes some literals in its own forms.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from s3graph.errors import StoreError
from s3graph.rdf.graphs import SerialisedGraph

__all__ = [
    "STATE_FOLDERS",
    "Direction",
    "Fingerprint",
    "Progress",
    "Run",
    "Transferred",
    "fingerprint",
    "read_state",
    "state_path",
    "write_state",
]

Direction = Literal["push", "pull"]
#: told after each graph is done (sent, skipped or read): its triples
Progress = Callable[[int], None]

#: where each direction records, per server, the graphs it copied (folders inside the store's)
STATE_FOLDERS: dict[Direction, str] = {"push": "S3GRAPH-PUSHED", "pull": "S3GRAPH-PULLED"}


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a graph holds, in short: its triple count and a digest of its sorted lines."""

    triples: int
    sha256: str


def fingerprint(lines: Iterable[str]) -> Fingerprint:
    """The fingerprint of a graph's N-Triples lines (any order; each distinct line once)."""
    ordered = sorted(set(lines))
    digest = hashlib.sha256()
    for line in ordered:
        digest.update(line.encode("utf-8"))
    return Fingerprint(len(ordered), digest.hexdigest())


@dataclass(frozen=True, slots=True)
class Transferred:
    """What a push or pull did: graphs and triples copied, graphs skipped as already there."""

    graphs: int
    triples: int
    skipped: int
    batches: int
    #: the run's state file
    state: Path | None = None

    def line(self, verb: str, where: str) -> str:
        """The summary a user reads: ``pushed 40 graphs (12345 triples) to URL in 3 batches``."""
        text = f"{verb} {self.graphs} graphs ({self.triples} triples) {where}"
        text += f" in {self.batches} batch{'es' if self.batches != 1 else ''}"
        if self.skipped:
            text += f"; {self.skipped} graphs already there, unchanged"
        return text


def state_path(folder: Path, url: str, direction: Direction = "push") -> Path:
    """The state file of the pushes (or pulls) between the store in ``folder`` and ``url``."""
    key = hashlib.sha256(url.rstrip("/").encode("utf-8")).hexdigest()[:16]
    return Path(folder) / STATE_FOLDERS[direction] / f"{key}.json"


def read_state(path: Path, url: str) -> dict[str, Fingerprint]:
    """The graphs recorded as copied with ``url`` (none when the file is missing or unreadable:
    everything is then compared again, never skipped on a guess)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("server") != url.rstrip("/"):
            return {}
        return {
            iri: Fingerprint(int(entry["triples"]), str(entry["sha256"]))
            for iri, entry in data["graphs"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_state(path: Path, url: str, record: Mapping[str, Fingerprint]) -> None:
    """Rewrite the state file whole (a temporary file renamed over it: never half written)."""
    data = {
        "server": url.rstrip("/"),
        "graphs": {
            iri: {"triples": f.triples, "sha256": f.sha256} for iri, f in sorted(record.items())
        },
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise StoreError(
            f"{path}: cannot record the transfer's progress ({exc.strerror})"
        ) from None


@dataclass(slots=True)
class Run:
    """A push or pull under way: its record of graphs done (the state file kept in step) and
    what it copied so far."""

    state: Path
    url: str
    record: dict[str, Fingerprint] = field(default_factory=dict)
    progress: Progress | None = None
    graphs: int = 0
    triples: int = 0
    batches: int = 0

    def skipped(self, triples: int) -> None:
        """A graph left alone, already there: told to the progress only."""
        if self.progress is not None:
            self.progress(triples)

    def confirmed(self, graphs: Sequence[SerialisedGraph]) -> None:
        """A batch the other side holds now: recorded (the state file rewritten) and counted."""
        for graph in graphs:
            self.record[graph.iri] = fingerprint(graph.lines)
        write_state(self.state, self.url, self.record)
        self.graphs += len(graphs)
        self.triples += sum(len(graph) for graph in graphs)
        self.batches += 1
        for graph in graphs:
            self.skipped(len(graph))

    def result(self, skipped: int) -> Transferred:
        return Transferred(self.graphs, self.triples, skipped, self.batches, self.state)
