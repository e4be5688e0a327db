"""The nginx front door, rendered from ops/nginx.conf.j2 as the stack renders it, in front of small
local HTTP servers standing in for Rasa replicas and the website: per-client limits answered fast
with a JSON busy reply, the body cap, security headers, a dead or hung replica, TLS."""

from __future__ import annotations

import http.server
import json
import os
import socket
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from ops.health import http_ok
from ops.proxy import nginx_command, write_config
from ops.settings import Settings
from ops.stack import Stack
from tests.redis_server import free_ports

TIMEOUT_SECONDS = 2  # PROXY_TIMEOUT_SECONDS for these tests


class Upstream(http.server.ThreadingHTTPServer):
    daemon_threads = True


def upstream(port: int, name: str) -> Upstream:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Frame-Options", "SAMEORIGIN")  # the proxy's DENY must win
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self._send(b"<html>page</html>", "text/html")

        def do_POST(self):
            text = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["message"]
            self._send(json.dumps([{"text": f"{name}: {text}"}]).encode(), "application/json")

        def log_message(self, *args):
            pass

    server = Upstream(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def front_door(tmp_path: Path, **env: str):
    """nginx with the stack's configuration for two Rasa replicas and a website on free ports;
    nothing behind them yet."""
    rasa, web, public = free_ports(2), free_ports(1), free_ports(1)
    state = tmp_path / "state"
    settings = Settings.from_env({
        "STACK_STATE_DIR": str(state), "RASA_PORT": str(rasa), "WEB_PORT": str(web),
        "PUBLIC_PORT": str(public), "RASA_REPLICAS": "2", "RATE_LIMIT_PER_SECOND": "1",
        "RATE_LIMIT_BURST": "3", "MAX_BODY_SIZE": "1k",
        "PROXY_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS), **env})
    settings = Settings(**{**settings.__dict__, "redis_url": "redis://unused:1/0"})
    stack = Stack(settings)
    stack.run_dir.mkdir(parents=True)
    os.chmod(tmp_path, 0o755)  # nginx's workers run as another user when the tests run as root
    write_config(stack)
    process = subprocess.Popen(nginx_command(stack), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if http_ok(f"{settings.public_url}/healthz", 0.5):
                break
            threading.Event().wait(0.05)
        yield stack, [rasa, rasa + 1], web
    finally:
        process.terminate()
        process.wait(timeout=10)


def post(url: str, message: str, timeout: float = 10, source: str = "127.0.0.1"):
    """(status, headers, JSON body) of a REST message, from a given loopback address."""
    body = json.dumps({"sender": "s", "message": message}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    context = ssl._create_unverified_context()
    handler = urllib.request.HTTPSHandler(context=context)
    opener = urllib.request.build_opener(handler, _SourceHandler(source))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


class _SourceHandler(urllib.request.HTTPHandler):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, request):
        import http.client

        return self.do_open(lambda host, **kw: http.client.HTTPConnection(
            host, source_address=(self.source, 0), **kw), request)


def test_replies_pass_through_with_the_proxys_security_headers(tmp_path):
    with front_door(tmp_path) as (stack, (rasa1, _), web):
        servers = [upstream(rasa1, "rasa-1"), upstream(web, "web")]
        status, headers, body = post(stack.settings.public_url, "hello")
        assert (status, body) == (200, [{"text": "rasa-1: hello"}])
        with urllib.request.urlopen(stack.settings.public_url + "/", timeout=10) as page:
            assert page.read() == b"<html>page</html>"
            assert page.headers.get_all("X-Frame-Options") == ["DENY"]
            assert page.headers["X-Content-Type-Options"] == "nosniff"
            assert page.headers["Referrer-Policy"] == "no-referrer"
            assert page.headers["Server"] == "nginx"  # no version
        for server in servers:
            server.shutdown()


def test_a_client_over_its_rate_gets_a_fast_json_busy_reply_and_others_are_served(tmp_path):
    with front_door(tmp_path) as (stack, (rasa1, rasa2), _):
        servers = [upstream(rasa1, "rasa-1"), upstream(rasa2, "rasa-2")]
        replies = [post(stack.settings.public_url, f"m{i}", source="127.0.0.2") for i in range(8)]
        statuses = [status for status, _, _ in replies]
        assert statuses[:4] == [200] * 4  # one at the rate plus a burst of three
        assert 429 in statuses[4:]
        status, headers, body = next(r for r in replies if r[0] == 429)
        assert body == {"error": "too_many_requests", "retry_after": 5}
        assert headers["Retry-After"] == "5"
        assert headers["Content-Type"] == "application/json"
        # Another customer is not held back by the first one's limit.
        assert post(stack.settings.public_url, "hi", source="127.0.0.3")[0] == 200
        for server in servers:
            server.shutdown()


def test_a_body_over_the_cap_is_refused(tmp_path):
    with front_door(tmp_path) as (stack, (rasa1, _), _):
        server = upstream(rasa1, "rasa-1")
        assert post(stack.settings.public_url, "x" * 2000)[::2] == (
            413,
            {"error": "message_too_large"},
        )
        assert post(stack.settings.public_url, "x" * 500)[0] == 200
        server.shutdown()


def test_a_dead_replica_is_skipped(tmp_path):
    with front_door(tmp_path, RATE_LIMIT_PER_SECOND="100", RATE_LIMIT_BURST="100") as (
            stack, (rasa1, rasa2), _):
        server = upstream(rasa2, "rasa-2")  # nothing on rasa-1's port
        replies = [post(stack.settings.public_url, f"m{i}") for i in range(6)]
        assert [(status, body) for status, _, body in replies] == [
            (200, [{"text": f"rasa-2: m{i}"}]) for i in range(6)]
        server.shutdown()


def test_no_replica_alive_gives_the_json_busy_reply(tmp_path):
    with front_door(tmp_path) as (stack, _, _):
        status, headers, body = post(stack.settings.public_url, "hello")
        assert (status, body) == (503, {"error": "busy", "retry_after": 5})
        assert headers["Retry-After"] == "5"


def test_a_hung_replica_costs_at_most_the_proxy_timeout(tmp_path):
    with front_door(tmp_path) as (stack, (rasa1, rasa2), _):
        hung = []
        for port in (rasa1, rasa2):  # listening, never answering (as a SIGSTOPped process)
            sock = socket.socket()
            sock.bind(("127.0.0.1", port))
            sock.listen(16)
            hung.append(sock)
        # The client gives up a little after the documented limit; the proxy must answer first.
        status, _, body = post(stack.settings.public_url, "hello", timeout=TIMEOUT_SECONDS + 3)
        assert (status, body) == (503, {"error": "busy", "retry_after": 5})
        for sock in hung:
            sock.close()


def test_tls_when_certificate_paths_are_given(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    with front_door(tmp_path, TLS_CERT_FILE=str(cert), TLS_KEY_FILE=str(key)) as (
            stack, (rasa1, _), _):
        assert stack.settings.public_url.startswith("https://")
        server = upstream(rasa1, "rasa-1")
        status, headers, body = post(stack.settings.public_url, "hello")
        assert (status, body) == (200, [{"text": "rasa-1: hello"}])
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        server.shutdown()


def test_a_missing_certificate_stops_the_start_with_nginx_s_words(tmp_path):
    with pytest.raises(
        RuntimeError, match="(?s)not valid.*cannot load certificate.*no-such-cert.pem"
    ):
        with front_door(tmp_path, TLS_CERT_FILE=str(tmp_path / "no-such-cert.pem"),
                        TLS_KEY_FILE=str(tmp_path / "no-such-key.pem")):
            pass
