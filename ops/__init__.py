"""How the assistant runs: process settings (`ops/stack.py`), secrets, files on disk, the process
manager's and the proxy's configuration generated from the settings, and the watchdog that
restarts a hung service."""
