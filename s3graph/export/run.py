"""``s3graph export``: the whole graph as open data, in one folder, replaced all at once.

Everything is written into a staging folder beside the target; only when every file, the
DCAT-AP description and ``SHA256SUMS`` are written does the staging folder take the target's
place (the previous export is renamed away, then removed). A failed export leaves the previous
one as it was. A target that exists, is not empty and holds no ``SHA256SUMS`` is not an export
of ours and is refused rather than replaced.

The CSV tables are written by a forked child with its own read-only view of the store, while
the parent reads the graphs for the RDF dumps (:mod:`s3graph.export.background`).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from s3graph.errors import ExportError
from s3graph.export.background import Background
from s3graph.export.description import (
    Description,
    FileFacts,
    contact_link,
    describe,
    file_facts,
    partnership_titles,
    write_description,
)
from s3graph.export.jsonld import context_document
from s3graph.export.partnerships import partnership_graphs
from s3graph.export.rdf import RDF_FORMATS, Progress, RdfDumps, write_rdf
from s3graph.export.tables import write_tables
from s3graph.export.views import Syntax
from s3graph.namespaces import DEFAULT_BASE, PREFIXES
from s3graph.store import GraphStore, Store

__all__ = [
    "ALL_FORMATS",
    "CONTEXT_FILE",
    "CSV_DIR",
    "SUMS_FILE",
    "ExportSettings",
    "ExportSummary",
    "export",
]

#: Every format of ``--formats``.
ALL_FORMATS: tuple[str, ...] = (*RDF_FORMATS, "csv")
#: The checksums of every file of an export, in the layout of ``sha256sum``.
SUMS_FILE = "SHA256SUMS"
#: The JSON-LD context of the JSON-LD files, published on its own.
CONTEXT_FILE = "context.jsonld"
#: Folder of the CSV tables and their CSVW metadata.
CSV_DIR = "csv"


@dataclass(frozen=True)
class ExportSettings:
    """What to export and how the description points at it.

    ``download_base`` is the URL the files are downloaded from (default ``{base}dumps/``, where
    ``s3graph serve`` serves them); ``publisher`` the name of the publishing agent; ``contact``
    an e-mail or web address for the description's contact point (default: the base, the
    site's home page).
    """

    formats: tuple[str, ...] = ALL_FORMATS
    gzip: bool = False
    base: str = DEFAULT_BASE
    download_base: str | None = None
    publisher: str | None = None
    contact: str | None = None

    def __post_init__(self) -> None:
        if self.contact is not None:
            try:
                contact_link(self.contact)
            except ValueError as exc:
                raise ExportError(str(exc)) from None
        unknown = sorted(set(self.formats) - set(ALL_FORMATS))
        if unknown:
            known = ",".join(ALL_FORMATS)
            raise ExportError(
                f"unknown export format {', '.join(unknown)}: expected some of {known}"
            )


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: every file (with size and checksum) and what the store held."""

    folder: Path
    files: tuple[FileFacts, ...]
    quads: int
    triples: int
    partnerships: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def export(
    store: GraphStore,
    out: Path,
    settings: ExportSettings | None = None,
    *,
    progress: Progress | None = None,
) -> ExportSummary:
    """Export ``store`` into the folder ``out`` (replacing an earlier export there)."""
    settings = settings or ExportSettings()
    out = out.resolve()  # "." has no name to put the staging folder beside
    _check_target(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = _staging_folder(out)
    except OSError as exc:
        raise _write_error(out, exc) from exc
    tables: Background[list[Path]] | None = None
    try:
        if "csv" in settings.formats:
            tables = Background(_tables_job(store, staging / CSV_DIR, settings.gzip))
        syntax = Syntax(dict(PREFIXES), settings.base)
        dumps = write_rdf(
            store, staging, staging / ".work", formats=settings.formats,
            gzip=settings.gzip, syntax=syntax, progress=progress,
        )  # fmt: skip
        written = list(dumps.files)
        if tables is not None:
            written += tables.result()
        if "jsonld" in settings.formats:
            (staging / CONTEXT_FILE).write_bytes(context_document(syntax.context))
            written.append(staging / CONTEXT_FILE)
        shutil.rmtree(staging / ".work", ignore_errors=True)
        facts = [
            _facts(staging, path, n, len(written), progress) for n, path in enumerate(written, 1)
        ]
        description = Description(
            settings.base,
            settings.download_base or f"{settings.base}dumps/",
            settings.publisher,
            settings.contact,
        )
        names = partnership_titles(store)
        triples = describe(
            store, facts, dumps.statistics, description,
            partnerships=names, titles=_titles(names, staging, dumps),
        )  # fmt: skip
        described = [
            file_facts(staging, path) for path in write_description(triples, staging, syntax)
        ]
        every = sorted([*facts, *described], key=lambda f: f.path)
        _write_sums(staging / SUMS_FILE, every)
        _swap(staging, out)
    except BaseException as exc:
        if tables is not None:
            tables.stop()
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(out, exc) from exc
        raise
    return ExportSummary(
        out, tuple(every), dumps.quads, dumps.statistics.triples,
        partnerships=len(partnership_graphs(store)),
    )  # fmt: skip


def _tables_job(store: GraphStore, folder: Path, gzip: bool) -> Callable[[], list[Path]]:
    """The CSV tables, written in another thread from a view of its own of ``store``: a
    read-only view of the folder, or the same server over connections of their own."""

    def job() -> list[Path]:
        from s3graph.remote import RemoteStore

        view = store.another() if isinstance(store, RemoteStore) else None
        with view or Store.open(Path(store.path), read_only=True) as opened:
            return write_tables(opened, folder, gzip=gzip)

    return job


def _facts(folder: Path, path: Path, done: int, total: int, progress: Progress | None) -> FileFacts:
    facts = file_facts(folder, path)
    if progress is not None:
        progress("checksums", done, total)
    return facts


def _titles(names: Mapping[str, str], folder: Path, dumps: RdfDumps) -> dict[str, str]:
    """Titles of the per-partnership files: the partnership's name and the format."""
    kinds = {".ttl": "Turtle", ".jsonld": "JSON-LD"}
    titles = {}
    for path, partnership in dumps.partnerships.items():
        kind = kinds[Path(path.name.removesuffix(".gz")).suffix]
        name = names.get(partnership, partnership)
        titles[path.relative_to(folder).as_posix()] = (
            f"Partnership {name}: its reports and their validation results, {kind}"
        )
    return titles


def _write_sums(path: Path, facts: list[FileFacts]) -> None:
    """``SHA256SUMS`` as ``sha256sum`` writes it (``sha256sum -c SHA256SUMS`` checks it)."""
    path.write_text("".join(f"{f.sha256}  {f.path}\n" for f in facts), encoding="utf-8")


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: not a folder; give a new or empty folder, or an earlier export")
    if out.is_dir() and any(out.iterdir()) and not (out / SUMS_FILE).is_file():
        raise ExportError(
            f"{out}: the folder is not empty and holds no s3graph export (no {SUMS_FILE});"
            " give a new or empty folder, or an earlier export to replace"
        )


def _write_error(out: Path, exc: OSError) -> ExportError:
    """One line for a file that could not be written (a full disk, no permission): the file it
    names was in the staging folder, which is gone, so the line names the export's folder."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ExportError(f"{out}: the export could not be written ({reason}); nothing was replaced")


#: ``renameat2`` arguments: paths relative to the working directory, and swap the two.
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot (then nothing moved)."""
    import ctypes
    import errno

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _staging_folder(out: Path) -> Path:
    """A new folder beside ``out``, made as any folder is: ``mkdtemp`` would make it (and so the
    export) readable by its owner only."""
    staging = out.with_name(f".{out.name}.partial-{secrets.token_hex(8)}")
    staging.mkdir()
    return staging


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in the place of ``out``; the earlier export goes only once it is replaced.

    The two folders are exchanged in one step (``renameat2`` with ``RENAME_EXCHANGE``, Linux), so
    whatever stops the process, ``out`` is the earlier export or the new one. Where the kernel or
    file system cannot exchange, the earlier export is renamed away first (a process killed
    between the two renames leaves it under ``.NAME.old-PID``).
    """
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # the earlier export, now at staging's name
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
