"""The agent's tools: OpenAI tool schemas and their execution against the in-memory bank.

Every tool is scoped to the authenticated customer of the session: accounts of other customers
are refused by the tool itself, whatever the model asked for.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from bank_agent.bank import AS_OF, Account, Bank

DAILY_TRANSFER_LIMIT = Decimal("10000")
"""Largest amount one online transfer may move (see bank_agent/kb/transfer-limits.md)."""

_ACCOUNT_ID = {"type": "string", "pattern": r"^ACC-\d{4}-\d{2}$", "description": "e.g. ACC-1001-01"}

TOOL_SCHEMAS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "get_account_balance",
            "description": "Current balance of one of the authenticated customer's accounts.",
            "parameters": {
                "type": "object",
                "properties": {"account_id": _ACCOUNT_ID},
                "required": ["account_id"],
                "additionalProperties": False,
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_transaction_history",
            "description": "Latest transactions of one of the customer's accounts, newest first.",
            "parameters": {
                "type": "object",
                "properties": {
                    "account_id": _ACCOUNT_ID,
                    "limit": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5},
                },
                "required": ["account_id"],
                "additionalProperties": False,
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "transfer_funds",
            "description": (
                "Transfer money from one of the customer's accounts. Only call it after the "
                "customer explicitly confirmed amount, source and destination; set confirmed=true."
            ),
            "parameters": {
                "type": "object",
                "properties": {
                    "from_account": _ACCOUNT_ID,
                    "to_account": _ACCOUNT_ID,
                    "amount": {"type": "string", "description": 'Decimal amount, e.g. "50.00"'},
                    "currency": {"type": "string", "enum": ["EUR"], "default": "EUR"},
                    "confirmed": {
                        "type": "boolean",
                        "description": "True only when the customer explicitly confirmed.",
                    },
                },
                "required": ["from_account", "to_account", "amount", "confirmed"],
                "additionalProperties": False,
            },
        },
    },
]

TOOL_NAMES = frozenset(t["function"]["name"] for t in TOOL_SCHEMAS)


def money(value: Decimal) -> str:
    """Amount as a plain two-decimal string (`1250.40`, `-45.20`)."""
    return f"{value:.2f}"


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return value is True


class Toolbox:
    """Runs tool calls for one authenticated customer against one bank."""

    def __init__(self, bank: Bank, customer_id: str | None) -> None:
        self.bank = bank
        self.customer_id = customer_id

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """Execute a tool; failures are returned as `{"error": ...}` for the model to explain."""
        if name not in TOOL_NAMES:
            return {"error": f"unknown tool {name!r}"}
        try:
            return getattr(self, name)(**arguments)
        except TypeError as exc:
            return {"error": f"invalid arguments for {name}: {exc}"}

    def _own_account(self, account_id: Any) -> Account | dict[str, Any]:
        if self.bank.customer(self.customer_id) is None:
            return {"error": "no authenticated customer in this session"}
        account = self.bank.accounts.get(str(account_id))
        if account is None or account.owner != self.customer_id:
            return {"error": f"account {account_id} does not belong to the authenticated customer"}
        return account

    def get_account_balance(self, account_id: str) -> dict[str, Any]:
        """Balance of one own account."""
        account = self._own_account(account_id)
        if isinstance(account, dict):
            return account
        return {
            "account_id": account.account_id,
            "type": account.kind,
            "balance": money(account.balance),
            "currency": account.currency,
            "as_of": AS_OF,
        }

    def get_transaction_history(self, account_id: str, limit: int = 5) -> dict[str, Any]:
        """Latest transactions of one own account."""
        account = self._own_account(account_id)
        if isinstance(account, dict):
            return account
        try:
            count = max(1, min(20, int(limit)))
        except (TypeError, ValueError):
            return {"error": f"limit must be an integer, got {limit!r}"}
        rows = account.transactions[:count]
        return {
            "account_id": account.account_id,
            "currency": account.currency,
            "count": len(rows),
            "transactions": [
                {"date": t.date, "description": t.description, "amount": money(t.amount)}
                for t in rows
            ],
            "summary": "; ".join(
                f"{t.date} {t.description} {t.amount:+.2f} {account.currency}" for t in rows
            ),
        }

    def transfer_funds(
        self,
        from_account: str,
        to_account: str,
        amount: Any,
        confirmed: Any = False,
        currency: str = "EUR",
    ) -> dict[str, Any]:
        """Transfer from an own account, only when confirmed, within funds and limits."""
        source = self._own_account(from_account)
        if isinstance(source, dict):
            return {"status": "rejected", **source}
        rejected = self._check_transfer(source, str(to_account), amount, currency)
        if rejected:
            return {"status": "rejected", "error": rejected}
        value = Decimal(str(amount).replace(",", ""))
        details = {
            "from_account": source.account_id,
            "to_account": str(to_account),
            "amount": money(value),
            "currency": currency,
        }
        if not _truthy(confirmed):
            return {
                "status": "confirmation_required",
                "error": "the customer has not explicitly confirmed this transfer",
                **details,
            }
        reference = self.bank.transfer(source, str(to_account), value)
        return {
            "status": "completed",
            "reference": reference,
            **details,
            "new_balance": money(source.balance),
        }

    def _check_transfer(self, source: Account, to_account: str, amount: Any, currency: str) -> str:
        if currency != source.currency:
            return f"only {source.currency} transfers are supported"
        if not re.fullmatch(r"ACC-\d{4}-\d{2}", to_account):
            return f"invalid destination account {to_account!r}"
        if to_account not in self.bank.accounts:
            return f"unknown destination account {to_account}"
        if to_account == source.account_id:
            return "source and destination accounts are the same"
        try:
            value = Decimal(str(amount).replace(",", ""))
        except InvalidOperation:
            return f"invalid amount {amount!r}"
        if not value.is_finite() or value <= 0:
            return "the amount must be positive"
        if value > DAILY_TRANSFER_LIMIT:
            return f"the amount exceeds the online transfer limit of {money(DAILY_TRANSFER_LIMIT)}"
        if value > source.balance:
            return f"insufficient funds in {source.account_id}"
        return ""
