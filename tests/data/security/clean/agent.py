"""A careful LLM agent (test fixture for security-scan): same features, no finding expected."""

import ast
import json
import os
import sqlite3
import subprocess

import requests
import yaml
from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
ALLOWED_ACTIONS = {"balance", "statement"}


def run_tool(question: str) -> object:
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=[])
    payload = json.loads(answer.choices[0].message.content or "{}")
    action = payload.get("action")
    return action if action in ALLOWED_ACTIONS else None


def parse_number(text: str) -> object:
    return ast.literal_eval(text)


def list_files(folder: str) -> bytes:
    return subprocess.check_output(["ls", "-l", "--", folder])


def load_settings(text: str) -> object:
    return yaml.safe_load(text)


def fetch_docs(url: str) -> str:
    return requests.get(url, timeout=5).text


def find_customer(name: str) -> list:
    db = sqlite3.connect("customers.db")
    return db.execute("SELECT * FROM customers WHERE name = ?", (name,)).fetchall()
