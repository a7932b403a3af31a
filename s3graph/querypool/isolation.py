"""What a query worker does to itself, and what the pool reads of it (Linux; elsewhere: nothing).

- :func:`leave_network`: the worker moves into a network namespace of its own, which has no
  interface but a loopback that is down, so no query (``SERVICE``, ``LOAD``) can connect
  anywhere, whatever the text-level guard decided. Root may create one; others try through a
  user namespace of their own. When neither is allowed, the caller is told and says so.
- :func:`cap_address_space`: ``RLIMIT_AS`` a margin above what the worker maps now, the hard
  backstop of the memory limit (an allocation past it fails, and the engine aborts the worker).
- :func:`private_memory`: how much of a worker's memory is its own (anonymous resident pages),
  read by the pool's supervisor to stop a query at its memory limit before the backstop;
  :func:`cpu_time`: how much CPU it used, which tells a long query from one that only waited
  for a core.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource

__all__ = ["cap_address_space", "cpu_time", "leave_network", "mapped_memory", "private_memory"]

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def leave_network(*, thread_only: bool = False) -> bool:
    """Move this process (or with ``thread_only``, this thread) into a new, empty network namespace.

    Returns whether it worked. Network namespaces belong to threads: with ``thread_only`` only the
    calling thread (and the sockets it opens) lose the network, which the server uses for the
    thread that applies updates. For a whole process, a user namespace is tried when a plain one
    is not allowed (not root); that needs the process to be single-threaded, as a fresh fork is.
    """
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/ns/net"):
        return False  # pragma: no cover - not Linux
    libc = _libc()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    if thread_only:
        return False
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return False
    try:  # map our own ids, so files stay readable as before
        with open("/proc/self/setgroups", "w") as file:
            file.write("deny")
        with open("/proc/self/uid_map", "w") as file:
            file.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as file:
            file.write(f"{gid} {gid} 1")
    except OSError:
        pass  # the namespace holds anyway; only the ids show as nobody
    return True


def _status(pid: int | str, field: str) -> int:
    """A ``kB`` field of ``/proc/PID/status`` in bytes (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as file:
            for line in file:
                if line.startswith(field.encode() + b":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def private_memory(pid: int | str = "self") -> int:
    """Bytes of anonymous memory resident in process ``pid`` (``RssAnon``).

    Pages a worker shares copy-on-write with the zygote count from the fork on, so the growth of
    this number over the worker's start is what its queries allocated.
    """
    return _status(pid, "RssAnon")


def mapped_memory(pid: int | str = "self") -> int:
    """Bytes of address space mapped by process ``pid`` (``VmSize``)."""
    return _status(pid, "VmSize")


def cpu_time(pid: int | str = "self") -> float:
    """Seconds of CPU process ``pid`` has used (user and system; 0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            fields = file.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return 0.0


def cap_address_space(extra: int) -> None:
    """Limit this process's address space to what it maps now plus ``extra`` bytes."""
    limit = mapped_memory() + extra
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
