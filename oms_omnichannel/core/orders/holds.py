"""Hold rules: which automatic holds should stand on an order, and what to place and release."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg, join
from oms_omnichannel.core.order_status import OrderAction, OrderStatus, as_status, statuses_allowing
from oms_omnichannel.core.orders.money import ZERO, Number, fmt_qty, money, to_decimal
from oms_omnichannel.core.payment import UNPAID_PAYMENT_STATUSES, PaymentStatus, as_payment_status
from oms_omnichannel.core.text_enum import TextEnum

# Automatic holds gate what has not left yet: holdable and still cancellable (nothing shipped).
AUTO_HOLDABLE_STATUSES = statuses_allowing(OrderAction.HOLD) & statuses_allowing(OrderAction.CANCEL)


class HoldType(TextEnum):
	PAYMENT = "Payment"
	FRAUD_REVIEW = "Fraud Review"
	ADDRESS_CHECK = "Address Check"
	STOCK = "Stock"
	MANUAL = "Manual"


@dataclass(frozen=True)
class OrderFacts:
	"""What the hold rules look at, gathered by the Frappe side as of `as_of` (its clock, not ours)."""

	name: str
	as_of: datetime
	status: OrderStatus = OrderStatus.PENDING
	submitted_at: datetime | None = None
	payment_status: PaymentStatus = PaymentStatus.UNPAID
	pay_on_delivery: bool = False
	previous_orders: int = 0  # the customer's earlier orders, not counting this one
	delivery_method: str = ""  # the delivery type (Standard, Express, Self Pickup, ...)
	delivery_method_name: str = ""  # the Delivery Method record
	channel: str = ""
	shipping_country: str = ""
	billing_country: str = ""
	grand_total: Decimal = ZERO
	address_missing: tuple[str, ...] = ()  # address fields that are blank or failed validation
	short_items: tuple[str, ...] = ()  # items that cannot be sourced and may not be backordered

	def __post_init__(self) -> None:
		object.__setattr__(self, "status", as_status(self.status))
		object.__setattr__(self, "payment_status", as_payment_status(self.payment_status))
		object.__setattr__(self, "grand_total", money(self.grand_total, "grand_total"))


@dataclass(frozen=True)
class HoldSettings:
	"""The OMS Settings that drive the rules; None or False switches a rule off."""

	payment_hold_after_minutes: float | None = 60
	express_delivery_methods: frozenset[str] = frozenset({"Express"})
	review_first_express_abroad: bool = True
	review_orders_above: Decimal | None = None
	check_addresses: bool = True
	hold_when_out_of_stock: bool = True


@dataclass(frozen=True)
class Hold:
	"""A hold that should stand: its type, the rule that placed it ("" for a manual one), and why."""

	hold_type: HoldType | str  # a HoldType, or a type an administrator added
	rule: str = ""
	template: str = ""
	args: tuple[object, ...] = ()

	@property
	def reason(self) -> Msg:
		return Msg(self.template, *self.args)


Reason = Msg


@dataclass(frozen=True)
class HoldRule:
	"""`check` returns a message explaining why the hold stands, or None."""

	name: str
	hold_type: HoldType | str
	check: Callable[[OrderFacts, HoldSettings], Reason | None]


def _unpaid_too_long(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	limit = settings.payment_hold_after_minutes
	if (
		not limit
		or facts.pay_on_delivery
		or facts.payment_status not in UNPAID_PAYMENT_STATUSES
		or not facts.submitted_at
	):
		return None
	minutes = (facts.as_of - facts.submitted_at).total_seconds() / 60
	if minutes <= limit:
		return None
	return Msg(
		"Order {0} is still {1} {2} minutes after it was placed (limit {3})",
		facts.name,
		Msg(facts.payment_status.value),
		int(minutes),
		fmt_qty(to_decimal(limit)),
	)


def _first_express_order_abroad(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	shipping, billing = facts.shipping_country.strip().casefold(), facts.billing_country.strip().casefold()
	if (
		settings.review_first_express_abroad
		and facts.previous_orders == 0
		and facts.delivery_method in settings.express_delivery_methods
		and shipping
		and billing
		and shipping != billing
	):
		return Msg(
			"Order {0} is the customer's first, by {1}, shipping to {2} but billed in {3}",
			facts.name,
			Msg(facts.delivery_method),
			facts.shipping_country,
			facts.billing_country,
		)
	return None


def _large_order(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	limit = settings.review_orders_above
	if limit is None or facts.grand_total <= money(limit):
		return None
	return Msg(
		"Order {0} totals {1}, above the review limit of {2}", facts.name, facts.grand_total, money(limit)
	)


def _address_incomplete(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	if not settings.check_addresses or not facts.address_missing:
		return None
	return Msg("Order {0}: the shipping address needs {1}", facts.name, join(facts.address_missing))


def _out_of_stock(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	if not settings.hold_when_out_of_stock or not facts.short_items:
		return None
	return Msg("Order {0}: no stock to source {1}", facts.name, join(facts.short_items))


# Add a rule by appending here: a name (recorded on the hold), its type and a check.
HOLD_RULES: tuple[HoldRule, ...] = (
	HoldRule("unpaid_too_long", HoldType.PAYMENT, _unpaid_too_long),
	HoldRule("first_express_order_abroad", HoldType.FRAUD_REVIEW, _first_express_order_abroad),
	HoldRule("large_order", HoldType.FRAUD_REVIEW, _large_order),
	HoldRule("address_incomplete", HoldType.ADDRESS_CHECK, _address_incomplete),
	HoldRule("out_of_stock", HoldType.STOCK, _out_of_stock),
)


@dataclass(frozen=True)
class ConditionRule:
	"""A hold rule an administrator writes without code (OMS Hold Rule): the hold stands when every
	condition it sets holds; a condition left empty does not count."""

	name: str
	hold_type: str
	channel: str = ""
	shipping_country: str = ""
	delivery_method: str = ""
	min_order_value: Number | None = None
	first_order_only: bool = False

	def __post_init__(self) -> None:
		if not self.hold_type:
			raise ValidationFailed(
				"Hold rule {0}: choose the hold type it places", self.name, field="hold_type"
			)
		if not self.conditions():
			raise ValidationFailed(
				"Hold rule {0}: set at least one condition (channel, shipping country, delivery method, "
				"order value or first order), or it would hold every order",
				self.name,
				field="sales_channel",
			)
		if self.min_order_value is not None and money(self.min_order_value, "min_order_value") < 0:
			raise ValidationFailed(
				"Hold rule {0}: Minimum Order Value cannot be negative", self.name, field="min_order_value"
			)

	def conditions(self) -> list[Msg]:
		"""The conditions set, as the reason names them."""
		named = []
		if self.channel:
			named.append(Msg("channel {0}", self.channel))
		if self.shipping_country:
			named.append(Msg("shipping to {0}", self.shipping_country))
		if self.delivery_method:
			named.append(Msg("by {0}", self.delivery_method))
		if self.min_order_value is not None:
			named.append(Msg("worth {0} or more", money(self.min_order_value)))
		if self.first_order_only:
			named.append(Msg("the customer's first order"))
		return named

	def check(self, facts: OrderFacts, settings: HoldSettings) -> Reason | None:
		same = str.casefold
		if self.channel and same(self.channel) != same(facts.channel):
			return None
		if self.shipping_country and same(self.shipping_country.strip()) != same(
			facts.shipping_country.strip()
		):
			return None
		if self.delivery_method and same(self.delivery_method) != same(facts.delivery_method_name):
			return None
		if self.min_order_value is not None and facts.grand_total < money(self.min_order_value):
			return None
		if self.first_order_only and facts.previous_orders:
			return None
		return Msg("Order {0} meets hold rule {1}: {2}", facts.name, self.name, join(self.conditions()))

	def as_hold_rule(self) -> HoldRule:
		return HoldRule(self.name, as_hold_type(self.hold_type), self.check)


def as_hold_type(value: str) -> HoldType | str:
	"""A HoldType when the app knows it, else the administrator's own type as text (so that holds
	compare and hash alike whichever side built them)."""
	return HoldType(value) if value in HoldType._value2member_map_ else value


def automatic_holds(
	order_facts: OrderFacts,
	settings: HoldSettings | None = None,
	rules: Sequence[HoldRule] = HOLD_RULES,
) -> list[Hold]:
	"""The automatic holds that should stand on an order now, one per rule that fires.

	Orders past shipping, cancelled or merged are never held.
	"""
	if order_facts.status not in AUTO_HOLDABLE_STATUSES:
		return []
	settings = settings or HoldSettings()
	holds = []
	for rule in rules:
		found = rule.check(order_facts, settings)
		if found is not None:
			holds.append(Hold(rule.hold_type, rule.name, found.template, found.args))
	return holds


@dataclass(frozen=True)
class HoldChanges:
	place: tuple[Hold, ...]
	release: tuple[Hold, ...]
	remaining: tuple[Hold, ...]

	@property
	def on_hold(self) -> bool:
		"""Whether the order should be On Hold once the changes are applied."""
		return bool(self.remaining)


def reconcile_holds(current: Iterable[Hold], standing: Iterable[Hold]) -> HoldChanges:
	"""Which holds to place and release so the order carries exactly the standing automatic holds.

	Holds are matched by (type, rule). Manual holds (no rule) are never released automatically.
	"""
	current, standing = list(current), list(standing)
	current_keys = {(hold.hold_type, hold.rule) for hold in current}
	standing_keys = {(hold.hold_type, hold.rule) for hold in standing}
	place = tuple(hold for hold in standing if (hold.hold_type, hold.rule) not in current_keys)
	release = tuple(
		hold for hold in current if hold.rule and (hold.hold_type, hold.rule) not in standing_keys
	)
	remaining = tuple(hold for hold in current if hold not in release) + place
	return HoldChanges(place=place, release=release, remaining=remaining)
