"""The nginx front door: one public port for the page, REST and socket.io, with per-client rate
limits, a body size cap, security headers, bounded timeouts and TLS when certificate paths are
given; and, on loopback, the balancer Rasa calls the action servers through. The configuration is
rendered from `ops/nginx.conf.j2` and the stack's settings at every start; nginx runs as the
current user with everything it writes under the state folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from rasa_extensions.action_server import DEFAULT_MAX_BODY_BYTES

if TYPE_CHECKING:
    from ops.stack import Stack

TEMPLATE = Path(__file__).with_name("nginx.conf.j2")
# nginx started by root hands its workers to an unprivileged user; Debian's package creates it.
WORKER_USER_WHEN_ROOT = "www-data"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(path, os.X_OK)), None)
    if found is None:
        raise RuntimeError("nginx is not installed: run `make system`")
    return found


def proxy_dir(stack: Stack) -> Path:
    return stack.settings.state_dir / "nginx"


def config_file(stack: Stack) -> Path:
    return proxy_dir(stack) / "nginx.conf"


def render(stack: Stack, worker_user: str | None = None) -> str:
    s = stack.settings
    return jinja2.Template(
        TEMPLATE.read_text(), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    ).render(
        user=worker_user,
        run_dir=stack.run_dir,
        temp_dir=proxy_dir(stack) / "temp",
        rate_per_minute=max(1, round(s.rate_limit_per_second * 60)),
        burst=s.rate_limit_burst,
        conn=s.conn_limit_per_client,
        max_body=s.max_body_size,
        timeout=s.proxy_timeout_seconds,
        retry_after=s.retry_after_seconds,
        bind=s.public_bind,
        port=s.public_port,
        tls=s.tls,
        tls_cert=s.tls_cert_file,
        tls_key=s.tls_key_file,
        rasa_ports=[stack.port("rasa", i) for i in range(1, s.rasa_replicas + 1)],
        action_ports=[stack.port("actions", i) for i in range(1, s.action_replicas + 1)]
        if "actions" in stack.wanted()
        else [],
        action_port=s.action_port,
        web_port=s.web_port if "web" in stack.wanted() else None,
        action_max_body=int(os.environ.get("ACTION_SERVER_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
    )


def write_config(stack: Stack) -> Path:
    """Writes the configuration and checks it with `nginx -t`, so a mistake (a certificate that
    is not there, a bad setting) stops the start with nginx's own words."""
    temp = proxy_dir(stack) / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    worker_user = None
    if os.geteuid() == 0:
        worker_user = WORKER_USER_WHEN_ROOT
        entry = pwd.getpwnam(worker_user)
        for folder in [temp, *temp.iterdir()]:
            os.chown(folder, entry.pw_uid, entry.pw_gid)
    path = config_file(stack)
    path.write_text(render(stack, worker_user))
    done = subprocess.run([*nginx_command(stack), "-t", "-q"], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the proxy configuration {path} is not valid:\n{done.stderr.strip()}")
    return path


def nginx_command(stack: Stack) -> list[str]:
    # `daemon off`: supervisord keeps nginx's master in the foreground and restarts it if it dies.
    return [nginx_binary(), "-p", str(proxy_dir(stack)), "-c", str(config_file(stack)),
            "-e", "stderr", "-g", "daemon off;"]
