"""The prompt-lint gate."""
