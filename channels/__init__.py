"""Rasa input channels for the website: Rasa's REST and socket.io channels with the two things
they lack here, allowed origins enforced on the socket, and a clear reply when nothing answers."""
