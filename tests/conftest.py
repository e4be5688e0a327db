import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# The keyed hashes (identity answers, lookup keys) need the master secret; the test stack makes
# its own (ops/secrets.py), tests that use the stores in-process get this one.
os.environ.setdefault("ASSISTANT_SECRET_KEY", secrets.token_hex(32))
