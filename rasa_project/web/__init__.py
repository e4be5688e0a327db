"""The website customers chat on: a small Sanic app serving the page and its chat widget."""
