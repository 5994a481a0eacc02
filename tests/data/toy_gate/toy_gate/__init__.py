"""A toy gate, outside genai-gate, that `tests/test_gate_specs.py` registers with one line."""
