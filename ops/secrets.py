"""The stack's secrets: one master secret, and what is derived from it.

- `ASSISTANT_SECRET_KEY`: the master. From the environment when set (production: a secret store);
  otherwise generated once into `<state dir>/secrets.env`, mode 0600, in a folder of mode 0700.
  The file is under `var/` (ignored by git) and its contents are never printed or logged.
- `ACTION_SERVER_TOKEN`: the shared secret Rasa sends the action server on every call; from the
  environment, or derived from the master.
- the local Redis password: derived from the master (an external Redis brings its own password
  inside REDIS_URL).

Derivation is HKDF with one label per purpose (rasa_project/privacy/keys.py), so rotating the
master rotates everything; only the master needs keeping.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rasa_project.privacy.keys import MASTER_ENV, derive

SECRETS_FILE = "secrets.env"
TOKEN_ENV = "ACTION_SERVER_TOKEN"
SECRET_VARIABLES = (MASTER_ENV, TOKEN_ENV)  # what the environment may set instead


def master_from_file(state_dir: Path) -> str:
    """The master secret kept in the state folder, created (0600) on first use."""
    private_dir(state_dir)
    path = state_dir / SECRETS_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_master(path)
    secret = secrets.token_hex(32)
    with os.fdopen(fd, "w") as out:
        out.write(f"# Generated on first run; keep it private, never commit it.\n"
                  f"{MASTER_ENV}={secret}\n")
    return secret


def _read_master(path: Path) -> str:
    os.chmod(path, 0o600)  # repair a copy made with looser permissions
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() == MASTER_ENV and value.strip():
            return value.strip()
    raise RuntimeError(f"{path} has no {MASTER_ENV}; delete the file to generate a new one")


def stack_secrets(state_dir: Path, env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment variables that carry secrets to the stack's processes."""
    master = env.get(MASTER_ENV) or master_from_file(state_dir)
    return {
        MASTER_ENV: master,
        TOKEN_ENV: env.get(TOKEN_ENV) or derive(master, "action-server-token").hex(),
        "LOCAL_REDIS_PASSWORD": derive(master, "redis-password").hex(),
    }


def local_redis_url(port: int, password: str, db: int = 0) -> str:
    return f"redis://:{password}@127.0.0.1:{port}/{db}"  # hex: nothing to escape


def private_dir(path: Path) -> Path:
    """A folder only its owner can enter (made if missing)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def make_private(state_dir: Path) -> None:
    """Files created from now on by this process and its children are the owner's only (umask
    077); what the state folder already holds is tightened to 0700 folders and 0600 files."""
    os.umask(0o077)
    private_dir(state_dir)
    for root, dirs, files in os.walk(state_dir):
        for name in dirs:
            os.chmod(Path(root, name), 0o700)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                os.chmod(path, 0o600)


def without_password(url: str) -> str:
    """A Redis URL fit to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:" if parts.username else ":"
    return urlunsplit(parts._replace(netloc=f"{user}***@{host}"))
