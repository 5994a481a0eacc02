"""Post-deploy monitoring: alerting rules from genai-gate.yaml, the degradation issue."""
