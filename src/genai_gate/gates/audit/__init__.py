"""The audit gate."""
