"""Readable, stable slugs: text folded to lower-case ASCII words joined by hyphens.

One rule for every slug the project mints (partnership IRIs, region and entity names) and for
the registry's name keys, so that a name gives the same slug wherever it is read.
"""

from __future__ import annotations

import hashlib
import re

from s3graph.folding import fold_words

#: What every slug looks like.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Fold ``text`` to lower-case ASCII words joined by hyphens.

    Accents are removed (``"Castilla y León"`` -> ``"castilla-y-leon"``), apostrophes are dropped
    and any other run of non-alphanumeric characters becomes one hyphen. A text without any letter
    or digit left gets ``"x-"`` and the first 10 hex digits of its SHA-1, so it is never empty.
    """
    slug = "-".join(fold_words(text))
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
