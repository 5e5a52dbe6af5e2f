"""What sourcing reads and answers: order lines, the delivery, candidate locations, rules, plans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg, _lt
from oms_omnichannel.core.stock import StockMovement, qty_round
from oms_omnichannel.core.text_enum import TextEnum

EXACT_LIMIT = 12


class DeliveryType(TextEnum):
	STANDARD = "Standard"
	EXPRESS = "Express"
	SELF_PICKUP = "Self Pickup"


class RejectionReason(TextEnum):
	NOT_FOUND = "Not Found"
	DAMAGED = "Damaged"
	TOO_BUSY = "Too Busy"


@dataclass(frozen=True)
class OrderLine:
	line_id: str
	item: str
	qty: float
	category: str | None = None


@dataclass(frozen=True)
class Delivery:
	method_type: str = DeliveryType.STANDARD.value
	latitude: float | None = None
	longitude: float | None = None
	postcode: str | None = None
	region: str | None = None
	order_value: float = 0.0
	channel: str | None = None
	pickup_location: str | None = None


@dataclass(frozen=True)
class CandidateLocation:
	"""A stock location that might ship; `available` is per item, actual minus reserved."""

	name: str
	label: str = ""
	latitude: float | None = None
	longitude: float | None = None
	can_ship: bool = True
	can_pickup: bool = False
	priority: int = 0
	available: Mapping[str, float] = field(default_factory=dict)

	@property
	def title(self) -> str:
		return self.label or self.name


@dataclass(frozen=True)
class SourcingRule:
	"""Conditions left empty (None, "", 0 for the value limits) do not restrict.

	`postcode_prefix` may list several prefixes separated by commas.
	"""

	name: str
	channel: str | None = None
	postcode_prefix: str | None = None
	region: str | None = None
	min_order_value: float | None = None
	max_order_value: float | None = None
	item_category: str | None = None
	allowed_locations: Sequence[str] = ()
	preferred_locations: Sequence[str] = ()
	never_split: bool = False


@dataclass(frozen=True)
class Shipment:
	location: str
	label: str
	lines: dict[str, float]  # line_id -> qty
	distance_km: float | None


@dataclass
class SourcingPlan:
	assignments: dict[str, list[tuple[str, float]]]  # line_id -> [(location, qty)]
	remainder: dict[str, float]  # line_id -> qty no location can fill (0 when filled)
	shipments: list[Shipment]
	explanation: list[Msg]  # translatable: str subclasses that keep template and arguments
	passed_over: dict[str, Msg]  # location -> why it was not used
	search: str  # "exact", "greedy" or "none" (nothing eligible)

	@property
	def fully_sourced(self) -> bool:
		return not any(qty > 0 for qty in self.remainder.values())

	def text(self) -> str:
		return "\n".join([*self.explanation, *self.passed_over.values()])


@dataclass
class Resourcing:
	"""The outcome of a location rejecting lines: new sources, and what the rejection says about stock."""

	plan: SourcingPlan  # sourcing of the rejected quantities only
	assignments: dict[str, list[tuple[str, float]]]  # the whole order after re-sourcing
	needs_person: bool
	movements: list[StockMovement]  # stock adjustment at the rejecting location
	count_requests: list[tuple[str, str]]  # (item, location) to count
	explanation: list[Msg]


def available(location: CandidateLocation, item: str) -> float:
	return max(qty_round(location.available.get(item, 0.0) or 0.0), 0.0)


def delivery_type(delivery: Delivery) -> DeliveryType:
	return DeliveryType.parse(delivery.method_type, _lt("delivery type"), field="delivery_type")
