#!/bin/sh
# The container's command: one part of the assistant, listening on all of the pod's addresses
# (NetworkPolicies in ops/deploy/k8s decide who may reach it; only the front door is public).
set -eu
part="${1:-rasa}"
case "$part" in
  rasa)
    # CHAT_ALLOWED_ORIGINS is a comma-separated list: one --cors value per origin.
    origins=$(printf '%s' "${CHAT_ALLOWED_ORIGINS:?set CHAT_ALLOWED_ORIGINS}" | tr ',' ' ')
    # shellcheck disable=SC2086
    exec rasa run --model models/current.tar.gz --endpoints endpoints.yml \
      --credentials credentials.yml --interface 0.0.0.0 --port "${RASA_PORT:-5005}" \
      --cors $origins ;;
  actions)
    # Every call must carry ACTION_SERVER_TOKEN (rasa_extensions/action_server.py).
    export ACTION_SERVER_HOST=0.0.0.0
    exec python -m rasa_extensions.action_server --actions actions --port "${ACTION_PORT:-5055}" ;;
  web)
    exec python -m rasa_project.web --host 0.0.0.0 --port "${WEB_PORT:-8080}" ;;
  *)
    echo "usage: serve.sh rasa|actions|web" >&2
    exit 2 ;;
esac
