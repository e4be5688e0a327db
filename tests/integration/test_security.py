"""Security settings where a browser meets them: the website's headers on every page it serves,
and the chat origins, which Rasa refuses to start with when they would let any site in."""

from __future__ import annotations

import socket
import subprocess
import urllib.error
import urllib.request

import pytest

from ops.settings import ROOT, VENV_BIN
from rasa_extensions.web import AllowedOriginsError, allowed_origins
from rasa_project.web.app import STATIC, content_security_policy, create_app

REQUIRED_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "X-Frame-Options": "DENY"}


def every_page() -> list[str]:
    """Every route of the web app (so a new page is covered when it is added), every static
    file, and a page that does not exist."""
    app = create_app({"rasa_url": "http://127.0.0.1:5005", "retention_days": 30})
    routes = [("GET" if "GET" in route.methods else sorted(route.methods)[0]) + " /" + route.path
              for route in app.router.routes if "<" not in route.path]
    files = ["GET /static/" + path.relative_to(STATIC).as_posix()
             for path in sorted(STATIC.rglob("*")) if path.is_file()]
    assert len(routes) >= 5 and len(files) >= 3, (routes, files)  # the page in each language
    return routes + files + ["GET /no-such-page"]


@pytest.mark.parametrize("page", every_page())
def test_every_page_carries_the_security_headers(stack, page):
    method, path = page.split(" ", 1)
    request = urllib.request.Request(stack.settings.web_url + path, method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    if path == "/no-such-page":
        assert status == 404
    elif path.startswith("/staff/"):
        # Signed out, most staff routes refuse (test_staff_security.py walks them by role);
        # a refusal carries the same headers.
        assert status in (200, 303, 401, 403)
    else:
        assert status == 200
    csp = headers.get("Content-Security-Policy")
    assert csp == content_security_policy(stack.settings.rasa_public_url)
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for name, value in REQUIRED_HEADERS.items():
        assert headers.get(name) == value, name


@pytest.mark.parametrize("value", ["", " , ", "*", "http://localhost:8080,*",
                                   "https://*.example.com", "localhost:8080"])
def test_origins_that_would_let_any_site_in_are_refused(value):
    with pytest.raises(AllowedOriginsError, match="CHAT_ALLOWED_ORIGINS"):
        allowed_origins({"CHAT_ALLOWED_ORIGINS": value})
    with pytest.raises(AllowedOriginsError):
        allowed_origins({})  # unset is empty


def test_listed_origins_are_kept():
    assert allowed_origins({"CHAT_ALLOWED_ORIGINS": " http://localhost:8080, https://a.gov "}) \
        == ["http://localhost:8080", "https://a.gov"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("value", ["*", ""])
def test_rasa_refuses_to_start_with_any_origin(stack, value):
    """The real `rasa run` with the project's channels and the environment the stack gives it
    (endpoints.yml's variables) stops at start with a clear message."""
    env = {**stack.settings.child_env(), "CHAT_ALLOWED_ORIGINS": value}
    try:
        finished = subprocess.run(
            [str(VENV_BIN / "rasa"), "run", "--model", str(ROOT / "models" / "current.tar.gz"),
             "--port", str(free_port()), "--interface", "127.0.0.1", "--credentials",
             "credentials.yml", "--endpoints", "endpoints.yml"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
    except subprocess.TimeoutExpired:  # killed by subprocess.run
        pytest.fail(f"rasa run started with CHAT_ALLOWED_ORIGINS={value!r}")
    assert finished.returncode != 0
    assert "AllowedOriginsError: CHAT_ALLOWED_ORIGINS" in finished.stdout + finished.stderr
