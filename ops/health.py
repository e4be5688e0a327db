"""Is it answering? The checks `ops.stack` waits on at start and the watchdog repeats."""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request

# The front door's own certificate may be self-signed; these checks only ask "does it answer".
_UNVERIFIED = ssl._create_unverified_context()


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=_UNVERIFIED) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def redis_ping(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.sendall(b"PING\r\n")
            # A Redis that asks for its password is up too.
            return conn.recv(16).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0
