"""The smoke gate."""
