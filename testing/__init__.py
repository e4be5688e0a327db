"""Test tooling that is not the assistant: the reply-level conversation-test runner."""
