"""The local Redis the stack starts: its settings go in a 0600 file, never on the command line,
so the password is not visible to other users in `ps`."""

from __future__ import annotations

import os
from pathlib import Path

from ops.secrets import private_dir


def write_config(data_dir: Path, port: int, password: str, appendfsync: str = "always") -> Path:
    private_dir(data_dir)
    path = data_dir / "redis.conf"
    # Append-only file, flushed to disk before Redis replies (`always`): with `everysec` Redis
    # holds writes back while the disk is still busy with the last flush, so a crash of Redis
    # under load lost turns already answered (tests/integration/test_resilience.py). Rasa's
    # stores use the asyncio client, so the wait no longer blocks Rasa's event loop.
    lines = [
        f"port {port}", "bind 127.0.0.1", "protected-mode yes", f'dir "{data_dir}"',
        "appendonly yes", f"appendfsync {appendfsync}", 'save ""',
        f"requirepass {password}",
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    return path
