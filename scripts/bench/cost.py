"""Benchmark: `genai-gate cost-estimate --base-ref` on a registry of 2,000 prompts (goal < 3 s),
and the error of the `approx-chars-4` approximation against cl100k_base on a varied text set.

The registry is generated in a temporary git repository (the same generator as
scripts/bench/prompt_lint.py); the head commit changes 10% of the prompts, half of them doubling
their template; every prompt has a traffic profile entry. Usage: python scripts/bench/cost.py
[--prompts 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prompt_lint import generate, run_once

TEXTS = {
    "en": "What is my current balance? I need it before Friday's rent payment, thanks.",
    "en-long": (
        "You are the virtual assistant of Example Bank. Only act on accounts of the "
        "authenticated customer and always ask for confirmation before a transfer."
    ),
    "es": "¿Cuál es el saldo de mi cuenta corriente? Necesito transferir 1.250,40 € a mi hermana.",
    "es-long": (
        "Eres el asistente virtual de Example Bank. Responde solo con la información del "
        "contexto y pide confirmación explícita antes de cualquier transferencia."
    ),
    "code": "def transfer(src: str, dst: str, amount: Decimal) -> Receipt:\n    return move(src)\n",
    "json": '{"account_id": "ACC-1001-01", "currency": "EUR", "balance": 1250.40}',
    "emoji": "Thanks!! 🙏🏽 My card 💳 was blocked 😡 — can you help? 👨‍👩‍👧",
    "sql": "SELECT * FROM transactions WHERE amount > 1000 ORDER BY date DESC LIMIT 10;",
    "cjk-cyrillic": "漢字とひらがな、カタカナ。Привет, как дела?",
}


def approximation_error() -> None:
    """Print approx-chars-4 vs cl100k_base per text, and the mean absolute error."""
    from genai_gate.registry.tokenizer import APPROX_CHARS_4, get_tokenizer

    real, approx = get_tokenizer("cl100k_base"), get_tokenizer(APPROX_CHARS_4)
    print(f"\n{'text':<14} {'cl100k':>7} {'approx':>7} {'error':>8}")
    errors = []
    for name, text in TEXTS.items():
        exact, guess = real.count(text), approx.count(text)
        errors.append(abs(guess - exact) / exact * 100)
        print(f"{name:<14} {exact:>7} {guess:>7} {(guess - exact) / exact * 100:>+7.1f}%")
    print(f"approx-chars-4 mean absolute error vs cl100k_base: {statistics.mean(errors):.1f}%")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=b", "-c", "user.email=b@e.x", *args],
        check=True,
        capture_output=True,
    )


def build_repo(folder: Path, count: int) -> Path:
    """Generated registry with traffic for every prompt; base tagged; 10% changed at head."""
    config = generate(folder, count)
    traffic = "".join(
        f"    prompt-{i:05d}: {{requests_per_day: {100 + i % 900}, avg_input_tokens: 200, "
        "avg_output_tokens: 80}\n"
        for i in range(count)
    )
    config.write_text(config.read_text() + f"cost:\n  max_increase_pct: 50\n  traffic:\n{traffic}")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "base")
    git(folder, "tag", "base")
    for i in range(0, count, 10):
        path = folder / "prompts" / f"prompt-{i:05d}.yaml"
        text = path.read_text()
        if i % 20 == 0:  # double the template's first line of instructions
            first = text.split("template: |\n", 1)[1].splitlines()[0]
            text = text.replace(first, first + " " + first.strip(), 1)
        else:
            text = text.replace("version: ", "version: 9", 1)
        path.write_text(text)
    git(folder, "commit", "-q", "-am", "head")
    return config


def main() -> None:
    """Time the CLI run (best of --repeat) and print the approximation error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        config = build_repo(Path(tmp), args.prompts)
        timings = [
            run_once(config, "cost-estimate", "--base-ref", "base", "--pr-labels", "")
            for _ in range(args.repeat)
        ]
        wall, used, code = min(timings)
        print(
            f"cost-estimate --base-ref, {args.prompts} prompts (10% changed): "
            f"best wall {wall:.2f} s, cpu {used:.2f} s, exit {code} (goal: under 3 s)"
        )
    approximation_error()


if __name__ == "__main__":
    main()
