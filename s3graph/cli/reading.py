"""How ``parse``, ``validate`` and ``ingest`` read report files: the options they share.

Kept apart from the commands so that the three commands read a file the same way: a limit on
its size (``--max-bytes``) checked before any parsing, and ``--split`` for a file of several
reports.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from s3graph.parse.text import MAX_BYTES_CEILING, MAX_REPORT_BYTES, size_text

if TYPE_CHECKING:
    from s3graph.pipeline import ParseReport


def max_bytes_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--max-bytes N``: refuse report files larger than N bytes before parsing them."""
    return click.option(
        "--max-bytes",
        type=click.IntRange(min=1, max=MAX_BYTES_CEILING),
        default=MAX_REPORT_BYTES,
        show_default=True,
        metavar="BYTES",
        help=f"Refuse a report file larger than this, before parsing it (default "
        f"{size_text(MAX_REPORT_BYTES)}, at most {size_text(MAX_BYTES_CEILING)}; a real report "
        "is 30-60 KB).",
    )(command)


def report_reader(max_bytes: int) -> ParseReport | None:
    """The pipeline's parse step under the size limit (a partial: a forked worker inherits it).

    ``None`` at the default limit: the pipeline's own step (``parse_file`` as it is) applies it.
    """
    if max_bytes == MAX_REPORT_BYTES:
        return None
    from s3graph.parse import parse_file

    return partial(parse_file, max_bytes=max_bytes)


def split_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--split``: read a file of several reports (``cat a.txt b.txt``) as several reports."""
    return click.option(
        "--split",
        is_flag=True,
        help="Read a file holding several reports (cat a.txt b.txt) as several reports; each "
        "keeps the file's line numbers and is described as FILE:FIRST-LAST. Without it a "
        "second report header is an error naming its line.",
    )(command)


def report_steps(path: Path, *, max_bytes: int, split: bool) -> list[ParseReport]:
    """One parse step for each report of the file ``path``, in file order.

    Without ``split`` the file is one report: one step, which reads it. With it, the file is
    read now and cut into its reports (:mod:`s3graph.parse.split`); each step parses one of
    them, so a bad report fails alone.
    Raises :class:`~s3graph.errors.ReportError` for a file that cannot be read at all.
    """
    from s3graph.parse import parse_file

    if not split:
        return [report_reader(max_bytes) or parse_file]
    from s3graph.parse.split import PartReader, read_reports

    parts = read_reports(path, max_bytes=max_bytes)
    return [PartReader(part, max_bytes=max_bytes) for part in parts]
