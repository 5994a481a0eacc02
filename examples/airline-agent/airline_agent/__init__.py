"""Example airline customer-service agent (Skyline Air), the second agent genai-gate is tested on."""
