"""What the project adds to Rasa 3.6 itself, each named in a Rasa config file or installed with
the channels: the website's channels (credentials.yml, web.py), the Redis tracker and lock stores
on a shared asyncio client (endpoints.yml), the intent classifier and the sentence-only
featurizer (config.yml), and measured speed-ups of Rasa internals installed by rasa_patches.py
(graph_runner.py, prediction_patches.py, action_client.py)."""
