"""Example airline customer-service agent (Skyline Air), genai-gate's second example agent."""
