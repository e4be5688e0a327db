#!/usr/bin/env bash
# Installs the Debian packages the stack needs when they are missing: `redis` for the Redis
# server, `nginx` for the front door, `browser` for the browser tests (Chromium and its driver).
# Needs root or sudo.
set -euo pipefail
need=()
for what in "$@"; do
  case "$what" in
    redis) command -v redis-server >/dev/null 2>&1 || need+=(redis-server) ;;
    nginx) [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx) ;;
    browser) [ -x /usr/bin/chromium ] || need+=(chromium chromium-driver) ;;
    *) echo "unknown system package group: $what" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: need root to install ${need[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing ${need[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The stack runs its own nginx as the current user (ops/proxy.py); Debian's package also starts a
# system-wide one on port 80 where systemd runs. Leave nothing listening that we did not ask for.
if [[ " ${need[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null 2>&1 \
    && systemctl is-active --quiet nginx 2>/dev/null; then
  echo "disabling Debian's system-wide nginx service (the stack starts its own)"
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi
