#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11): PYTHON310 if set,
# then python3.10 on PATH, then the newest 3.10 that pyenv has installed.
set -euo pipefail
if [ -n "${PYTHON310:-}" ]; then echo "$PYTHON310"; exit 0; fi
# A pyenv shim answers `command -v` even when 3.10 is not the active version, so run it.
if python3.10 -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
  python3.10 -c 'import sys; print(sys.executable)'; exit 0
fi
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
found=$(ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$found" ]; then echo "$found"; exit 0; fi
echo "error: no Python 3.10 found; install one (pyenv install 3.10) or set PYTHON310" >&2
exit 1
