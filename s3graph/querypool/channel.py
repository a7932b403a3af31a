"""Messages between the pool, the zygote and the workers: length-prefixed pickles on a socket.

Both ends are this program (the workers are forks of it), so pickle is safe here; no message
ever comes from a client. A closed peer reads as :class:`EOFError`.
"""

from __future__ import annotations

import pickle
import socket
import struct
from typing import Any

__all__ = ["receive", "send"]

_HEADER = struct.Struct("!Q")


def send(sock: socket.socket, message: Any) -> None:
    """Write one message (raises :class:`OSError` when the peer is gone)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def receive(sock: socket.socket) -> Any:
    """Read one message; :class:`EOFError` when the peer closed (or died) first."""
    (size,) = _HEADER.unpack(_read(sock, _HEADER.size))
    return pickle.loads(_read(sock, size))


def _read(sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        try:
            count = sock.recv_into(view[got:], size - got)
        except ConnectionResetError as exc:
            raise EOFError("the peer is gone") from exc
        if count == 0:
            raise EOFError("the peer is gone")
        got += count
    return bytes(buffer)
