"""What the project adds to Rasa 3.6 itself, each named in a Rasa config file: the website's
channels (credentials.yml), the Redis tracker and lock stores (endpoints.yml), the intent
classifier (config.yml) and measured speed-ups of Rasa internals (rasa_patches.py)."""
