"""Mutated report files for the fuzzing tests, each rebuilt exactly from ``(seed, index)``.

A mutant is one to three mutations of a corpus report (or of two of them concatenated): the
damage real files suffer on their way to us (flipped bytes, lost, doubled or shuffled lines,
truncation, another encoding, BOMs, CR or CRLF line ends, a pasted megabyte-long line, two
exports in one file). Every choice comes from a ``random.Random`` seeded with the mutant's own
``(seed, index)``, so a failure reported as ``seed=S index=I`` is rebuilt alone by
:func:`mutant` with nothing else run before it, and :attr:`Mutant.recipe` says what was done.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["MUTATIONS", "Mutant", "mutant", "mutants"]

#: The seed of the test suite's mutants (change it to explore; a failure names its own).
DEFAULT_SEED = 20261207

#: A line longer than any the form has; at most 1 MB, so a mutant stays under the 2 MB limit.
LONG_LINE_MAX = 1_000_000

#: How many mutations a mutant gets (after a concatenation: how many more). Most get two or more,
#: so that about a fifth still parse: enough to reach validation often, few enough to keep the
#: 10,000 within the test's time (validating a report costs ~0.1 s, refusing one ~5 ms).
STEPS = (1, 2, 2, 3, 3, 4)
MORE_AFTER_CONCAT = (0, 1, 1, 1, 2, 3)

Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]


@dataclass(frozen=True, slots=True)
class Mutant:
    """One mutated file: its bytes, and how to rebuild and describe it."""

    seed: int
    index: int
    data: bytes
    recipe: str

    @property
    def label(self) -> str:
        """What a failure prints: enough to rebuild the file (``mutant(corpus, seed, index)``)."""
        return f"seed={self.seed} index={self.index} recipe={self.recipe}"


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _flip_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    buf = bytearray(data)
    count = rng.choice((1, 1, 2, 5, 50))
    where = sorted(rng.randrange(len(buf)) for _ in range(count))
    for at in where:
        buf[at] = rng.choice((buf[at] ^ (1 << rng.randrange(8)), rng.randrange(256)))
    return bytes(buf), f"flip{count}@{where[0]}"


def _drop_lines(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    count = min(len(lines) - 1, rng.choice((1, 1, 3, 10, len(lines) // 2)))
    gone = set(rng.sample(range(len(lines)), max(count, 0)))
    return b"".join(x for i, x in enumerate(lines) if i not in gone), f"drop{len(gone)}"


def _double_lines(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    twice = set(rng.sample(range(len(lines)), min(len(lines), rng.choice((1, 3, 20)))))
    out = [x for i, x in enumerate(lines) for x in ([x, x] if i in twice else [x])]
    return b"".join(out), f"double{len(twice)}"


def _shuffle_lines(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    size = min(len(lines), rng.choice((2, 5, 30, len(lines))))
    start = rng.randrange(len(lines) - size + 1)
    window = lines[start : start + size]
    rng.shuffle(window)
    if window and not window[-1].endswith(b"\n"):  # keep the lines apart once moved
        window = [x if x.endswith(b"\n") else x + b"\n" for x in window]
    return b"".join(lines[:start] + window + lines[start + size :]), f"shuffle{size}@{start}"


def _truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    return data[:at], f"truncate@{at}"


def _reencode(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    codec = rng.choice(("latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"))
    text = data.decode("utf-8", errors="replace")
    return text.encode(codec, errors="replace"), f"encode-{codec}"


def _add_bom(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    bom = rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"))
    if rng.random() < 0.7:
        return bom + data, f"bom{bom.hex()}"
    at = rng.randrange(len(data) + 1)
    return data[:at] + bom + data[at:], f"bom{bom.hex()}@{at}"


def _line_ends(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    end = rng.choice((b"\r\n", b"\r", b"\n\r", b"\r\r\n"))
    return data.replace(b"\r\n", b"\n").replace(b"\n", end), f"ends-{end.hex()}"


def _long_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A line of up to 1 MB of filler, or up to 100 KB of one of the report's own lines repeated
    (at 100 KB, SDG rows as leading regions were a bug: ``test_fuzz.py``,
    ``test_a_long_line_of_sdg_rows_as_leading_regions_is_refused_quickly``)."""
    lines = _lines(data)
    own = rng.random() < 0.25
    size = rng.choice((1_000, 10_000, 100_000) if own else (10_000, 100_000, LONG_LINE_MAX))
    fillers = (b"x", b"\t", b" ", b"ab ", "\u00e9".encode())
    piece = rng.choice(lines).rstrip() if own else rng.choice(fillers)
    line = (piece * (size // max(len(piece), 1) + 1))[:size]
    at = rng.randrange(len(lines) + 1)
    return b"".join([*lines[:at], line + b"\n", *lines[at:]]), f"long{size}@{at}"


MUTATIONS: dict[str, Mutation] = {
    "flip": _flip_bytes,
    "drop": _drop_lines,
    "double": _double_lines,
    "shuffle": _shuffle_lines,
    "truncate": _truncate,
    "encode": _reencode,
    "bom": _add_bom,
    "ends": _line_ends,
    "long": _long_line,
}


def mutant(corpus: Sequence[bytes], seed: int, index: int) -> Mutant:
    """The mutant number ``index`` of ``seed``: every choice from its own seeded generator.

    One in eight starts from two reports of ``corpus`` concatenated (sometimes nothing else);
    the others apply one to four mutations to one report.
    """
    rng = random.Random(f"{seed}:{index}")
    first = rng.randrange(len(corpus))
    data, steps = corpus[first], [f"report{first}"]
    if rng.random() < 0.125:
        second = rng.randrange(len(corpus))
        glue = rng.choice((b"", b"\n", b"\n\n\f"))
        data = corpus[first] + glue + corpus[second]
        steps.append(f"concat{second}+{glue.hex() or 'none'}")
    more = rng.choice(MORE_AFTER_CONCAT if len(steps) > 1 else STEPS)
    for _ in range(more):
        if not data:
            break
        name = rng.choice(sorted(MUTATIONS))
        data, step = MUTATIONS[name](rng, data)
        steps.append(step)
    return Mutant(seed, index, data, ",".join(steps))


def mutants(corpus: Sequence[bytes], seed: int, count: int, start: int = 0) -> list[Mutant]:
    """Mutants ``start`` .. ``start + count - 1`` of ``seed``."""
    return [mutant(corpus, seed, i) for i in range(start, start + count)]
