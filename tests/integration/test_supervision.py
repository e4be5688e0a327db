"""supervisord and the stack's start: a child that dies is started again while the others keep
serving; a port in use stops the start with a clear error before anything runs; a start that
fails half way stops what it had started."""

from __future__ import annotations

import os
import signal
import socket
import time
import uuid

import pytest

from ops.health import port_in_use
from ops.settings import Settings
from ops.stack import Stack
from testing.conversation_runner import send
from tests.redis_server import free_ports


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_a_dying_child_is_restarted_and_the_others_keep_serving(stack, rasa_url):
    before = {program: stack.pid(program) for program in stack.all_programs()}
    os.kill(before["actions-1"], signal.SIGKILL)
    # Dead, not dying: until the kernel has torn a killed process down, its listening socket
    # still accepts connections (and then resets them). supervisord reaps it only after that.
    wait_for(lambda: stack.pid("actions-1") != before["actions-1"], 30,
             "supervisord did not notice actions-1 died")
    sender = f"dying-{uuid.uuid4().hex[:8]}"
    # The balancer skips the dead action server; the answer comes from the other one.
    reply = send(rasa_url, sender, "what is the fax number", {})
    assert "does not have a general fax number" in reply[0]["text"]
    wait_for(lambda: stack.pid("actions-1") not in (None, before["actions-1"])
             and stack.ready("actions-1"), 60, "actions-1 was not started again")
    after = {program: stack.pid(program) for program in stack.all_programs()}
    assert {p: pid for p, pid in after.items() if p != "actions-1"} == {
        p: pid for p, pid in before.items() if p != "actions-1"}
    log = (stack.log_dir / "supervisord.log").read_text()
    assert "exited: actions-1 (terminated by SIGKILL; not expected)" in log


def small_stack(tmp_path, **env: str) -> Stack:
    redis, rasa, actions, web = free_ports(1), free_ports(1), free_ports(2), free_ports(1)
    settings = Settings.from_env({
        "STACK_STATE_DIR": str(tmp_path / "state"), "LOCAL_REDIS_PORT": str(redis),
        "RASA_PORT": str(rasa), "ACTION_PORT": str(actions), "WEB_PORT": str(web),
        "PUBLIC_PORT": str(free_ports(1)), "RASA_REPLICAS": "1", "ACTION_REPLICAS": "1", **env})
    return Stack(Settings(**{**settings.__dict__, "redis_url": None}))


def test_a_port_in_use_gives_a_clear_error_and_starts_nothing(tmp_path):
    stack = small_stack(tmp_path)
    taken = stack.port("rasa")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", taken))
        squatter.listen(1)
        with pytest.raises(
            RuntimeError, match=f"cannot start rasa-1: port {taken} is already in use"
        ):
            stack.up()
    assert not stack.supervisor.running()
    assert not port_in_use(stack.port("redis"))


def test_a_start_that_fails_half_way_stops_what_it_started(tmp_path, monkeypatch):
    # A contact directory the action server refuses: Redis is up by then, the actions fail.
    broken = tmp_path / "contacts.yml"
    broken.write_text("phone_lines:\n  contact_center: {name: only a name}\n")
    monkeypatch.setenv("CONTACT_DIRECTORY", str(broken))
    stack = small_stack(tmp_path)
    try:
        with pytest.raises(RuntimeError, match="actions-1 exited while starting") as error:
            stack.up()
        assert str(stack.log_file("actions-1")) in str(error.value)
        assert stack.supervisor.running() is False  # rolled back: supervisord and Redis stopped
        assert not port_in_use(stack.port("redis"))
        log = (stack.log_dir / "supervisord.log").read_text()
        assert "spawned: 'redis'" in log and "stopped: redis" in log
    finally:
        stack.down()
