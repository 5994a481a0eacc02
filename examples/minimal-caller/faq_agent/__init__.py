"""A tiny FAQ agent: one system prompt, one model call per question."""
