"""What the project adds to Rasa 3.6 itself, each named in a Rasa config file: the website's
channels (credentials.yml, web.py), the Redis tracker and lock stores on a shared asyncio client
(endpoints.yml), the intent classifier and the sentence-only featurizer (config.yml). Changes to
Rasa's internals are fenced apart in `patches/` (version- and source-checked, switchable off),
installed by the channels when the Rasa server starts."""
