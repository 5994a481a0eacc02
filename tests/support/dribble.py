"""A server on 127.0.0.1 that answers every request one byte per second, for deadline tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n"
    + b" " * 2000
)


def _serve(conn: socket.socket, stop: threading.Event, byte_interval_s: float) -> None:
    with conn:
        try:
            conn.recv(65536)
            for byte in ANSWER:
                if stop.wait(byte_interval_s):
                    return
                conn.sendall(bytes([byte]))
        except OSError:
            return  # the client gave up: what the test wants


@contextmanager
def dribbling_server(byte_interval_s: float = 1.0) -> Iterator[str]:
    """Base URL of a server whose answers trickle in (each byte `byte_interval_s` apart)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_serve, args=(conn, stop, byte_interval_s), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        time.sleep(0)
