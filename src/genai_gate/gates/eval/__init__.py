"""The eval gate."""
