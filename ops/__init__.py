"""How the assistant runs: process settings, secrets, files on disk."""
