"""Test helpers shared between test modules (import as `from support.X import Y`)."""
