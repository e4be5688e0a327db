"""A throwaway real redis-server for tests that need Redis but not the whole stack."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> int:
    """The first of `count` consecutive free loopback ports (replicas take consecutive ports)."""
    for _ in range(50):
        base = free_port()
        if base + count < 65000 and all(_free(base + i) for i in range(count)):
            return base
    raise RuntimeError("no consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@contextmanager
def redis_server(*options: str, url: str = "redis://127.0.0.1:{port}/0"):
    """A redis-server on a free port (`{port}` in `options` and `url`), yielding `url`, which
    must reach it (with the password, TLS files... that `options` ask for)."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is not installed: run `make system`")
    folder = tempfile.mkdtemp(prefix="redis-test-")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", folder,
         "--save", "", "--appendonly", "no", *(o.format(port=port) for o in options)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = url.format(port=port)
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
