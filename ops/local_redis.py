"""The local Redis the stack starts: its settings go in a 0600 file, never on the command line,
so the password is not visible to other users in `ps`."""

from __future__ import annotations

import os
from pathlib import Path

from ops.secrets import private_dir


def write_config(data_dir: Path, port: int, password: str) -> Path:
    private_dir(data_dir)
    path = data_dir / "redis.conf"
    # Append-only file: every write reaches the file before Redis replies, so a restart or a crash
    # of Redis keeps every conversation turn; fsync once a second (Redis's advice) bounds what a
    # crash of the whole machine could lose to one second. Fsync on every write blocked Rasa's
    # event loop on each of the ~6 Redis calls of a turn.
    lines = [
        f"port {port}", "bind 127.0.0.1", "protected-mode yes", f'dir "{data_dir}"',
        "appendonly yes", "appendfsync everysec", 'save ""',
        f"requirepass {password}",
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    return path
