"""The spaCy pipeline the assistant's NLU runs on, built in code (no pretrained model here)."""
