"""``s3graph query --list``: each named query with what its parameters take.

A user choosing ``-p NAME=VALUE`` needs the value's type, whether it may be left out and one
value that works; the example is the one the query's header gives after "e.g." in the
parameter's description (the header stays the one place it is written), or, where a header
gives none, the one another query gives for a parameter of the same name and type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s3graph.sparql.loading import NamedQuery, Parameter

#: "e.g. VALUE" in a parameter's description: the example is the word after it.
_EXAMPLE = re.compile(r"\be\.g\.\s+(?P<value>[^\s,;]+)")


def example_of(parameter: Parameter) -> str | None:
    """The example value the header's description gives for ``parameter`` (after "e.g.")."""
    found = _EXAMPLE.search(parameter.description)
    return found["value"].rstrip(".") if found else None


def shared_examples(queries: Sequence[NamedQuery]) -> dict[tuple[str, str], str]:
    """The first example each (parameter name, type) is given in any of ``queries``."""
    examples: dict[tuple[str, str], str] = {}
    for named in queries:
        for p in named.parameters:
            example = example_of(p)
            if example is not None:
                examples.setdefault((p.name, p.type), example)
    return examples


def describe_parameter(parameter: Parameter, examples: Mapping[tuple[str, str], str]) -> str:
    """``name (type, required|optional; e.g. -p name=VALUE)``."""
    need = "required" if parameter.required else "optional"
    example = example_of(parameter) or examples.get((parameter.name, parameter.type))
    shown = f"; e.g. -p {parameter.name}={example}" if example else ""
    return f"{parameter.name} ({parameter.type}, {need}{shown})"


def list_lines(queries: Sequence[NamedQuery]) -> list[str]:
    """The lines of ``--list``: ``NAME<TAB>TITLE<TAB>parameters: ...`` (``-`` for none)."""
    examples = shared_examples(queries)
    lines = []
    for named in queries:
        declared = "; ".join(describe_parameter(p, examples) for p in named.parameters)
        lines.append(f"{named.name}\t{named.title}\tparameters: {declared or '-'}")
    return lines
