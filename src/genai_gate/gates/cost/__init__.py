"""The cost gate."""
