"""Starts and stops the assistant: Redis, the action servers, the Rasa replicas, the website and
the nginx front door, all under supervisord, plus a watchdog that restarts a hung service.

`python -m ops.stack run` runs everything in the foreground until Ctrl-C; `up` / `down` / `status`
do the same in the background for tests and benchmarks. This module is the one place that says
what each service runs (`Stack.command`) and with which environment (`Settings.child_env`, in
`ops/settings.py`); the supervisord and nginx configurations are generated from it at every start
(`ops/supervision.py`, `ops/proxy.py`).
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from ops import local_redis
from ops.health import http_ok, port_in_use, redis_ping
from ops.secrets import make_private, without_password
from ops.settings import VENV_BIN, Settings

# Start order; `down` stops them in reverse. The proxy comes last so nothing public answers
# before the services behind it do.
SERVICES = ("redis", "actions", "rasa", "web", "proxy")
REPLICATED = ("actions", "rasa")


class Stack:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.run_dir = self.settings.state_dir / "run"
        self.log_dir = self.settings.state_dir / "log"
        from ops.supervision import Supervisor

        self.supervisor = Supervisor(self)

    # -- one service ---------------------------------------------------------------------------
    def command(self, service: str, replica: int = 1) -> list[str]:
        s = self.settings
        if service == "redis":
            # Settings, password included, in a 0600 file: nothing secret on the command line.
            make_private(s.state_dir)
            conf = local_redis.write_config(s.state_dir / "redis", s.redis_port,
                                            s.secrets()["LOCAL_REDIS_PASSWORD"],
                                            s.redis_appendfsync)
            return ["redis-server", str(conf)]
        if service == "actions":
            # Loopback only, and every call must carry ACTION_SERVER_TOKEN (action_server.py).
            make_private(s.state_dir)
            return [str(VENV_BIN / "python"), "-m", "rasa_extensions.action_server",
                    "--actions", "actions", "--port", str(self.port(service, replica))]
        if service == "rasa":
            return [
                str(VENV_BIN / "rasa"), "run", "--model", str(s.model),
                "--port", str(self.port(service, replica)), "--interface", "127.0.0.1",
                "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                "--cors", *s.allowed_origins.split(","),
            ]
        if service == "web":
            return [str(VENV_BIN / "python"), "-m", "rasa_project.web", "--port", str(s.web_port)]
        if service == "proxy":
            from ops.proxy import nginx_command

            return nginx_command(self)
        raise ValueError(f"unknown service {service!r}")

    def replicas(self, service: str) -> int:
        s = self.settings
        return {"rasa": s.rasa_replicas, "actions": s.action_replicas}.get(service, 1)

    def programs(self, service: str) -> list[str]:
        """supervisord's names for a service's processes: `rasa-1`, `rasa-2`, ...; `redis`."""
        if service in REPLICATED:
            return [f"{service}-{i}" for i in range(1, self.replicas(service) + 1)]
        return [service]

    def wanted(self) -> tuple[str, ...]:
        services = [name for name in SERVICES if self._available(name)]
        return tuple(name for name in services if name != "redis" or not self.settings.redis_url)

    def all_programs(self) -> list[str]:
        return [name for service in self.wanted() for name in self.programs(service)]

    def _available(self, service: str) -> bool:
        return service != "web" or self.settings.with_web

    def port(self, service: str, replica: int = 1) -> int:
        s = self.settings
        return {"redis": s.redis_port, "actions": s.action_port + replica,
                "rasa": s.rasa_port + replica - 1, "web": s.web_port,
                "proxy": s.public_port}[service]

    def ports(self) -> dict[str, int]:
        """Every port the stack listens on, by the program (or balancer) that holds it."""
        ports = {name: self.port(*split(name)) for name in self.all_programs()}
        if "actions" in self.wanted():
            ports["proxy (action servers' balancer)"] = self.settings.action_port
        return ports

    def health_check(self, program: str) -> dict:
        """How the stack and the watchdog tell that a program answers."""
        service, replica = split(program)
        port = self.port(service, replica)
        if service == "redis":
            return {"kind": "redis", "port": port}
        path = {"actions": "/health", "rasa": "/", "web": "/health", "proxy": "/healthz"}[service]
        scheme = "https" if service == "proxy" and self.settings.tls else "http"
        return {"kind": "http", "url": f"{scheme}://127.0.0.1:{port}{path}"}

    def ready(self, program: str, timeout: float = 2.0) -> bool:
        check = self.health_check(program)
        if check["kind"] == "redis":
            return redis_ping("127.0.0.1", check["port"], timeout)
        return http_ok(check["url"], timeout)

    def pid(self, name: str) -> int | None:
        """The pid of a program (`rasa-2`), or of a service's first process (`rasa`)."""
        program = name if name in self.all_programs() else self.programs(name)[0]
        return self.supervisor.pid(program)

    def start(self, name: str) -> None:
        """Starts a service's processes (or one program) and waits until they answer."""
        programs = self._programs_of(name)
        for program in programs:
            self.supervisor.start(program)
        for program in programs:
            self.wait_ready(program)

    def stop(self, name: str) -> None:
        for program in reversed(self._programs_of(name)):
            self.supervisor.stop(program)

    def restart(self, name: str) -> None:
        self.stop(name)
        self.start(name)

    def _programs_of(self, name: str) -> list[str]:
        return [name] if name in self.all_programs() else self.programs(name)

    def wait_ready(self, program: str) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_seconds
        while time.monotonic() < deadline:
            state = self.supervisor.state(program)
            if state in ("EXITED", "BACKOFF", "FATAL"):
                raise RuntimeError(
                    f"{program} exited while starting; see {self.log_file(program)}:\n"
                    f"{self.tail(program)}")
            if state in ("STARTING", "RUNNING") and self.ready(program):
                return
            time.sleep(0.25)
        seconds = self.settings.start_timeout_seconds
        raise RuntimeError(f"{program} was not ready after {seconds:.0f} s; "
                           f"see {self.log_file(program)}")

    def log_file(self, program: str) -> Path:
        return self.log_dir / f"{program}.log"

    def tail(self, program: str, lines: int = 30) -> str:
        try:
            text = self.log_file(program).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- the whole stack -------------------------------------------------------------------------
    def up(self) -> None:
        """Starts supervisord, then each service in order, waiting until it answers; if any fails,
        everything started is stopped again and the error names the service and its log."""
        if not self.settings.model.exists():
            raise RuntimeError(f"no trained model at {self.settings.model}: run `make train`")
        if not self.supervisor.running():
            for name, port in self.ports().items():
                if port_in_use(port):
                    raise RuntimeError(
                        f"cannot start {name}: port {port} is already in use "
                        "(another stack? `make down`, or set the *_PORT variables)")
            self.supervisor.launch()
        try:
            for service in self.wanted():
                self.start(service)
            self.supervisor.start("watchdog")
        except BaseException:
            self.down()
            raise

    def down(self) -> None:
        self.supervisor.shutdown()

    def status(self) -> dict[str, bool]:
        running = self.supervisor.running()
        return {program: running and self.supervisor.state(program) == "RUNNING"
                and self.ready(program) for program in self.all_programs()}


def split(program: str) -> tuple[str, int]:
    """`rasa-2` -> ("rasa", 2); `redis` -> ("redis", 1)."""
    service, _, replica = program.partition("-")
    return service, int(replica or 1)


def main(argv: list[str]) -> int:
    stack = Stack()
    action = argv[0] if argv else "run"
    try:
        return _act(stack, action, argv)
    except RuntimeError as error:  # a clear message (port in use, a service that failed)
        print(f"error: {error}", file=sys.stderr)
        return 1


def _act(stack: Stack, action: str, argv: list[str]) -> int:
    if action == "up":
        stack.up()
        _print_where(stack)
    elif action == "down":
        stack.down()
    elif action == "status":
        status = stack.status()
        for program, ok in status.items():
            print(f"{program:10} {'up' if ok else 'down'}")
        return 0 if all(status.values()) else 1
    elif action == "restart" and len(argv) == 2:
        stack.restart(argv[1])
    elif action == "run":
        # Ctrl-C and `kill` both stop everything, even where the shell started us with SIGINT
        # ignored (a background job).
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            stack.up()
            _print_where(stack)
            print("Press Ctrl-C to stop.", flush=True)
            # supervisord restarts what dies and the watchdog what hangs; only supervisord
            # itself going away ends the run.
            while stack.supervisor.running():
                time.sleep(2)
            print("supervisord stopped; shutting down", file=sys.stderr)
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


def _print_where(stack: Stack) -> None:
    s = stack.settings
    print(f"Redis          {without_password(s.effective_redis_url)}")
    print(f"Action server  {s.action_url} (balancer over {s.action_replicas})")
    print(f"Rasa           {', '.join(s.rasa_replica_urls)}")
    print(f"Logs           {stack.log_dir}")
    print(f"REST           {s.public_url}/webhooks/rest/webhook")
    print(f"Chat here      {s.public_url}/" if s.with_web else
          f"Chat with: curl -s {s.public_url}/webhooks/rest/webhook "
          "-d '{\"sender\":\"me\",\"message\":\"hi\"}'", flush=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
