"""The careful twin of vulnerable/tools.py: no finding expected."""

import os
import subprocess

import httpx
import torch
import yaml
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini")
SLACK_TOKEN = os.environ["SLACK_TOKEN"]
PASSWORD_PLACEHOLDER = "changeme"
TOKENIZER_NAME = "cl100k_base_encoding"
MAX_TOKENS_FIELD = "max_completion_tokens"
API_KEY = "OPENAI_API_KEY_NAME"  # the name of the variable holding the key
settings = {"api_key_env": "OPENAI_API_KEY", "password": "your-password-here"}


def planner(task: str) -> str:
    plan = llm.invoke(task)
    return str(plan.content)


def disk_usage() -> str:
    return subprocess.run("df -h", shell=True, capture_output=True, text=True, check=False).stdout


def constant() -> int:
    return eval("1 + 1")


def report(db, customer_id: str) -> list:
    return db.execute("SELECT * FROM orders WHERE customer = ?", (customer_id,))


def load_config(handle) -> object:
    return yaml.load(handle, Loader=yaml.SafeLoader)


def load_model(path: str) -> object:
    return torch.load(path, weights_only=True)


def internal_client() -> httpx.Client:
    return httpx.Client(verify="/etc/ssl/internal-ca.pem")
