"""Privacy: keys derived from the assistant's secret, identity hashing; what counts as personal
data, how stored conversations and logs are cleaned of it, and how a client address is kept (a
keyed hash only)."""
