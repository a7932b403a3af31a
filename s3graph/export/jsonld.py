"""JSON-LD written as it streams: one node object per subject, in compact form.

pyoxigraph's own JSON-LD writer ignores prefixes (full IRIs everywhere) and sees the whole input
first. This writer takes triples sorted by subject (as the export's sorted N-Triples are), so a
subject's triples come together, and writes each subject as one line of the ``@graph`` array
while the next is read. IRIs under a namespace of the ``@context`` are written as compact IRIs
(``s3g:Partnership``, ``data:report/...``); the context travels inline in every file (parsers need
no network) and is also published on its own as ``context.jsonld``. Literals keep their exact
lexical form (``{"@value": "2", "@type": "xsd:integer"}``), so converting back to RDF gives the
same triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, BinaryIO

import pyoxigraph as ox

from s3graph.rdf.namespaces import RDF, XSD

__all__ = ["JsonLdWriter", "context_document", "write_jsonld"]

_RDF_TYPE = RDF.iri("type")
_XSD_STRING = XSD.iri("string")

Node = dict[str, Any]

#: Compact JSON, not ASCII-escaped (the encoder is made once: ``json.dumps`` builds one a call).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def context_document(prefixes: Mapping[str, str]) -> bytes:
    """The JSON-LD context of the prefixes, as its own file (``context.jsonld``)."""
    body = json.dumps({"@context": _context(prefixes)}, indent=2, ensure_ascii=False)
    return body.encode() + b"\n"


class JsonLdWriter:
    """Writes triples sorted by subject to ``output`` as a JSON-LD document, node by node."""

    def __init__(self, output: BinaryIO, prefixes: Mapping[str, str]) -> None:
        self.output = output
        self.nodes = 0
        self._compact = _compactor(prefixes)
        self._subject: object = None
        self._node: Node = {}
        head = json.dumps({"@context": _context(prefixes)}, ensure_ascii=False)
        output.write(head[:-1].encode() + b',\n"@graph": [\n')

    def add(self, triple: ox.Triple) -> None:
        """Take the next triple (its subject is the current one or comes after it)."""
        subject = triple.subject
        if subject != self._subject:
            self._flush()
            self._subject = subject
            self._node = {"@id": self._id(subject)}
        predicate = triple.predicate.value
        value = triple.object
        if type(value) is ox.Literal:
            key = self._compact(predicate)
            if value.language:
                entry: Any = {"@value": value.value, "@language": value.language}
            else:
                datatype = value.datatype.value
                if datatype == _XSD_STRING:
                    entry = value.value
                else:
                    entry = {"@value": value.value, "@type": self._compact(datatype)}
        elif predicate == _RDF_TYPE:
            key, entry = "@type", self._id(value)
        else:
            key, entry = self._compact(predicate), {"@id": self._id(value)}
        values = self._node.get(key)
        if values is None:
            self._node[key] = [entry]
        else:
            values.append(entry)

    def close(self) -> None:
        """Write the last node and end the document (the output stays open)."""
        self._flush()
        self._subject = None
        self.output.write(b"\n]}\n")

    def _id(self, term: Any) -> str:
        if type(term) is ox.BlankNode:
            return f"_:{term.value}"
        return str(self._compact(term.value))

    def _flush(self) -> None:
        if self._subject is None:
            return
        line = _encode(self._node).encode()
        self.output.write(b",\n" + line if self.nodes else line)
        self.nodes += 1


def write_jsonld(
    triples: Iterable[ox.Triple], output: BinaryIO, prefixes: Mapping[str, str]
) -> int:
    """Write ``triples`` (sorted by subject) as a JSON-LD document; returns the node count."""
    writer = JsonLdWriter(output, prefixes)
    for triple in triples:
        writer.add(triple)
    writer.close()
    return writer.nodes


def _context(prefixes: Mapping[str, str]) -> dict[str, str]:
    return {prefix: prefixes[prefix] for prefix in sorted(prefixes)}


def _compactor(prefixes: Mapping[str, str]) -> Any:
    """``iri -> compact IRI`` under the longest matching namespace (cached), else the IRI."""
    namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    @lru_cache(maxsize=1 << 12)
    def compact(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                suffix = iri[len(namespace) :]
                if not suffix.startswith("//"):
                    return f"{prefix}:{suffix}"
        return iri

    return compact
