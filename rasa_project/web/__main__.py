"""python -m rasa_project.web --port 8080"""

from __future__ import annotations

import argparse

from rasa_project.web.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="The assistant's website")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    create_app().run(host=args.host, port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
