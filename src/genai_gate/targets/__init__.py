"""The agent under test, behind one interface: openai, http, python and mock targets."""
