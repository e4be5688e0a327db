import logging
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[2] / "models" / "current.tar.gz"


@pytest.fixture(scope="session")
def agent():
    """The trained assistant, loaded once, without an action server or Redis."""
    if not MODEL.exists():
        pytest.fail("no trained model: `make test-unit` trains it (or run `make model`)")
    from rasa.core.agent import Agent

    logging.disable(logging.WARNING)
    try:
        yield Agent.load(str(MODEL))
    finally:
        logging.disable(logging.NOTSET)
