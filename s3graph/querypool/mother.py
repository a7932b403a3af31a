"""The mother: a process forked early that forks zygotes later, when the caller has threads.

A zygote must be the fork of a single-threaded process (see :mod:`.zygote`). A server that
follows its store (a new ingest while it runs) needs new zygotes long after its threads
started: it asks the mother, forked while the server was still single-threaded and staying so,
and the mother forks them. A zygote born of the mother makes its store itself before it forks
any worker: with ``inherit`` it calls ``prepare()`` once (an in-memory copy of the store, taken
in the zygote) and every worker shares that copy-on-write; without, each worker calls it.

The server talks to the mother over a ``SOCK_SEQPACKET`` pair: one packet, the pickled recipe
``(prepare, handle, query_memory, warm, inherit)`` (module-level functions and partials of them,
pickled by reference: the mother holds the same code), with the zygote's end of a fresh control
pair passed along (``SCM_RIGHTS``). The answer is the zygote's pid. The new zygote says
``ready`` on its control once its store is made and warmed, or why it could not.

The mother ends when the server's end closes or the server dies (``PR_SET_PDEATHSIG``); its
zygotes and their workers end with it the same way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import socket
import struct
import threading
from typing import Any

from s3graph.process import die_with_parent
from s3graph.querypool.zygote import (
    Handle,
    Prepare,
    Zygote,
    close_listeners,
    fork_child,
    reap,
    serve_forks,
)

__all__ = ["Mother", "ZygoteNotReady"]

_PID = struct.Struct("!q")
#: The largest recipe the mother reads (a few paths and names, pickled by reference).
_RECIPE_MAX = 1 << 16
_READY = b"ready"


class ZygoteNotReady(RuntimeError):
    """A zygote born of the mother could not make its store (the text says why)."""


class Mother:
    """The server's handle on the mother process; :meth:`zygote` is a zygote factory."""

    def __init__(self) -> None:
        """Fork the mother now: call this while the process is single-threaded."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        parent = os.getpid()

        def mother() -> None:  # pragma: no cover - runs in the child; its effects are tested
            ours.close()
            _mother(theirs, parent)

        self.pid = fork_child(mother)
        theirs.close()
        self._control = ours
        self._lock = threading.Lock()  # one exchange with the mother at a time

    def zygote(
        self,
        prepare: Prepare,
        handle: Handle,
        query_memory: int,
        warm: Any = None,
        inherit: bool = False,
        *,
        in_mother: bool = False,
    ) -> Zygote:
        """A new zygote, forked by the mother, its store made and warmed; blocks until then.

        With ``in_mother`` (and ``inherit``), ``prepare()`` runs in the mother itself, before
        the fork: what it keeps there from one call to the next (a copy of the store brought up
        to date: :mod:`s3graph.api.kept`) the zygote and its workers share copy-on-write.

        Raises :class:`ZygoteNotReady` when its store cannot be made, :class:`OSError` when the
        mother is gone.
        """
        recipe = pickle.dumps((prepare, handle, query_memory, warm, inherit, in_mother))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            with self._lock:
                socket.send_fds(self._control, [recipe], [theirs.fileno()])
                message = self._control.recv(_PID.size)
            if len(message) != _PID.size:
                raise OSError("the query mother did not answer")
            (pid,) = _PID.unpack(message)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        zygote = Zygote.adopt(pid, ours)
        said = ours.recv(_RECIPE_MAX)
        if said != _READY:
            zygote.close()
            why = said.decode("utf-8", "replace") or "it ended while starting"
            raise ZygoteNotReady(f"the query workers' store could not be made: {why}")
        return zygote

    def close(self) -> None:
        """Let the mother go (it ends when this end closes; its zygotes end with it).

        Not waited for: a server that stops must not wait for it to be scheduled; it is reaped
        here if it has ended already, else it is a zombie only until this process ends.
        """
        self._control.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, os.WNOHANG)

    def __enter__(self) -> Mother:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# -- in the mother -----------------------------------------------------------------------------


def _mother(control: socket.socket, parent: int) -> None:  # pragma: no cover - in the child
    gc.freeze()  # nothing inherited is ever finalised here (see zygote.serve_forks)
    die_with_parent(parent)
    close_listeners(keep=control.fileno())
    children: set[int] = set()
    while True:
        reap(children)
        ready, _, _ = select.select([control], [], [], 0.5)
        if not ready:
            continue
        try:
            recipe, fds, _, _ = socket.recv_fds(control, _RECIPE_MAX, 1)
        except OSError:
            recipe, fds = b"", []
        if not recipe or not fds:
            for fd in fds:
                os.close(fd)
            return  # the server is gone: our zygotes die with us
        made, failed = _made_here(recipe)
        pid = fork_child(_born, control, fds[0], os.getpid(), recipe, made, failed)
        os.close(fds[0])
        children.add(pid)
        control.send(_PID.pack(pid))


def _made_here(recipe: bytes) -> tuple[Any, str | None]:  # pragma: no cover - in the mother
    """The store of a recipe made ``in_mother``, here (None if not), or why it failed."""
    try:
        prepare, *_, inherit, in_mother = pickle.loads(recipe)
        return (prepare() if inherit and in_mother else None), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # an engine panic too: said by the zygote; the mother goes on
        return None, _why(exc)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _born(
    mother: socket.socket,
    fd: int,
    parent: int,
    recipe: bytes,
    made: Any,
    failed: str | None,
) -> None:  # pragma: no cover - runs in the child
    """A zygote's life: make the store, warm up, say ready on ``fd``, fork workers on demand."""
    mother.close()
    control = socket.socket(fileno=fd)
    die_with_parent(parent)
    try:
        if failed is not None:
            raise RuntimeError(failed)
        prepare, handle, query_memory, warm, inherit, in_mother = pickle.loads(recipe)
        if inherit:
            prepare = _Made(made if in_mother else prepare())
        if warm is not None:
            warm()
    except BaseException as exc:
        control.send((failed or _why(exc)).encode()[:_RECIPE_MAX])
        return
    control.send(_READY)
    serve_forks(control, parent, prepare, handle, query_memory)


class _Made:
    """``prepare`` of a worker whose store its zygote made: the store itself, inherited."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def __call__(self) -> Any:
        return self.store
