"""The foreground run command starts every service under supervisord, serves the page through the
front door, and Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from ops.settings import ROOT, Settings
from ops.stack import Stack

# Below the ephemeral range (32768-60999), so no outgoing connection can hold them by chance.
PORTS = {"LOCAL_REDIS_PORT": "24389", "ACTION_PORT": "24055", "RASA_PORT": "24005",
         "WEB_PORT": "24080", "PUBLIC_PORT": "24081", "RASA_REPLICAS": "1", "ACTION_REPLICAS": "1"}


def test_run_answers_and_ctrl_c_stops_everything(tmp_path):
    env = {**os.environ, **PORTS, "STACK_STATE_DIR": str(tmp_path / "state")}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "ops.stack", "run"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            output.append(line)
            if "Press Ctrl-C" in line or process.poll() is not None:
                break
        assert "Press Ctrl-C to stop.\n" in output, "".join(output)
        assert any("Chat here      http://127.0.0.1:24081/" in line for line in output)
        with urllib.request.urlopen("http://127.0.0.1:24081/", timeout=10) as page:
            assert b"Virtual Assistant" in page.read()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    stack = Stack(Settings.from_env(env))
    for secret in stack.settings.secrets().values():  # the Redis password, the token, the key
        assert secret not in "".join(output)
    assert stack.status() == {"redis": False, "actions-1": False, "rasa-1": False, "web": False,
                              "proxy": False}
    assert not stack.supervisor.running()
