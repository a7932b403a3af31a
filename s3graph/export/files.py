"""Files of an export: plain or gzip-compressed, byte-identical from one run to the next.

A gzip member normally records the time it was written and the file's name, which would make
two exports of the same store differ; :func:`open_output` writes neither.
"""

from __future__ import annotations

import gzip as gz
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

__all__ = ["GZIP_LEVEL", "open_output", "open_text_output", "output_path"]

#: zlib level of ``--gzip``: 6 is within a few per cent of 9's size at a fraction of its time.
GZIP_LEVEL = 6


def output_path(path: Path, *, gzip: bool) -> Path:
    """Where ``path`` is written: with ``.gz`` appended when compressed."""
    return path.with_name(path.name + ".gz") if gzip else path


@contextmanager
def open_output(path: Path, *, gzip: bool) -> Iterator[BinaryIO]:
    """A binary writer to :func:`output_path` of ``path`` (its folder is created)."""
    target = output_path(path, gzip=gzip)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw:
        if not gzip:
            yield raw
            return
        with gz.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                         compresslevel=GZIP_LEVEL) as packed:  # fmt: skip
            # Writers hand over a line at a time; zlib is fast only on large blocks.
            buffered = io.BufferedWriter(packed, buffer_size=1 << 20)
            yield buffered
            buffered.flush()
            buffered.detach()


@contextmanager
def open_text_output(path: Path, *, gzip: bool) -> Iterator[TextIO]:
    """A UTF-8 text writer (no newline translation, as :mod:`csv` wants) to ``path``."""
    with open_output(path, gzip=gzip) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            yield text
        finally:
            text.flush()
            text.detach()
