"""Text folding: the named ways s3graph makes two spellings of one text compare equal.

Each fold answers a different question, so they differ on purpose; each is written once here and
used wherever that question is asked:

* :func:`fold_key` - *is this the same place name?* (region names, NUTS labels, aliases): case,
  accents and stroke letters go, quote variants unify, dashes, commas, slashes, dots and brackets
  read as spaces; apostrophes stay (``Castilla y'Leon`` is not ``Castilla y Leon``).
* :func:`fold_accents` - *is this the same name as written?* (one name listed twice in an answer):
  only case and accents go, punctuation and stroke letters stay, so ``Bruxelles-Capitale`` and
  ``Bruxelles Capitale`` remain two spellings the parser may both need.
* :func:`fold_label` - *is this line the form's label?* Labels are English ASCII text decorated by
  the export (``*`` for mandatory, wrapped spaces): case and white space go, accents stay, and
  it is cheap because every line of a report may be folded.
* :func:`fold_same_length` - *where in this text is a label?* Accents go and dashes, quotes and
  spaces unify one character for one character, so positions in the folded text are positions in
  the original and a match can be quoted as written.
* :func:`ascii_fold` and :func:`fold_words` - *which slug or registry key does this name give?*
  Lower-case ASCII words, ``&`` spelt ``and``, apostrophes dropped (``AI & HMI`` -> ``ai and
  hmi``).
* :func:`collapse_space` and :func:`tidy_text` - white space runs read as one space; ``tidy_text``
  also composes the text (NFC), for names received from elsewhere (Wikidata).

The letters Unicode decomposition leaves alone (``ł ø đ æ œ þ ß``) are one table,
:data:`LETTERS`, shared by the ASCII and key folds.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters that NFKD does not decompose into a base letter plus accents, as ASCII.
LETTERS: dict[str, str] = {
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
}

#: Apostrophe look-alikes read as ``'`` by :func:`fold_key`.
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}
_KEY_LETTERS = str.maketrans({**LETTERS, **_APOSTROPHES})
_KEY_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015,;/.()]+")  # spaces, dashes, punctuation
_ASCII_LETTERS = str.maketrans({**LETTERS, "&": " and "})
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def strip_accents(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks: ``León`` -> ``Leon``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_key(text: str) -> str:
    """The comparison key of a place name: ``Castilla y León`` -> ``castilla y leon``.

    Accents and case go, ``ł ø đ æ`` become ASCII, apostrophe look-alikes become ``'``, dashes,
    commas, slashes, dots and brackets become single spaces, the ends are trimmed.
    """
    folded = strip_accents(text.translate(_KEY_LETTERS)).casefold()
    return _KEY_SEPARATORS.sub(" ", folded.translate(_KEY_LETTERS)).strip()


def fold_accents(text: str) -> str:
    """``text`` without accents, case folded and trimmed; punctuation kept."""
    return strip_accents(text).casefold().strip()


def fold_label(text: str) -> str:
    """Lower-case, collapse white space and drop the ``*`` the export decorates labels with."""
    return " ".join(text.replace("*", "").split()).casefold()


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u00b4`"), "'")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2002\u2003\u2009\t"), " ")


class _SameLengthFold(dict[int, str]):
    """``str.translate`` table of :func:`fold_same_length`, filled one character at a time as
    characters are met (so a text is folded at C speed, each new character worked out once)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        for table in (_DASHES, _QUOTES, _SPACES):
            if code in table:
                char = table[code]
        if not char.isascii():
            base = unicodedata.normalize("NFKD", char)[:1]
            char = base if base.isascii() and base else char
        self[code] = char
        return char


_SAME_LENGTH_FOLD = _SameLengthFold()


def fold_same_length(text: str) -> str:
    """Accents removed and dashes, quotes and spaces unified, one character for one character.

    Case is kept (acronyms are matched case-sensitively); ``len`` of the result is ``len(text)``.
    """
    return text.translate(_SAME_LENGTH_FOLD)


def ascii_fold(text: str) -> str:
    """``text`` without accents, lower-case ASCII, ``&`` spelt ``and``."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    return folded.encode("ascii", "ignore").decode("ascii").lower()


def fold_words(text: str) -> list[str]:
    """The lower-case ASCII words of ``text``: ``"Castilla y León's"`` -> castilla, y, leons.

    Apostrophes join (``'`` and ``` ` `` are dropped), any other non-alphanumeric run separates.
    """
    return _ASCII_WORD.findall(ascii_fold(text).replace("'", "").replace("`", ""))


def collapse_space(text: str) -> str:
    """Runs of white space as one space, the ends trimmed."""
    return " ".join(text.split())


def tidy_text(text: str) -> str:
    """``text`` composed (NFC) with its white space collapsed: a name as received from elsewhere."""
    return collapse_space(unicodedata.normalize("NFC", text))
