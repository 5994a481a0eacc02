"""An in-memory bank with fictional customers, accounts and transactions.

Every request gets a fresh copy (`Bank.demo()`), so answers never depend on which requests ran
before (evaluations run cases concurrently and in any order).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

AS_OF = "2026-11-26"
"""Date the demo balances refer to."""


@dataclass
class Transaction:
    """One booked movement on an account (negative amounts are debits)."""

    date: str
    description: str
    amount: Decimal


@dataclass
class Account:
    """A customer account."""

    account_id: str
    owner: str
    """Customer id of the owner."""
    kind: str
    """`current` or `savings`."""
    balance: Decimal
    currency: str = "EUR"
    transactions: list[Transaction] = field(default_factory=list)
    """Newest first."""


@dataclass(frozen=True)
class Customer:
    """A customer of the bank."""

    customer_id: str
    name: str
    language: str
    """Preferred language (`en` or `es`)."""


def _tx(date: str, description: str, amount: str) -> Transaction:
    return Transaction(date, description, Decimal(amount))


_CUSTOMERS = [
    Customer("C-1001", "Ana Example", "en"),
    Customer("C-1002", "Ben Sample", "en"),
    Customer("C-1003", "Carla Prueba", "es"),
    Customer("C-1004", "David Demo", "en"),
    Customer("C-1005", "Elena Ficticia", "es"),
]

_ACCOUNTS = [
    Account(
        "ACC-1001-01",
        "C-1001",
        "current",
        Decimal("1250.40"),
        transactions=[
            _tx("2026-11-25", "Grocery Demo Market", "-54.20"),
            _tx("2026-11-24", "Coffee Fictional Co", "-3.80"),
            _tx("2026-11-20", "Salary Example Corp", "1800.00"),
            _tx("2026-11-18", "Rent Sample Homes", "-750.00"),
            _tx("2026-11-15", "Electricity Test Power", "-61.35"),
            _tx("2026-11-12", "Cinema Imaginary", "-18.00"),
        ],
    ),
    Account(
        "ACC-1001-02",
        "C-1001",
        "savings",
        Decimal("8300.00"),
        transactions=[
            _tx("2026-11-01", "Interest", "10.25"),
            _tx("2026-10-21", "Transfer from ACC-1001-01", "200.00"),
        ],
    ),
    Account(
        "ACC-1002-01",
        "C-1002",
        "current",
        Decimal("310.75"),
        transactions=[
            _tx("2026-11-23", "Bookshop Placeholder", "-22.90"),
            _tx("2026-11-21", "Gym Membership Mock", "-39.00"),
            _tx("2026-11-20", "Salary Demo Industries", "1450.00"),
            _tx("2026-11-19", "Rent Fake Lettings", "-900.00"),
        ],
    ),
    Account(
        "ACC-1002-02",
        "C-1002",
        "savings",
        Decimal("15000.00"),
        transactions=[
            _tx("2026-11-01", "Interest", "18.50"),
        ],
    ),
    Account(
        "ACC-1003-01",
        "C-1003",
        "current",
        Decimal("4020.10"),
        transactions=[
            _tx("2026-11-26", "Farmacia Ejemplo", "-12.60"),
            _tx("2026-11-22", "Nómina Empresa Ficticia", "2300.00"),
            _tx("2026-11-19", "Supermercado Prueba", "-87.45"),
            _tx("2026-11-10", "Seguro Hogar Demo", "-32.00"),
        ],
    ),
    Account(
        "ACC-1004-01",
        "C-1004",
        "current",
        Decimal("-45.20"),
        transactions=[
            _tx("2026-11-24", "Online Store Example", "-129.99"),
            _tx("2026-11-20", "Refund Sample Shop", "25.00"),
            _tx("2026-11-17", "Phone Bill Mockcom", "-29.90"),
        ],
    ),
    Account(
        "ACC-1004-02",
        "C-1004",
        "savings",
        Decimal("600.00"),
        transactions=[
            _tx("2026-11-01", "Interest", "0.75"),
        ],
    ),
    Account(
        "ACC-1005-01",
        "C-1005",
        "current",
        Decimal("72.99"),
        transactions=[
            _tx("2026-11-25", "Gasolinera Ficticia", "-45.00"),
            _tx("2026-11-21", "Pensión Demo", "980.00"),
            _tx("2026-11-16", "Librería Inventada", "-15.50"),
        ],
    ),
    Account(
        "ACC-1005-02",
        "C-1005",
        "savings",
        Decimal("2500.50"),
        transactions=[
            _tx("2026-11-01", "Intereses", "3.10"),
        ],
    ),
]


class Bank:
    """Customers and accounts, with the few operations the tools need."""

    def __init__(self, customers: list[Customer], accounts: list[Account]) -> None:
        self.customers = {c.customer_id: c for c in customers}
        self.accounts = {a.account_id: a for a in accounts}

    @classmethod
    def demo(cls) -> Bank:
        """A fresh copy of the fictional demo bank."""
        return cls(list(_CUSTOMERS), copy.deepcopy(_ACCOUNTS))

    def customer(self, customer_id: str | None) -> Customer | None:
        """The customer with this id, or None."""
        return self.customers.get(customer_id or "")

    def accounts_of(self, customer_id: str) -> list[Account]:
        """Accounts owned by a customer, current account first."""
        owned = [a for a in self.accounts.values() if a.owner == customer_id]
        return sorted(owned, key=lambda a: (a.kind != "current", a.account_id))

    def transfer(self, source: Account, target_id: str, amount: Decimal) -> str:
        """Move money; returns a deterministic reference. Callers check ownership and funds."""
        source.balance -= amount
        source.transactions.insert(0, Transaction(AS_OF, f"Transfer to {target_id}", -amount))
        target = self.accounts.get(target_id)
        if target is not None:
            target.balance += amount
            target.transactions.insert(
                0, Transaction(AS_OF, f"Transfer from {source.account_id}", amount)
            )
        digest = hashlib.sha256(f"{source.account_id}>{target_id}:{amount}".encode()).hexdigest()
        return "TRF-" + digest[:8].upper()
