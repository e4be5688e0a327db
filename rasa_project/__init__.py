"""The USCIS assistant's own logic: plain Python that never imports Rasa."""
