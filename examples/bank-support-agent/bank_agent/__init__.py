"""Example Bank support agent: a small retail-banking assistant used to demonstrate genai-gate.

All customers, accounts and transactions are fictional.
"""
