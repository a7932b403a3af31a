"""What a parameter's value names, however a user writes it.

A named query's parameters are typed (``iri``, ``string``, ...); three of them, by their name,
stand for things users know by other spellings than the graph's, and are read so:

- ``partnership`` (iri): the slug (``mining-industry``), the name in any case (``Mining
  Industry``, or an alias the registry knows: ``S3P Batteries``), or the IRI (absolute, or
  ``partnership/...`` against the base); a slug in an IRI is read in any case too;
- ``region`` (iri): a NUTS code in any case (``es41``), ``region/ES41``, the IRI, or a region's
  name (``Lapland region``: ``region/name/lapland-region``, as the mapping mints it);
- ``code`` (string): a NUTS code in any case and in any notation reports use (``es-41``).

Any other value is read as before (an IRI as given or against the base). Each of these values
names one resource; :func:`resource_of` gives its IRI, so that an empty answer can say whether
the value matched nothing in the store (``note: no partnership "xyz" in the store``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from s3graph.parse.regions import normalise_code
from s3graph.slug import SLUG_PATTERN, slugify

if TYPE_CHECKING:
    from s3graph.sparql.loading import Parameter
    from s3graph.vocab.registry import Registry

__all__ = ["resolve", "resource_of", "what"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
#: A NUTS code as a user may type it: two letters and up to three letters or digits.
_CODE = re.compile(r"^[A-Za-z]{2}[0-9A-Za-z]{0,3}$")

#: The words a note uses for the thing a parameter names, by (name, type).
_WHAT = {
    ("partnership", "iri"): "partnership",
    ("region", "iri"): "region",
    ("code", "string"): "region with the NUTS code",
}


def what(parameter: Parameter) -> str:
    """The words for what ``parameter`` names: ``partnership``, or the parameter's own name."""
    return _WHAT.get((parameter.name, parameter.type), parameter.name)


def resolve(parameter: Parameter, value: str, base: str) -> str:
    """The text of ``value`` as the graph writes it (an IRI, relative or not, for an IRI)."""
    kind = (parameter.name, parameter.type)
    if kind == ("partnership", "iri"):
        return _partnership(value.strip(), base)
    if kind == ("region", "iri"):
        return _region(value.strip(), base)
    if kind == ("code", "string"):
        return normalise_code(value.strip())
    return value


def resource_of(parameter: Parameter, value: str, base: str) -> str | None:
    """The IRI of the resource ``value`` names (resolved), if it names one.

    An IRI parameter names the resource of its IRI; ``code`` the region minted from the code;
    any other string names none (a rule, a label: nothing to look up).
    """
    if parameter.type == "iri":
        text = resolve(parameter, value, base)
        return text if _SCHEME.match(text) else base + text
    if (parameter.name, parameter.type) == ("code", "string"):
        return f"{base}region/{resolve(parameter, value, base)}"
    return None


def _tail(text: str, base: str, folder: str) -> str | None:
    """What follows ``folder`` in ``text`` given as ``BASE/folder/...`` or ``folder/...``."""
    for prefix in (base + folder, folder):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return None


def _partnership(text: str, base: str) -> str:
    tail = _tail(text, base, "partnership/")
    if tail is not None:
        slug = tail.lower() if SLUG_PATTERN.match(tail.lower()) else tail
        return text[: len(text) - len(tail)] + slug
    if _SCHEME.match(text) or "/" in text or not text:
        return text
    entry = _registry().lookup(text)
    return "partnership/" + (entry.slug if entry is not None else slugify(text))


def _region(text: str, base: str) -> str:
    tail = _tail(text, base, "region/")
    if tail is None:
        if _SCHEME.match(text) or "/" in text or not text:
            return text
        return "region/" + (normalise_code(text) if _is_code(text) else "name/" + slugify(text))
    head = text[: len(text) - len(tail)]
    if _is_code(tail):
        return head + normalise_code(tail)
    if tail.startswith("name/") and SLUG_PATTERN.match(tail[5:].lower()):
        return head + tail.lower()
    return text


def _is_code(text: str) -> bool:
    """A NUTS code rather than a name: it has a digit, is a country's two letters, or is
    written in capitals (``FRK``); ``Nord`` is a name."""
    return bool(_CODE.match(text)) and (
        any(c.isdigit() for c in text) or len(text) == 2 or text.isupper()
    )


@cache
def _registry() -> Registry:
    """The registry of partnerships, read once (only a value given as a name needs it)."""
    from s3graph.vocab.registry import Registry

    return Registry.load()
