"""The action server: rasa-sdk's Sanic app, on loopback, answering only Rasa.

`python -m rasa_extensions.action_server --actions actions --port 5055` instead of
`python -m rasa_sdk`, which listens on every interface, answers anyone, allows any CORS origin
and inflates deflate bodies without limit. Here:

- it binds ACTION_SERVER_HOST (default 127.0.0.1);
- every call but `/health` must carry `Authorization: Bearer <ACTION_SERVER_TOKEN>` (Rasa sends it,
  endpoints.yml), compared in constant time; without a token the server does not start;
- a request body is capped at ACTION_SERVER_MAX_BODY_BYTES (Sanic's REQUEST_MAX_SIZE, 413 beyond);
- compressed bodies are refused (415): Rasa sends plain JSON unless COMPRESS_ACTION_SERVER_REQUEST
  is set, and rasa-sdk would inflate a deflate body with no size limit;
- no CORS headers: browsers have no business here.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

logger = logging.getLogger(__name__)

TOKEN_ENV = "ACTION_SERVER_TOKEN"
OPEN_PATHS = ("/health",)
# The largest call is the whole conversation plus the domain: 18-44 kB today; a month-long
# conversation of a few thousand events stays well under this.
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024


def protect(app: Sanic, token: str, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Sanic:
    if not token:
        raise ValueError(f"{TOKEN_ENV} is empty: the action server would answer anyone")
    expected = f"Bearer {token}".encode()
    app.config.REQUEST_MAX_SIZE = max_body_bytes

    @app.middleware("request")
    async def only_rasa(request: Request):
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
            return response.json({"error": "compressed bodies are not accepted"}, status=415)
        return None

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, exception: PayloadTooLarge):
        # rasa-sdk's catch-all handler would make this a 500 and echo the body back.
        return response.json({"error": "request body too large"}, status=413)

    return app


def build_app(actions: str, env=os.environ) -> Sanic:
    app = create_app(actions, cors_origins=None)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return protect(app, env.get(TOKEN_ENV, ""),
                   int(env.get("ACTION_SERVER_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)))


def main(argv: list[str] | None = None) -> int:
    args = create_argument_parser().parse_args(argv)
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file,
                                 args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()
    if not os.environ.get(TOKEN_ENV):
        print(f"{TOKEN_ENV} is not set; refusing to start an action server anyone could call "
              "(`make run` sets it)", file=sys.stderr)
        return 2
    app = build_app(args.actions)
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    logger.info(f"Action server on http://{host}:{args.port} (token required)")
    app.run(host, args.port, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
