"""The canary gate."""
