"""The stack's secrets: generated once, private, stable; the environment wins; purposes differ."""

from __future__ import annotations

import os
import stat

import pytest

from ops.secrets import SECRETS_FILE, make_private, stack_secrets, without_password
from rasa_project.privacy.keys import MissingSecret, derive, master_secret


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_first_run_writes_a_private_master_secret_and_reuses_it(tmp_path):
    state = tmp_path / "state"
    first = stack_secrets(state, env={})
    assert mode(state) == 0o700 and mode(state / SECRETS_FILE) == 0o600
    assert first["ASSISTANT_SECRET_KEY"] in (state / SECRETS_FILE).read_text()
    assert stack_secrets(state, env={}) == first  # a restart keeps the key: old hashes verify
    assert len({first["ASSISTANT_SECRET_KEY"], first["ACTION_SERVER_TOKEN"],
                first["LOCAL_REDIS_PASSWORD"]}) == 3


def test_the_environment_wins_and_no_file_is_written(tmp_path):
    given = {"ASSISTANT_SECRET_KEY": "k" * 64, "ACTION_SERVER_TOKEN": "t" * 40}
    secrets = stack_secrets(tmp_path, env=given)
    assert (
        secrets["ASSISTANT_SECRET_KEY"] == "k" * 64 and secrets["ACTION_SERVER_TOKEN"] == "t" * 40
    )
    assert secrets["LOCAL_REDIS_PASSWORD"] == derive("k" * 64, "redis-password").hex()
    assert not (tmp_path / SECRETS_FILE).exists()


def test_a_loosened_secrets_file_is_tightened_again(tmp_path):
    stack_secrets(tmp_path, env={})
    os.chmod(tmp_path / SECRETS_FILE, 0o644)
    stack_secrets(tmp_path, env={})
    assert mode(tmp_path / SECRETS_FILE) == 0o600


def test_make_private_tightens_what_is_there(tmp_path):
    (tmp_path / "log").mkdir(mode=0o755)
    (tmp_path / "log" / "rasa.log").write_text("x")
    os.chmod(tmp_path / "log" / "rasa.log", 0o644)
    previous = os.umask(0o022)
    try:
        make_private(tmp_path)
        assert mode(tmp_path / "log") == 0o700 and mode(tmp_path / "log" / "rasa.log") == 0o600
    finally:
        os.umask(previous)


def test_a_missing_or_short_master_secret_is_refused():
    with pytest.raises(MissingSecret):
        master_secret({})
    with pytest.raises(MissingSecret):
        master_secret({"ASSISTANT_SECRET_KEY": "short"})


def test_printed_redis_urls_hide_the_password():
    assert without_password("redis://:s3cret@127.0.0.1:6389/0") == "redis://:***@127.0.0.1:6389/0"
    assert without_password("redis://127.0.0.1:6389/0") == "redis://127.0.0.1:6389/0"


def test_the_staff_tools_find_the_local_redis_with_its_password(tmp_path, monkeypatch):
    from ops.staff_tools import stack_redis_url as default_redis_url

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("STACK_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("LOCAL_REDIS_PORT", "6399")
    password = stack_secrets(tmp_path)["LOCAL_REDIS_PASSWORD"]
    assert default_redis_url() == f"redis://:{password}@127.0.0.1:6399/0"
    monkeypatch.setenv("REDIS_URL", "redis://:other@redis.internal:6379/2")
    assert default_redis_url() == "redis://:other@redis.internal:6379/2"
