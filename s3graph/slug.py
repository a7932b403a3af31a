"""Readable, stable slugs: text folded to lower-case ASCII words joined by hyphens.

One rule for every slug the project mints (partnership IRIs, region and entity names) and for
the registry's name keys, so that a name gives the same slug wherever it is read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: What every slug looks like.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: Letters that Unicode decomposition does not reduce to ASCII.
_EXTRA_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ł": "l",
        "Ł": "l",
        "\u0131": "i",  # dotless i
        "&": " and ",
    }
)


def ascii_fold(text: str) -> str:
    """``text`` without accents, lower-case ASCII, ``&`` spelt ``and``."""
    folded = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return folded.encode("ascii", "ignore").decode("ascii").lower()


def slugify(text: str) -> str:
    """Fold ``text`` to lower-case ASCII words joined by hyphens.

    Accents are removed (``"Castilla y León"`` -> ``"castilla-y-leon"``), apostrophes are dropped
    and any other run of non-alphanumeric characters becomes one hyphen. A text without any letter
    or digit left gets ``"x-"`` and the first 10 hex digits of its SHA-1, so it is never empty.
    """
    ascii_text = re.sub(r"['`]", "", ascii_fold(text))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
