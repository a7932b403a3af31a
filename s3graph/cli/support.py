"""What the commands share: their settings, the store's lifetime, progress and warning output."""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from s3graph.judging import Reference
    from s3graph.linking.links import Linker
    from s3graph.model import ParseWarning
    from s3graph.store import GraphStore
    from s3graph.validate import Problem
    from s3graph.vocab.nuts_index import NutsIndex


@dataclass(frozen=True, slots=True)
class Settings:
    """The global options, handed to every command as the click context's object."""

    #: the store's folder, or the URL of a SPARQL server (a string: ``Path`` folds its ``//``)
    store: Path | str
    base: str
    verbose: bool
    #: the kind of SPARQL server at a store URL (a preset's name; None: $S3GRAPH_SERVER or oxigraph)
    server: str | None = None
    #: the server's update and Graph Store Protocol URLs in place of its preset's paths (None:
    #: $S3GRAPH_UPDATE_URL, $S3GRAPH_GRAPH_STORE_URL, else the preset's): ``generic``'s URLs
    update_url: str | None = None
    graph_store_url: str | None = None

    @property
    def remote(self) -> str | None:
        """The URL of the SPARQL server that is the store, or None for a folder."""
        return self.store if isinstance(self.store, str) else None

    @property
    def folder(self) -> Path | None:
        """The folder of the embedded store, or None for a SPARQL server."""
        return self.store if isinstance(self.store, Path) else None


def store_location(text: str) -> Path | str:
    """What ``--store`` names: a URL (kept as written) or a folder."""
    if text[:4].lower() != "http":  # no HTTP client imported for a folder
        return Path(text)
    from s3graph.remote import is_store_url

    return text if is_store_url(text) else Path(text)


def silence_closed_pipes() -> bool:
    """Point stdout and stderr at ``/dev/null`` where they are pipes whose reader has gone.

    After ``s3graph stats | head -1`` the rest of the output has nowhere to go; with the
    descriptors on ``/dev/null`` the writes still buffered (flushed when the interpreter ends)
    cannot fail again. Returns whether either stream was such a pipe: a ``BrokenPipeError``
    that did not come from them came from a pipe of s3graph's own.
    """
    closed = [fd for fd in _std_descriptors() if _reader_gone(fd)]
    if closed:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in closed:
            os.dup2(devnull, fd)
        os.close(devnull)
    return bool(closed)


def _std_descriptors() -> list[int]:
    descriptors = []
    for stream in (sys.stdout, sys.stderr):
        try:
            descriptors.append(stream.fileno())
        except (AttributeError, OSError, ValueError):  # replaced by a test runner, or closed
            continue
    return descriptors


def _reader_gone(fd: int) -> bool:
    """Whether ``fd`` is the writing end of a pipe (or socket) nobody reads any more.

    ``poll`` reports an error condition on such an end (Linux, macOS); elsewhere a descriptor
    that cannot be polled counts as closed, the usual cause of a ``BrokenPipeError``.
    """
    if not hasattr(select, "poll"):  # pragma: no cover - Windows
        return True
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def open_store(settings: Settings) -> GraphStore:
    """The store of ``--store`` to write, created when missing, for a ``with`` block.

    Only commands that write (``ingest``, ``vocab load|fetch``, ``remove``, ``check``) open it
    so; the ``with`` block closes it and releases its lock. A URL is a SPARQL server
    (:class:`~s3graph.remote.RemoteStore`): nothing is sent until the store is used.
    """
    return store_opener(settings, read_only=False)()


def read_store(settings: Settings) -> GraphStore:
    """The store of ``--store`` to read: exit 3 "no store at PATH" when there is none.

    A read never creates a store (an empty one would answer 0 to every question).
    """
    require_stored(settings)
    return store_opener(settings, read_only=True)()


def store_opener(settings: Settings, *, read_only: bool = True) -> Callable[[], GraphStore]:
    """A function opening the store of ``--store``: the ONE place that tells the two kinds.

    A partial (query workers are forked with it): the folder read-only or not, or the server at
    the URL of the kind ``--server`` names (at ``--update-url`` and ``--graph-store-url`` when
    given), its credentials read from the environment by the process that opens it (never
    carried in the partial).
    """
    from functools import partial

    if settings.remote is not None:
        from s3graph.remote import RemoteStore

        return partial(
            RemoteStore.open,
            settings.remote,
            server=settings.server,
            update_url=settings.update_url,
            graph_store_url=settings.graph_store_url,
        )
    from s3graph.store import Store

    return partial(Store.open, Path(settings.store), read_only=read_only)


def require_stored(settings: Settings) -> None:
    """Exit 3 "no store at PATH" for a folder that holds none (a server is asked when used)."""
    if settings.folder is not None:
        from s3graph.store import require_store

        require_store(settings.folder)


def refuse_empty_folders(sources: Iterable[Path]) -> None:
    """Exit 2 naming a folder given on the command line that holds no ``*.txt`` report.

    Reading nothing and answering success would let a mistyped folder pass unnoticed.
    """
    from s3graph.errors import EmptyFolderError

    for source in sources:
        if Path(source).is_dir() and not any(p.is_file() for p in Path(source).rglob("*.txt")):
            raise EmptyFolderError(source)


@contextmanager
def progress_bar(length: int, label: str = "ingesting") -> Iterator[Callable[..., None]]:
    """A progress bar on stderr when it is a terminal (else silent: stderr keeps only messages)."""
    if not sys.stderr.isatty():
        yield lambda *_args, **_kwargs: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield lambda *_args, **_kwargs: bar.update(1)


def echo_warnings(path: str, warnings: Sequence[ParseWarning]) -> None:
    """Parse warnings on stderr, one ``FILE:LINE: warning: message`` line each.

    A warning about the whole file (line 0: no line to look at) is ``FILE: warning: message``.
    """
    for warning in warnings:
        where = f"{path}:{warning.line}" if warning.line > 0 else path
        click.echo(f"{where}: warning: {warning.message}", err=True)


def nuts_option(command: Callable[..., None]) -> Callable[..., None]:
    """``--nuts DIR``: judge regions against the NUTS CSV files of a folder the user names."""
    return click.option(
        "--nuts",
        "nuts_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="Folder of NUTS files (nuts-YYYY.csv, nuts-changes.csv) to judge regions against; "
        "default: the NUTS snapshot packaged with s3graph, each version loaded into the store "
        "with 's3graph vocab' in its place.",
    )(command)


def load_linker(settings: Settings, nuts_dir: Path | None) -> Linker:
    """The linker of :func:`load_reference` (for commands that record no stamp)."""
    return load_reference(settings, nuts_dir).linker


def load_reference(settings: Settings, nuts_dir: Path | None) -> Reference:
    """The reference data to judge with: registry, English names and the NUTS index.

    The NUTS classification comes from ``--nuts DIR`` when given, else from the snapshot packaged
    with s3graph with every version loaded into the store (``s3graph vocab fetch|load``) in place
    of its own. English names of regions are ours plus those ``s3graph vocab fetch
    wikidata-names`` put in the cache: read here, by the command, and handed to the linker
    (which reads nothing itself).
    """
    from s3graph.judging import Reference

    names = fetched_region_names(settings)
    if nuts_dir is not None:
        from s3graph.vocab.nuts_csv import load_reference_dir

        return Reference.load(load_reference_dir(nuts_dir), names)
    from s3graph.vocab.nuts_snapshot import with_snapshot

    return Reference.load(with_snapshot(_index_from_store(settings)), names)


def fetched_region_names(settings: Settings) -> dict[str, tuple[str, ...]]:
    """The English names of NUTS regions fetched from Wikidata into the cache ($S3GRAPH_CACHE).

    Empty when none were fetched; with ``--verbose`` the file and its size are said on stderr,
    so a user comparing two machines' verdicts sees this input.
    """
    from s3graph.vocab.sources.wikidata import load_cached_names, names_path

    names = load_cached_names()
    if settings.verbose and names:
        count = sum(map(len, names.values()))
        click.echo(f"region names: {count} fetched names from {names_path()}", err=True)
    return names


def _index_from_store(settings: Settings) -> NutsIndex | None:
    if settings.folder is not None and not settings.folder.exists():
        return None
    from s3graph.vocab.sources.stored import nuts_index_from_store

    with store_opener(settings, read_only=True)() as store:
        return nuts_index_from_store(store)


def echo_sourceless(reports: Sequence[str]) -> None:
    """Warn about stored reports whose judgements could not be renewed (no source kept)."""
    if reports:
        click.echo(
            f"warning: {len(reports)} stored report(s) keep no source (ingested by an earlier "
            f"s3graph), so their judgements were not renewed: ingest them again (first: "
            f"{reports[0]})",
            err=True,
        )


def echo_problems(problems: Iterable[Problem]) -> None:
    """Validation problems on stderr, one ``FILE:LINE: severity: rule: message`` line each."""
    from s3graph.validate.problems import located_message

    for p in problems:
        where = f"{p.file}:{p.line}" if p.line is not None else p.file
        fix = f" ({p.suggestion})" if p.suggestion else ""
        message = located_message(p)
        click.echo(f"{where}: {p.severity.lower()}: {p.rule}: {message}{fix}", err=True)
