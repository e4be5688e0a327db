"""Service Requests: the store (Redis), routing, identity checks and email eligibility."""
