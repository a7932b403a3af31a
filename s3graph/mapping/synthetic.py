"""Whether a report is one of the synthetic example reports bundled with s3graph.

The examples of ``s3graph/examples/`` were written for s3graph: real partnership and region
names, everything else invented (see the folder's README). A report read from one of them gets
``s3g:synthetic true``, so that every reader of the graph (pages, dumps, queries, ``s3graph
remove --examples``) can tell it from a partnership's own report.

What makes a report an example is the content of its file, not its name or folder: the manifest
``s3graph/examples/SHA256SUMS`` lists each example file's SHA-256 (the layout ``sha256sum -c``
checks), and a report whose source file has one of those checksums is marked, wherever the copy
was read from. An example whose text changes without its manifest line would silently lose its
mark, so a test compares the folder with the manifest.

The manifest is package data read once per process (like the form's labels, it describes the
package, not the input): the mapping stays a function of the report.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import Literal
from rdflib.namespace import XSD

from s3graph.mapping.triples import Sink, Subjects
from s3graph.namespaces import S3G

#: The manifest's name in the examples folder.
MANIFEST = "SHA256SUMS"


def read_manifest(text: str) -> dict[str, str]:
    """The lines ``HEX  NAME`` of a ``sha256sum`` output as ``{name: hex}`` (lower-case hex).

    Blank lines and ``#`` comments are skipped; a line of another shape raises
    :class:`ValueError` naming it, since a manifest that marks nothing would go unnoticed.
    """
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition("  ")
        name = name.removeprefix("*")  # sha256sum's binary-mode marker
        if len(digest) != 64 or not name or any(c not in "0123456789abcdefABCDEF" for c in digest):
            raise ValueError(f"{MANIFEST}:{number}: expected 'SHA256  FILE', found {line!r}")
        found[name] = digest.lower()
    return found


@cache
def example_checksums() -> frozenset[str]:
    """The SHA-256 (lower-case hex) of every bundled example file."""
    manifest = resources.files("s3graph") / "examples" / MANIFEST
    return frozenset(read_manifest(manifest.read_text(encoding="utf-8")).values())


def is_synthetic(sha256: str) -> bool:
    """Whether a file with this SHA-256 is one of the bundled synthetic examples."""
    return sha256.lower() in example_checksums()


def add_synthetic(graph: Sink, s: Subjects) -> None:
    """``s3g:synthetic true`` on the report when its source file is a bundled example."""
    if is_synthetic(s.report.source.sha256):
        graph.add((s.report_iri, S3G.synthetic, Literal(True, datatype=XSD.boolean)))
