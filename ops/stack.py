"""Starts and stops the assistant's processes: Redis, the action server, Rasa and the website.

`python -m ops.stack run` runs everything in the foreground until Ctrl-C;
`up` / `down` / `status` do the same in the background for tests and benchmarks. Every setting
comes from the environment (see README, "Configuration"), so a test stack can run beside a
developer's on other ports and in another state folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlparse

from ops import local_redis
from ops.secrets import (SECRET_VARIABLES, local_redis_url, make_private, stack_secrets,
                         without_password)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SERVICES = ("redis", "actions", "rasa", "web")
START_TIMEOUT_SECONDS = float(os.environ.get("STACK_START_TIMEOUT", "180"))


@dataclass(frozen=True)
class Settings:
    state_dir: Path
    redis_url: str | None  # an external Redis; None means start our own
    redis_port: int
    action_port: int
    rasa_port: int
    web_port: int
    model: Path
    allowed_origins: str
    tracker_expiry_seconds: int
    allow_clock_override: bool
    rasa_public_url: str  # where browsers reach Rasa (behind a proxy it differs from rasa_url)
    rasa_workers: int = 1  # Rasa server processes; each loads the model (README, Performance)
    project_dir: Path = ROOT  # another Rasa project (the benchmark's stock assistant) may be run
    with_web: bool = True
    # ASSISTANT_SECRET_KEY / ACTION_SERVER_TOKEN when the environment sets them (ops/secrets.py)
    secret_env: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        state = Path(env.get("STACK_STATE_DIR", ROOT / "var"))
        return cls(
            state_dir=state if state.is_absolute() else ROOT / state,
            redis_url=env.get("REDIS_URL") or None,
            redis_port=int(env.get("LOCAL_REDIS_PORT", "6389")),
            action_port=int(env.get("ACTION_PORT", "5055")),
            rasa_port=int(env.get("RASA_PORT", "5005")),
            web_port=int(env.get("WEB_PORT", "8080")),
            model=Path(env.get("RASA_MODEL", ROOT / "models" / "current.tar.gz")),
            allowed_origins=env.get(
                "CHAT_ALLOWED_ORIGINS", "http://localhost:{p},http://127.0.0.1:{p}"
            ).format(p=env.get("WEB_PORT", "8080")),
            tracker_expiry_seconds=int(env.get("TRACKER_RECORD_EXPIRY_SECONDS", "2592000")),
            allow_clock_override=env.get("ASSISTANT_ALLOW_CLOCK_OVERRIDE", "0") == "1",
            rasa_public_url=env.get("RASA_PUBLIC_URL")
            or f"http://127.0.0.1:{env.get('RASA_PORT', '5005')}",
            rasa_workers=int(env.get("RASA_WORKERS", "1")),
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
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

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
            REDIS_PORT=str(url.port or 6379),
            REDIS_PASSWORD=url.password or "",
            REDIS_TRACKER_DB=(url.path or "/0").lstrip("/") or "0",
            ACTION_ENDPOINT_URL=f"{self.action_url}/webhook",
            RASA_URL=self.rasa_url,
            TRACKER_RECORD_EXPIRY_SECONDS=str(self.tracker_expiry_seconds),
            ASSISTANT_ALLOW_CLOCK_OVERRIDE="1" if self.allow_clock_override else "0",
            CHAT_ALLOWED_ORIGINS=self.allowed_origins,
            RASA_PUBLIC_URL=self.rasa_public_url,
            PYTHONPATH=os.pathsep.join(dict.fromkeys([str(self.project_dir), str(ROOT)])),
            TQDM_DISABLE="1",
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            SANIC_WORKERS=str(self.rasa_workers),  # read by Rasa only (the SDK has its own)
        )
        return env


class Stack:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.run_dir = self.settings.state_dir / "run"
        self.log_dir = self.settings.state_dir / "log"

    # -- one service ---------------------------------------------------------------------------
    def command(self, service: str) -> list[str]:
        s = self.settings
        if service == "redis":
            # Settings, password included, in a 0600 file: nothing secret on the command line.
            make_private(s.state_dir)
            conf = local_redis.write_config(s.state_dir / "redis", s.redis_port,
                                            s.secrets()["LOCAL_REDIS_PASSWORD"])
            return ["redis-server", str(conf)]
        if service == "actions":
            # Loopback only, and every call must carry ACTION_SERVER_TOKEN (action_server.py).
            make_private(s.state_dir)
            return [str(VENV_BIN / "python"), "-m", "rasa_extensions.action_server",
                    "--actions", "actions", "--port", str(s.action_port)]
        if service == "rasa":
            return [
                str(VENV_BIN / "rasa"), "run", "--model", str(s.model),
                "--port", str(s.rasa_port), "--interface", "127.0.0.1",
                "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                "--cors", *s.allowed_origins.split(","),
            ]
        if service == "web":
            return [str(VENV_BIN / "python"), "-m", "rasa_project.web", "--port", str(s.web_port)]
        raise ValueError(f"unknown service {service!r}")

    def wanted(self) -> tuple[str, ...]:
        services = [name for name in SERVICES if self._available(name)]
        return tuple(name for name in services if name != "redis" or not self.settings.redis_url)

    def _available(self, service: str) -> bool:
        return service != "web" or self.settings.with_web

    def port(self, service: str) -> int:
        s = self.settings
        return {"redis": s.redis_port, "actions": s.action_port, "rasa": s.rasa_port,
                "web": s.web_port}[service]

    def pid_file(self, service: str) -> Path:
        return self.run_dir / f"{service}.pid"

    def pid(self, service: str) -> int | None:
        try:
            pid = int(self.pid_file(service).read_text())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return pid

    def start(self, service: str) -> None:
        if self.pid(service):
            return
        if _port_in_use(self.port(service)):
            raise RuntimeError(
                f"cannot start {service}: port {self.port(service)} is already in use "
                "(another stack? `make down`, or set the *_PORT variables)")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{service}.log", "ab")
        process = subprocess.Popen(
            self.command(service), cwd=self.settings.project_dir, env=self.settings.child_env(),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid_file(service).write_text(str(process.pid))
        self.wait_ready(service, process)

    def stop(self, service: str, timeout: float = 20.0) -> None:
        pid = self.pid(service)
        if pid is None:
            self.pid_file(service).unlink(missing_ok=True)
            return
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            _signal_group(pid, signal.SIGKILL)
        self.pid_file(service).unlink(missing_ok=True)

    def restart(self, service: str) -> None:
        self.stop(service)
        self.start(service)

    def ready(self, service: str) -> bool:
        s = self.settings
        if service == "redis":
            return _redis_ping("127.0.0.1", s.redis_port)
        url = {"actions": f"{s.action_url}/health", "rasa": f"{s.rasa_url}/",
               "web": f"{s.web_url}/health"}[service]
        return _http_ok(url)

    def wait_ready(self, service: str, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{service} exited with code {process.returncode} while starting; "
                    f"see {self.log_dir / (service + '.log')}:\n{self.tail(service)}"
                )
            if self.ready(service):
                return
            time.sleep(0.25)
        raise RuntimeError(f"{service} was not ready after {START_TIMEOUT_SECONDS:.0f} s; "
                           f"see {self.log_dir / (service + '.log')}")

    def tail(self, service: str, lines: int = 30) -> str:
        try:
            text = (self.log_dir / f"{service}.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- the whole stack -------------------------------------------------------------------------
    def up(self) -> None:
        if not self.settings.model.exists():
            raise RuntimeError(f"no trained model at {self.settings.model}: run `make train`")
        started: list[str] = []
        try:
            for service in self.wanted():
                self.start(service)
                started.append(service)
        except BaseException:
            for service in reversed(started):
                self.stop(service)
            raise

    def down(self) -> None:
        for service in reversed(SERVICES):
            self.stop(service)

    def status(self) -> dict[str, bool]:
        return {service: bool(self.pid(service)) and self.ready(service) for service in self.wanted()}


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except OSError:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def _port_in_use(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _redis_ping(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            # A Redis that asks for its password is up too.
            return conn.recv(16).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def main(argv: list[str]) -> int:
    stack = Stack()
    action = argv[0] if argv else "run"
    if action == "up":
        stack.up()
        _print_where(stack.settings)
    elif action == "down":
        stack.down()
    elif action == "status":
        for service, ok in stack.status().items():
            print(f"{service:8} {'up' if ok else 'down'}")
        return 0 if all(stack.status().values()) else 1
    elif action == "restart" and len(argv) == 2:
        stack.restart(argv[1])
    elif action == "run":
        # Ctrl-C and `kill` both stop everything, even where the shell started us with SIGINT
        # ignored (a background job).
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        stack.up()
        _print_where(stack.settings)
        print("Press Ctrl-C to stop.", flush=True)
        try:
            while all(stack.status().values()):
                time.sleep(2)
            print("a service stopped; shutting down", file=sys.stderr)
            return_code = 1
        except KeyboardInterrupt:
            return_code = 0
        finally:
            stack.down()
            print("stopped.")
        return return_code
    else:
        print("usage: python -m ops.stack [run|up|down|status|restart SERVICE]",
              file=sys.stderr)
        return 2
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _print_where(s: Settings) -> None:
    print(f"Redis          {without_password(s.effective_redis_url)}")
    print(f"Action server  {s.action_url}")
    print(f"Rasa           {s.rasa_url}  (REST: {s.rasa_url}/webhooks/rest/webhook, socket.io)")
    print(f"Chat here      {s.web_url}/" if (ROOT / 'rasa_project' / 'web').exists() else
          f"Chat with: curl -s {s.rasa_url}/webhooks/rest/webhook "
          "-d '{\"sender\":\"me\",\"message\":\"hi\"}'", flush=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
