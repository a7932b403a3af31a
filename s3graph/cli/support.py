"""What the commands share: their settings, the store's lifetime, progress and warning output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from s3graph.model import ParseWarning
    from s3graph.store import Store


@dataclass(frozen=True, slots=True)
class Settings:
    """The global options, handed to every command as the click context's object."""

    store: Path
    base: str
    verbose: bool


def open_store(settings: Settings) -> Store:
    """The store of ``--store``, for a ``with`` block (which closes it and releases its lock)."""
    from s3graph.store import Store

    return Store.open(settings.store)


@contextmanager
def progress_bar(length: int) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr when it is a terminal (else silent: stderr keeps only messages)."""
    if not sys.stderr.isatty():
        yield lambda *_args, **_kwargs: None
        return
    with click.progressbar(length=length, label="ingesting", file=sys.stderr) as bar:
        yield lambda *_args, **_kwargs: bar.update(1)


def echo_warnings(path: str, warnings: Sequence[ParseWarning]) -> None:
    """Parse warnings on stderr, one ``FILE:LINE: warning: message`` line each."""
    for warning in warnings:
        click.echo(f"{path}:{warning.line}: warning: {warning.message}", err=True)
