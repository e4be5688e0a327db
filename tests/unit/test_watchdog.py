"""The watchdog's verdict: several failed checks over at least the minimum time, never one slow
reply; a process still loading gets its grace; a new pid starts afresh."""

from __future__ import annotations

import signal

from ops.watchdog import Watch, Watchdog

CONFIG = {"socket": "/nonexistent.sock", "interval": 5, "timeout": 5, "failures": 4,
          "min_seconds": 15, "start_grace": 180, "checks": {"rasa-1": {}}}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def watchdog(answered_once: bool = True):
    clock, kills = Clock(), []
    dog = Watchdog(CONFIG, kill=lambda pid, sig: kills.append((pid, sig)), clock=clock)
    dog.watches["rasa-1"] = Watch(pid=42, since=clock.now, answered=answered_once)
    return dog, clock, kills


def fail(dog, clock, times: int, every: float) -> None:
    for _ in range(times):
        dog.judge("rasa-1", False)
        clock.now += every


def test_four_failed_checks_over_fifteen_seconds_kill_the_process_group():
    dog, clock, kills = watchdog()
    fail(dog, clock, 3, 5.0)
    assert kills == []
    dog.judge("rasa-1", False)  # the fourth, 15 s after the first
    assert kills == [(42, signal.SIGKILL)]
    assert "rasa-1" not in dog.watches  # the restarted process is watched afresh


def test_quick_failures_are_not_enough_without_the_time():
    dog, clock, kills = watchdog()
    fail(dog, clock, 10, 1.0)  # ten failures within 10 s: a spike, not a hang
    assert kills == []


def test_one_answer_starts_the_count_again():
    dog, clock, kills = watchdog()
    fail(dog, clock, 3, 5.0)
    dog.judge("rasa-1", True)
    fail(dog, clock, 3, 5.0)
    assert kills == []


def test_a_process_still_loading_gets_its_grace():
    dog, clock, kills = watchdog(answered_once=False)
    fail(dog, clock, 20, 5.0)  # 100 s without an answer, inside the 180 s grace
    assert kills == []
    clock.now += 100
    fail(dog, clock, 4, 5.0)
    assert kills == [(42, signal.SIGKILL)]
