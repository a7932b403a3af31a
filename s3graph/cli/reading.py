"""How ``parse``, ``validate`` and ``ingest`` read report files: the options they share.

Kept apart from the commands so that the three commands read a file the same way: a limit on
its size (``--max-bytes``) checked before any parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import click

from s3graph.parse.text import MAX_REPORT_BYTES, size_text

if TYPE_CHECKING:
    from s3graph.pipeline import ParseReport


def max_bytes_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--max-bytes N``: refuse report files larger than N bytes before parsing them."""
    return click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=MAX_REPORT_BYTES,
        show_default=True,
        metavar="BYTES",
        help=f"Refuse a report file larger than this, before parsing it (default "
        f"{size_text(MAX_REPORT_BYTES)}; a real report is 30-60 KB).",
    )(command)


def report_reader(max_bytes: int) -> ParseReport | None:
    """The pipeline's parse step under the size limit (a partial: a forked worker inherits it).

    ``None`` at the default limit: the pipeline's own step (``parse_file`` as it is) applies it.
    """
    if max_bytes == MAX_REPORT_BYTES:
        return None
    from s3graph.parse import parse_file

    return partial(parse_file, max_bytes=max_bytes)
