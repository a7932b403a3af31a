"""Messages between the pool, the zygote and the workers: length-prefixed pickles on a socket.

Both ends are this program (the workers are forks of it), so pickle is safe here; no message
ever comes from a client. A closed peer reads as :class:`EOFError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import socket
import struct
from collections.abc import Iterator
from typing import Any

__all__ = ["exchange", "receive", "send"]

_HEADER = struct.Struct("!Q")


def send(sock: socket.socket, message: Any) -> None:
    """Write one message (raises :class:`OSError` when the peer is gone)."""
    sock.sendall(_frame(message))


def _frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def receive(sock: socket.socket) -> Any:
    """Read one message; :class:`EOFError` when the peer closed (or died) first."""
    (size,) = _HEADER.unpack(_read(sock, _HEADER.size))
    return pickle.loads(_read(sock, size))


def _read(sock: socket.socket, size: int) -> bytearray:
    buffer = bytearray(size)  # read in place: a large answer is not copied again
    view, got = memoryview(buffer), 0
    with _peer_gone():
        while got < size:
            got += _received(sock.recv_into(view[got:]))
    return buffer


@contextlib.contextmanager
def _peer_gone() -> Iterator[None]:
    """A connection reset is the peer gone too."""
    try:
        yield
    except ConnectionResetError as exc:
        raise EOFError("the peer is gone") from exc


def _received(count: int) -> int:
    if count == 0:
        raise EOFError("the peer is gone")
    return count


async def exchange(sock: socket.socket, message: Any) -> Any:
    """Write one message and read the answer on the running event loop (no thread waits).

    Raises :class:`EOFError` when the peer closed (or died) first, :class:`OSError` when it is
    gone; ``sock`` is left blocking, as :func:`send` and :func:`receive` want it.
    """
    loop = asyncio.get_running_loop()
    sock.setblocking(False)
    try:
        await loop.sock_sendall(sock, _frame(message))
        (size,) = _HEADER.unpack(await _read_async(loop, sock, _HEADER.size))
        return pickle.loads(await _read_async(loop, sock, size))
    finally:
        with contextlib.suppress(OSError):
            sock.setblocking(True)


async def _read_async(
    loop: asyncio.AbstractEventLoop, sock: socket.socket, size: int
) -> bytearray:
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    with _peer_gone():
        while got < size:
            got += _received(await loop.sock_recv_into(sock, view[got:]))
    return buffer
