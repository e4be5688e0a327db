"""python -m rasa_project.web [--port 8081]  (WEB_PORT; the stack puts it behind the front door)"""

from __future__ import annotations

import argparse
import os

from rasa_project import settings
from rasa_project.web.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="The assistant's website")
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("WEB_PORT") or settings.WEB_PORT))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    create_app().run(host=args.host, port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
