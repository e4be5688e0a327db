"""The staff tools against this machine's stack: the stack's Redis (REDIS_URL, or the local Redis
with the password it was given on first run), then the tool itself.

    python -m ops.staff_tools service-requests list --office vermont --status received
    python -m ops.staff_tools accounts add jdoe --role agent

The tools themselves (`rasa_project/service_requests/staff.py`, `rasa_project/staff/accounts.py`)
read REDIS_URL only: they know nothing of how the stack keeps its secrets.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping

from ops.settings import Settings

TOOLS = {
    "service-requests": "rasa_project.service_requests.staff",
    "accounts": "rasa_project.staff.accounts",
}


def stack_redis_url(env: Mapping[str, str] = os.environ) -> str:
    return Settings.from_env(env).effective_redis_url


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TOOLS:
        print(f"usage: python -m ops.staff_tools {{{'|'.join(TOOLS)}}} ...", file=sys.stderr)
        return 2
    os.environ["REDIS_URL"] = stack_redis_url()
    return importlib.import_module(TOOLS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
