"""Privacy: keys derived from the assistant's secret, identity hashing."""
