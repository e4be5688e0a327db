"""How the stack runs, read once from the environment: ports, replicas, the front door's limits,
the watchdog, the state folder, and the environment every child process gets (`child_env`).

Every value comes from an environment variable with a safe default (README, "Configuration";
`.env.example` lists them all), so a test stack can run beside a developer's on other ports and
in another state folder. The settings the assistant's own processes read (Redis, expiry times)
have their defaults in `rasa_project/settings.py`, which never imports `ops`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ops.secrets import SECRET_VARIABLES, local_redis_url, stack_secrets
from rasa_project import settings as assistant

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Settings:
    state_dir: Path
    redis_url: str | None  # an external Redis; None means start our own
    redis_port: int
    action_port: int  # the action servers' balancer (nginx, loopback); replicas on the next ports
    rasa_port: int  # the first Rasa replica; the others on the next ports (loopback)
    web_port: int  # the website app (loopback; the public reaches it through the front door)
    model: Path
    allowed_origins: str
    tracker_expiry_seconds: int
    allow_clock_override: bool
    rasa_public_url: str  # where browsers reach Rasa; "" = the page's own origin (the front door)
    public_port: int = assistant.PUBLIC_PORT
    public_bind: str = "127.0.0.1"  # production sets 0.0.0.0
    rasa_replicas: int = 1
    action_replicas: int = 1
    tls_cert_file: str | None = None
    tls_key_file: str | None = None
    rate_limit_per_second: float = 5.0  # per client address, REST messages and socket.io handshakes
    rate_limit_burst: int = 20
    conn_limit_per_client: int = 50
    max_body_size: str = "16k"
    proxy_timeout_seconds: int = 30  # the longest any request waits at the front door
    retry_after_seconds: int = 5
    watchdog_interval_seconds: float = 5.0
    watchdog_timeout_seconds: float = 5.0
    watchdog_failures: int = 4  # consecutive failed checks, spanning at least watchdog_min_seconds
    watchdog_min_seconds: float = 15.0
    start_timeout_seconds: float = 180.0  # how long a service may take to become ready
    redis_appendfsync: str = "always"  # the local Redis; `everysec` is quicker, less safe
    log_max_bytes: int = 10_000_000
    log_backups: int = 5
    project_dir: Path = ROOT  # another Rasa project (the benchmark's stock assistant) may be run
    with_web: bool = True
    # ASSISTANT_SECRET_KEY / ACTION_SERVER_TOKEN when the environment sets them (ops/secrets.py)
    secret_env: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        state = Path(env.get("STACK_STATE_DIR", ROOT / "var"))
        tls = bool(env.get("TLS_CERT_FILE") and env.get("TLS_KEY_FILE"))
        public_port = int(env.get("PUBLIC_PORT") or assistant.PUBLIC_PORT)
        return cls(
            state_dir=state if state.is_absolute() else ROOT / state,
            redis_url=env.get("REDIS_URL") or None,
            redis_port=int(env.get("LOCAL_REDIS_PORT") or assistant.LOCAL_REDIS_PORT),
            action_port=int(env.get("ACTION_PORT") or assistant.ACTION_PORT),
            rasa_port=int(env.get("RASA_PORT") or assistant.RASA_PORT),
            web_port=int(env.get("WEB_PORT") or assistant.WEB_PORT),
            model=Path(env.get("RASA_MODEL", ROOT / "models" / "current.tar.gz")),
            allowed_origins=env.get(
                "CHAT_ALLOWED_ORIGINS", "{s}://localhost:{p},{s}://127.0.0.1:{p}"
            ).format(p=public_port, s="https" if tls else "http"),
            tracker_expiry_seconds=assistant.tracker_expiry_seconds(env),
            allow_clock_override=env.get("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "0") == "1",
            rasa_public_url=env.get("RASA_PUBLIC_URL", ""),
            public_port=public_port,
            public_bind=env.get("PUBLIC_BIND", "127.0.0.1"),
            rasa_replicas=int(env.get("RASA_REPLICAS", "2")),
            action_replicas=int(env.get("ACTION_REPLICAS", "1")),
            tls_cert_file=env.get("TLS_CERT_FILE") if tls else None,
            tls_key_file=env.get("TLS_KEY_FILE") if tls else None,
            rate_limit_per_second=float(env.get("RATE_LIMIT_PER_SECOND", "5")),
            rate_limit_burst=int(env.get("RATE_LIMIT_BURST", "20")),
            conn_limit_per_client=int(env.get("CONN_LIMIT_PER_CLIENT", "50")),
            max_body_size=env.get("MAX_BODY_SIZE", "16k"),
            proxy_timeout_seconds=int(env.get("PROXY_TIMEOUT_SECONDS", "30")),
            watchdog_interval_seconds=float(env.get("WATCHDOG_INTERVAL_SECONDS", "5")),
            watchdog_timeout_seconds=float(env.get("WATCHDOG_TIMEOUT_SECONDS", "5")),
            watchdog_failures=int(env.get("WATCHDOG_FAILURES", "4")),
            start_timeout_seconds=float(env.get("STACK_START_TIMEOUT", "180")),
            redis_appendfsync=env.get("REDIS_APPENDFSYNC", "always"),
            log_max_bytes=int(env.get("LOG_MAX_BYTES", "10000000")),
            log_backups=int(env.get("LOG_BACKUPS", "5")),
            secret_env=tuple((name, env[name]) for name in SECRET_VARIABLES if env.get(name)),
        )

    @property
    def effective_redis_url(self) -> str:
        """REDIS_URL, or the local Redis with its password (generated on first run)."""
        return self.redis_url or local_redis_url(self.redis_port,
                                                 self.secrets()["LOCAL_REDIS_PASSWORD"])

    def secrets(self) -> dict[str, str]:
        return stack_secrets(self.state_dir, dict(self.secret_env))

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert_file and self.tls_key_file)

    @property
    def public_url(self) -> str:
        """The front door as this machine reaches it (also when it listens on 0.0.0.0)."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.public_port}"

    @property
    def rasa_url(self) -> str:
        """Where clients send messages: REST and socket.io through the front door."""
        return self.public_url

    @property
    def rasa_replica_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.rasa_port + i}" for i in range(self.rasa_replicas)]

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def child_env(self) -> dict[str, str]:
        """The environment every child gets: Redis parts for endpoints.yml, URLs, switches."""
        url = urlparse(self.effective_redis_url)
        env = dict(os.environ)
        secrets = self.secrets()
        env.update(
            ASSISTANT_SECRET_KEY=secrets["ASSISTANT_SECRET_KEY"],
            ACTION_SERVER_TOKEN=secrets["ACTION_SERVER_TOKEN"],
            REDIS_URL=self.effective_redis_url,
            REDIS_HOST=url.hostname or "127.0.0.1",
            REDIS_PORT=str(url.port or assistant.REDIS_DEFAULT_PORT),
            REDIS_PASSWORD=url.password or "",
            REDIS_TRACKER_DB=(url.path or "/0").lstrip("/") or "0",
            ACTION_ENDPOINT_URL=f"{self.action_url}/webhook",
            RASA_URL=self.rasa_url,
            RASA_REPLICA_URL=self.rasa_replica_urls[0],  # loopback, no rate limit: staff test runs
            TRACKER_RECORD_EXPIRY_SECONDS=str(self.tracker_expiry_seconds),
            ASSISTANT_ALLOW_CLOCK_OVERRIDE="1" if self.allow_clock_override else "0",
            CHAT_ALLOWED_ORIGINS=self.allowed_origins,
            RASA_PUBLIC_URL=self.rasa_public_url,
            PYTHONPATH=os.pathsep.join(dict.fromkeys([str(self.project_dir), str(ROOT)])),
            TQDM_DISABLE="1",
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            SANIC_WORKERS="1",  # one process per replica; replicas scale (RASA_REPLICAS)
        )
        return env
