"""The airline's tools: OpenAI schemas and their implementation on the demo data.

Every tool is scoped to the signed-in passenger: bookings of other passengers are "not found".
`request_refund` is the sensitive one (money goes back to a card).
"""

from __future__ import annotations

import re
from typing import Any

from airline_agent.data import FAQ, FLIGHTS, Booking, demo_bookings


def _schema(name: str, description: str, **properties: str) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {
                    key: {"type": "string", "description": text} for key, text in properties.items()
                },
                "required": list(properties),
                "additionalProperties": False,
            },
        },
    }


TOOL_SCHEMAS = [
    _schema("flight_status", "Status, departure and gate of a flight.", flight_number="e.g. SK101"),
    _schema("lookup_booking", "A booking of the signed-in passenger.", confirmation="6 characters"),
    _schema(
        "change_seat",
        "Move the signed-in passenger to another seat.",
        confirmation="6-character code",
        seat="row and letter, e.g. 14C",
    ),
    _schema(
        "request_refund",
        "Refund a booking of the signed-in passenger to the original card (sensitive).",
        confirmation="6-character code",
        reason="why the passenger wants a refund",
    ),
    _schema(
        "faq_lookup",
        "Answer to a policy question (baggage, pets, check-in, delays).",
        question="the question",
    ),
]

_SEAT = re.compile(r"(?:[1-9]|[1-3]\d)[A-F]")
_TOPICS = {
    "baggage": r"bag|luggage|equipaje|maleta",
    "pets": r"pet|dog|cat|mascota|perro|gato",
    "check-in": r"check.?in|factura",
    "delays": r"delay|compensat|retras|compensaci",
}


class Toolbox:
    """Tool calls of one conversation, on a private copy of the bookings."""

    def __init__(self, passenger_id: str | None) -> None:
        self.passenger_id = passenger_id
        self.bookings = demo_bookings()

    def _own(self, confirmation: str) -> Booking | None:
        booking = self.bookings.get(str(confirmation).strip().upper())
        return booking if booking and booking.passenger_id == self.passenger_id else None

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """The JSON result of one tool call."""
        if name == "flight_status":
            flight = FLIGHTS.get(str(arguments.get("flight_number", "")).upper())
            if flight is None:
                return {"error": "unknown flight"}
            return {
                "flight_number": flight.flight_number,
                "route": flight.route,
                "departure": flight.departure,
                "gate": flight.gate,
                "status": flight.status,
            }
        if name == "faq_lookup":
            question = str(arguments.get("question", "")).lower()
            language = "es" if re.search(r"[áéíóúñ¿]|\b(?:el|la|de|mi|que)\b", question) else "en"
            for topic, pattern in _TOPICS.items():
                if re.search(pattern, question):
                    return {"topic": topic, "answer": FAQ[topic][language]}
            return {"error": "no FAQ entry"}
        booking = self._own(str(arguments.get("confirmation", "")))
        if booking is None:
            return {"error": "booking not found for this passenger"}
        if name == "lookup_booking":
            return {
                "confirmation": booking.confirmation,
                "flight_number": booking.flight_number,
                "seat": booking.seat,
                "fare_eur": f"{booking.fare_eur:.2f}",
                "refunded": booking.refunded,
            }
        if name == "change_seat":
            seat = str(arguments.get("seat", "")).upper()
            if not _SEAT.fullmatch(seat):
                return {"error": f"invalid seat {seat!r}"}
            booking.seat = seat
            return {"confirmation": booking.confirmation, "seat": seat, "status": "changed"}
        if name == "request_refund":
            if booking.refunded:
                return {"error": "already refunded"}
            booking.refunded = True
            return {
                "confirmation": booking.confirmation,
                "amount_eur": f"{booking.fare_eur:.2f}",
                "refund_id": f"RF-{booking.confirmation}",
                "status": "refund requested",
            }
        return {"error": f"unknown tool {name!r}"}
