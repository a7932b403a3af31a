"""What the commands share: their settings, the store's lifetime, progress and warning output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from s3graph.linking.links import Linker
    from s3graph.model import ParseWarning
    from s3graph.store import Store
    from s3graph.validate import Problem
    from s3graph.vocab.nuts_index import NutsIndex


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


def nuts_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--nuts DIR``: judge regions against the NUTS CSV files of a folder the user names."""
    return click.option(
        "--nuts",
        "nuts_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="Folder of NUTS files (nuts-YYYY.csv, nuts-changes.csv) to judge regions against; "
        "default: the NUTS versions loaded into the store with 's3graph vocab'.",
    )(command)


def load_linker(settings: Settings, nuts_dir: Path | None) -> Linker:
    """The linking reference data: registry, English names and the NUTS index to judge with.

    The NUTS classification comes from ``--nuts DIR`` when given, else from the store (what
    ``s3graph vocab fetch|load`` put there); without either, regions are not judged.
    """
    from s3graph.linking.links import Linker

    if nuts_dir is not None:
        from s3graph.vocab.nuts_csv import load_reference_dir

        return Linker.load(load_reference_dir(nuts_dir))
    return Linker.load(_index_from_store(settings))


def _index_from_store(settings: Settings) -> NutsIndex | None:
    if not settings.store.exists():
        return None
    from s3graph.store import Store
    from s3graph.vocab.stored import nuts_index_from_store

    with Store.open(settings.store, read_only=True) as store:
        return nuts_index_from_store(store)


def echo_problems(problems: Iterable[Problem]) -> None:
    """Validation problems on stderr, one ``FILE:LINE: severity: rule: message`` line each."""
    for p in problems:
        where = f"{p.file}:{p.line}" if p.line is not None else p.file
        fix = f" ({p.suggestion})" if p.suggestion else ""
        click.echo(f"{where}: {p.severity.lower()}: {p.rule}: {p.message}{fix}", err=True)
