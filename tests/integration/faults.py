"""Faults made for real in the test stack."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager


@contextmanager
def frozen(stack, service: str):
    """Every process of a service (all its replicas) stopped with SIGSTOP: it keeps its port and
    takes connections but never answers; continued on leaving. A test that runs long enough meets
    the watchdog, which kills and restarts a process frozen for 15 s: that one is gone already."""
    pids = [stack.pid(program) for program in stack.programs(service)]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield pids
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
