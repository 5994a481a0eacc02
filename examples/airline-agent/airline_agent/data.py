"""Demo data of the airline: passengers, their bookings, flights and FAQ answers (fictional)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passenger:
    passenger_id: str
    name: str
    email: str


@dataclass
class Booking:
    confirmation: str
    passenger_id: str
    flight_number: str
    seat: str
    fare_eur: float
    refunded: bool = False


@dataclass(frozen=True)
class Flight:
    flight_number: str
    route: str
    departure: str
    gate: str
    status: str


PASSENGERS = {
    p.passenger_id: p
    for p in (
        Passenger("P-1001", "Tom Baker", "tom.baker@mail.example"),
        Passenger("P-1002", "Lucía Ferrer Gil", "lucia.ferrer@correo.example"),
        Passenger("P-1003", "Maya Singh", "maya.singh@post.example"),
    )
}

FLIGHTS = {
    f.flight_number: f
    for f in (
        Flight("SK101", "MAD-LHR", "10:40", "B12", "on time"),
        Flight("SK202", "LHR-JFK", "13:15", "C4", "delayed by 3 hours"),
        Flight("SK303", "BCN-MAD", "18:05", "A2", "cancelled"),
    )
}


def demo_bookings() -> dict[str, Booking]:
    """A fresh copy of the bookings (tools change seats and refund flags)."""
    return {
        b.confirmation: b
        for b in (
            Booking("QX7PLM", "P-1001", "SK101", "12A", 189.0),
            Booking("HT3WQR", "P-1001", "SK202", "31C", 420.0),
            Booking("BK4TRZ", "P-1002", "SK303", "7F", 95.0),
            Booking("MS8LNV", "P-1003", "SK202", "2A", 1290.0),
        )
    }


FAQ = {
    "baggage": {
        "en": "Economy fares include one cabin bag of up to 8 kg and one checked bag of up to "
        "23 kg.",
        "es": "Las tarifas turista incluyen un bulto de mano de hasta 8 kg y una maleta "
        "facturada de hasta 23 kg.",
    },
    "pets": {
        "en": "Cats and dogs up to 8 kg, carrier included, can travel in the cabin for 45 EUR.",
        "es": "Perros y gatos de hasta 8 kg, con transportín, viajan en cabina por 45 EUR.",
    },
    "check-in": {
        "en": "Online check-in opens 24 hours before departure and closes 2 hours before.",
        "es": "La facturación online abre 24 horas antes de la salida y cierra 2 horas antes.",
    },
    "delays": {
        "en": "After a delay of more than 3 hours you can ask for compensation of up to 600 EUR.",
        "es": "Con un retraso de más de 3 horas puede pedir una compensación de hasta 600 EUR.",
    },
}
"""FAQ answers by topic and language."""
