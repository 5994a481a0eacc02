"""More dangerous patterns of LLM tool code, each line labelled with the rule it must trigger."""

import subprocess

import httpx
import torch
import yaml
from anthropic import Anthropic
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini")
claude = Anthropic()
SLACK_TOKEN = "xoxb-1234567890-abcdefghijklmnop"  # expect: hardcoded-secret


def planner(task: str) -> None:
    plan = llm.invoke(task)
    exec(plan.content)  # expect: llm-output-to-dangerous-sink, dynamic-eval-exec


def shell_agent(task: str) -> None:
    reply = claude.messages.create(model="claude", max_tokens=256, messages=[])
    command = reply.content[0].text
    # expect: llm-output-to-dangerous-sink, subprocess-shell-injection
    subprocess.run(command, shell=True, check=False)


def report(db, customer_id: str) -> list:
    # expect: sql-built-from-strings
    return db.execute("SELECT * FROM orders WHERE customer = %s" % customer_id)  # noqa: UP031


def report_by_name(db, name: str) -> list:
    # expect: sql-built-from-strings
    return db.execute("SELECT * FROM orders WHERE name = '{}'".format(name))  # noqa: UP032


def load_config(handle) -> object:
    return yaml.load(handle, Loader=yaml.Loader)  # expect: unsafe-deserialization


def load_model(path: str) -> object:
    return torch.load(path)  # expect: unsafe-deserialization


def internal_client() -> httpx.Client:
    return httpx.Client(verify=False)  # expect: tls-verification-disabled
