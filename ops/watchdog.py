"""Restarts a service that stops answering: supervisord restarts what dies, not what hangs (a
process stuck on a lock, or stopped with SIGSTOP, still runs). Every `interval` seconds each
running program gets a health check; a program that failed `failures` checks in a row, over at
least `min_seconds`, is killed (its whole process group, with SIGKILL, which also ends a stopped
process), and supervisord starts it again. One slow reply under load is never enough. A program
supervisord gave up on (FATAL: it kept dying while starting) is started again after a pause.

Run by supervisord as the `watchdog` program: `python -m ops.watchdog var/run/watchdog.json`
(written by `ops.supervision` with the settings and each program's check).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from supervisor.xmlrpc import SupervisorTransport

from ops.health import http_ok, redis_ping

log = logging.getLogger("watchdog")
REVIVE_AFTER_SECONDS = 30  # a FATAL program waits this long before the next round of tries


@dataclass
class Watch:
    pid: int
    since: float  # when this pid was first seen
    answered: bool = False  # it has passed a check since it started
    failures: int = 0
    first_failure: float = 0.0


def check(spec: dict, timeout: float) -> bool:
    if spec["kind"] == "redis":
        return redis_ping("127.0.0.1", spec["port"], timeout)
    return http_ok(spec["url"], timeout)


class Watchdog:
    def __init__(self, config: dict, kill=os.killpg, clock=time.monotonic) -> None:
        self.config = config
        self.kill = kill
        self.clock = clock
        self.watches: dict[str, Watch] = {}
        transport = SupervisorTransport(None, None, f"unix://{config['socket']}")
        self.supervisor = xmlrpc.client.ServerProxy("http://127.0.0.1",
                                                    transport=transport).supervisor
        self.pool = ThreadPoolExecutor(max_workers=max(1, len(config["checks"])))

    def round(self) -> None:
        """One round of checks; returns after the slowest one (at most the check timeout)."""
        infos = {info["name"]: info for info in self.supervisor.getAllProcessInfo()}
        running = {}
        for name in self.config["checks"]:
            info = infos.get(name)
            if info is None:
                continue
            if info["statename"] == "FATAL" and time.time() - info["stop"] > REVIVE_AFTER_SECONDS:
                log.warning("%s: supervisord gave up starting it; trying again", name)
                self.supervisor.startProcess(name, False)
            if info["statename"] != "RUNNING":
                self.watches.pop(name, None)
                continue
            watch = self.watches.get(name)
            if watch is None or watch.pid != info["pid"]:
                self.watches[name] = Watch(pid=info["pid"], since=self.clock())
            running[name] = self.pool.submit(check, self.config["checks"][name],
                                             self.config["timeout"])
        for name, future in running.items():
            self.judge(name, future.result())

    def judge(self, name: str, answered: bool) -> None:
        watch, now = self.watches[name], self.clock()
        if answered:
            watch.answered, watch.failures = True, 0
            return
        if not watch.answered and now - watch.since < self.config["start_grace"]:
            return  # still loading (Rasa takes a while to load its model)
        if watch.failures == 0:
            watch.first_failure = now
        watch.failures += 1
        if (watch.failures >= self.config["failures"]
                and now - watch.first_failure >= self.config["min_seconds"]):
            log.warning("%s (pid %d) failed %d health checks in a row over %.0f s; killing it so "
                        "supervisord restarts it", name, watch.pid, watch.failures,
                        now - watch.first_failure)
            try:
                self.kill(watch.pid, signal.SIGKILL)
            except OSError:
                pass
            del self.watches[name]

    def run(self) -> None:
        while True:
            started = self.clock()
            try:
                self.round()
            except (OSError, xmlrpc.client.Fault) as error:
                log.warning("cannot reach supervisord: %s", error)
            time.sleep(max(0.0, self.config["interval"] - (self.clock() - started)))


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with open(argv[0]) as file:
        config = json.load(file)
    log.info("watching %s every %.0f s", ", ".join(config["checks"]), config["interval"])
    Watchdog(config).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
