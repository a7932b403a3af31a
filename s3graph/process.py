"""Process life cycle helpers shared by the forked workers (ingest, export, queries).

A worker forked by s3graph must not outlive the process that forked it: after a ``kill -9`` of
``s3graph ingest`` nobody would ever collect its workers' results, yet they would keep a core
busy (and the export's child would keep writing). :func:`die_with_parent` asks the kernel to end
the calling child when its parent goes, however the parent goes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent", "limit_malloc_arenas", "parent_death_signal"]

#: ``prctl`` options (``<linux/prctl.h>``).
_PR_SET_PDEATHSIG = 1
_PR_GET_PDEATHSIG = 2


def _libc() -> ctypes.CDLL | None:
    """The C library of this process on Linux, where ``prctl`` lives; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)  # the symbols already loaded: libc among them
    except OSError:  # pragma: no cover - a Linux without a dynamic libc
        return None


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this process (``SIGKILL``) when its parent ends.

    Call it in a child right after ``fork``, with ``parent`` the pid the child expects as its
    parent (read with ``os.getpid()`` in the parent *before* forking). The kernel's death signal
    is only armed from the call on: a parent that died between the fork and the call would go
    unnoticed, so the child compares ``os.getppid()`` with ``parent`` afterwards and, if it was
    reparented already, kills itself the same way. Without ``parent`` that check is skipped.

    On Linux the signal is sent when the *thread* that forked the child ends, not only the
    process: fork from a thread that outlives the child (the main thread, or the thread that
    also waits for the child). Elsewhere than Linux there is no such signal; only the check
    against ``parent`` is done. Raises :class:`OSError` when ``prctl`` refuses.
    """
    libc = _libc()
    if libc is not None and libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)


def parent_death_signal() -> int:
    """The signal this process gets when its parent dies (0: none, or not Linux)."""
    libc = _libc()
    if libc is None:
        return 0
    value = ctypes.c_int(0)
    if libc.prctl(_PR_GET_PDEATHSIG, ctypes.byref(value), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_GET_PDEATHSIG): {os.strerror(errno)}")
    return value.value


#: ``mallopt`` option (``<malloc.h>``): the most memory arenas glibc's malloc keeps.
_M_ARENA_MAX = -8


def limit_malloc_arenas(count: int) -> bool:
    """Keep glibc's malloc to ``count`` arenas in this process (whether it could be set).

    glibc gives threads arenas of their own, up to eight per core, each keeping what was freed
    in it: a server whose many threads each pass a request through grows by an arena per thread
    and keeps it. A few shared arenas keep its memory flat under load at no measurable cost,
    since its threads mostly wait (the work is done in query workers).
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, count))
