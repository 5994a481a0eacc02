"""The injection gate."""
