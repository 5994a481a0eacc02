"""Ask the agent one question from the command line.

python -m bank_agent "What is my balance?" --customer C-1001
"""

from __future__ import annotations

import argparse
import json
import sys

from bank_agent.app import DEFAULT_MODEL, respond


def main(argv: list[str] | None = None) -> int:
    """Print the agent's answer (and the tools it called) to one question."""
    parser = argparse.ArgumentParser(prog="python -m bank_agent", description=__doc__)
    parser.add_argument("question", help="the customer's message")
    parser.add_argument("--customer", default="C-1001", help="authenticated customer id")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="model name sent to the LLM")
    parser.add_argument("--json", action="store_true", help="print the full answer as JSON")
    args = parser.parse_args(argv)
    request = {
        "messages": [{"role": "user", "content": args.question}],
        "session": {"customer_id": args.customer} if args.customer else {},
    }
    answer = respond(request, model=args.model)
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        return 0
    for call in answer["tool_calls"]:
        print(f"[tool] {call['name']}({json.dumps(call['arguments'], ensure_ascii=False)})")
    print(answer["content"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
