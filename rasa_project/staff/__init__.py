"""The staff console: accounts and sessions, live-agent handoff, conversation review, feedback."""
