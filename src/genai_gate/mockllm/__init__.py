"""OpenAI-compatible mock LLM: a rule script engine and a fast asyncio HTTP server."""
