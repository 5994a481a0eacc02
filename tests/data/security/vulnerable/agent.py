"""A deliberately vulnerable LLM tool-calling agent (test fixture for security-scan).

Each dangerous line carries `# expect: RULE` with the semgrep rule ids it must trigger (at its
end, or on a comment line of its own just above it).
"""

import os
import pickle
import sqlite3
import subprocess

import requests
import yaml
from openai import OpenAI

OPENAI_API_KEY = "sk-proj-Qw3rTy7UiOp9AsDfGhJkLzXcVbNm1234"  # expect: hardcoded-secret
client = OpenAI()


def ask(question: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}]
    )
    return response.choices[0].message.content or ""


def run_tool(question: str) -> object:
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=[])
    code = answer.choices[0].message.content
    return eval(code)  # expect: llm-output-to-dangerous-sink, dynamic-eval-exec


def list_files(folder: str) -> bytes:
    command = "ls -l " + folder
    return subprocess.check_output(command, shell=True)  # expect: subprocess-shell-injection


def load_cache(path: str) -> object:
    with open(path, "rb") as handle:
        return pickle.load(handle)  # expect: unsafe-deserialization


def load_settings(text: str) -> object:
    return yaml.load(text)  # expect: unsafe-deserialization


def fetch_docs(url: str) -> str:
    return requests.get(url, verify=False, timeout=5).text  # expect: tls-verification-disabled


def find_customer(name: str) -> list:
    db = sqlite3.connect("customers.db")
    query = f"SELECT * FROM customers WHERE name = '{name}'"
    return db.execute(query).fetchall()  # expect: sql-built-from-strings


def run_script(user_text: str) -> None:
    os.system("echo " + user_text)  # expect: subprocess-shell-injection
