"""Automatic hold rules and their reconciliation (`core/orders/holds.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg
from oms_omnichannel.core.orders.holds import (
	HOLD_RULES,
	ConditionRule,
	Hold,
	HoldRule,
	HoldSettings,
	HoldType,
	OrderFacts,
	automatic_holds,
	reconcile_holds,
)
from tests.unit.order_builders import D, refused

NOW = datetime(2025, 3, 1, 12, 0)


def facts(**kwargs) -> OrderFacts:
	base = {
		"name": "ORD-0042",
		"as_of": NOW,
		"submitted_at": NOW - timedelta(minutes=10),
		"payment_status": "Paid",
		"previous_orders": 3,
		"delivery_method": "Standard",
		"shipping_country": "DE",
		"billing_country": "DE",
		"grand_total": 50,
	}
	base.update(kwargs)
	return OrderFacts(**base)


def rules_fired(order_facts, hold_settings=None):
	return [(h.hold_type, h.rule) for h in automatic_holds(order_facts, hold_settings)]


def test_unknown_payment_status_in_facts_is_refused_by_field():
	with pytest.raises(ValidationFailed) as raised:
		facts(payment_status="Settled")
	refused(raised, "Unknown payment status Settled", field="payment_status")


def test_a_clean_order_gets_no_hold():
	assert automatic_holds(facts()) == []


def test_unpaid_too_long_gets_a_payment_hold():
	late = facts(payment_status="Unpaid", submitted_at=NOW - timedelta(minutes=61))
	(hold,) = automatic_holds(late)
	assert hold.hold_type is HoldType.PAYMENT
	assert hold.reason == "Order ORD-0042 is still Unpaid 61 minutes after it was placed (limit 60)"
	assert rules_fired(facts(payment_status="Unpaid", submitted_at=NOW - timedelta(minutes=60))) == []
	assert rules_fired(late, HoldSettings(payment_hold_after_minutes=90)) == []
	assert rules_fired(late, HoldSettings(payment_hold_after_minutes=None)) == []
	assert rules_fired(facts(payment_status="Unpaid", submitted_at=None)) == []
	cash_on_delivery = facts(
		payment_status="Unpaid", submitted_at=NOW - timedelta(days=1), pay_on_delivery=True
	)
	assert rules_fired(cash_on_delivery) == []
	partly = facts(payment_status="Partially Paid", submitted_at=NOW - timedelta(hours=2))
	assert rules_fired(partly) == [(HoldType.PAYMENT, "unpaid_too_long")]


def test_first_express_order_shipping_abroad_gets_a_fraud_review():
	risky = facts(previous_orders=0, delivery_method="Express", shipping_country="FR", billing_country="DE")
	(hold,) = automatic_holds(risky)
	assert hold.hold_type is HoldType.FRAUD_REVIEW
	assert "ORD-0042" in hold.reason and "FR" in hold.reason and "DE" in hold.reason
	assert rules_fired(facts(previous_orders=1, delivery_method="Express", shipping_country="FR")) == []
	assert rules_fired(facts(previous_orders=0, delivery_method="Standard", shipping_country="FR")) == []
	assert rules_fired(facts(previous_orders=0, delivery_method="Express", shipping_country="de ")) == []
	assert rules_fired(risky, HoldSettings(review_first_express_abroad=False)) == []
	assert rules_fired(
		facts(previous_orders=0, delivery_method="Next Day", shipping_country="FR"),
		HoldSettings(express_delivery_methods=frozenset({"Next Day"})),
	) == [(HoldType.FRAUD_REVIEW, "first_express_order_abroad")]


def test_large_orders_address_and_stock_holds():
	assert rules_fired(facts(grand_total=5000), HoldSettings(review_orders_above=D("1000"))) == [
		(HoldType.FRAUD_REVIEW, "large_order")
	]
	assert rules_fired(facts(grand_total=5000)) == []
	(address,) = automatic_holds(facts(address_missing=("postal_code", "city")))
	assert address.hold_type is HoldType.ADDRESS_CHECK
	assert address.reason == "Order ORD-0042: the shipping address needs postal_code, city"
	assert rules_fired(facts(address_missing=("city",)), HoldSettings(check_addresses=False)) == []
	(stock,) = automatic_holds(facts(short_items=("ITEM-9",)))
	assert stock.hold_type is HoldType.STOCK and "ITEM-9" in stock.reason
	assert rules_fired(facts(short_items=("ITEM-9",)), HoldSettings(hold_when_out_of_stock=False)) == []


def test_several_rules_can_fire_together():
	everything = facts(
		payment_status="Unpaid",
		submitted_at=NOW - timedelta(hours=5),
		previous_orders=0,
		delivery_method="Express",
		shipping_country="US",
		address_missing=("street",),
	)
	assert {t for t, _ in rules_fired(everything)} == {
		HoldType.PAYMENT,
		HoldType.FRAUD_REVIEW,
		HoldType.ADDRESS_CHECK,
	}


@pytest.mark.parametrize(
	"status", ["Shipped", "Partially Shipped", "Completed", "Cancelled", "Merged", "Draft"]
)
def test_orders_outside_pending_processing_hold_are_never_held(status):
	assert automatic_holds(facts(status=status, short_items=("X",))) == []


def test_rule_list_is_data_and_can_be_extended():
	assert all(isinstance(rule, HoldRule) for rule in HOLD_RULES)
	assert len({rule.name for rule in HOLD_RULES}) == len(HOLD_RULES)
	vip = HoldRule(
		"big_first_order",
		HoldType.FRAUD_REVIEW,
		lambda f, s: Msg("Order {0} is large for a first order", f.name) if f.previous_orders == 0 else None,
	)
	holds = automatic_holds(facts(previous_orders=0), rules=[*HOLD_RULES, vip])
	assert [h.reason for h in holds] == ["Order ORD-0042 is large for a first order"]
	assert [h.template for h in holds] == ["Order {0} is large for a first order"]  # translatable


def test_reconcile_places_new_releases_stale_and_keeps_manual_holds():
	manual = Hold(HoldType.MANUAL, template="Customer asked to wait")
	manual_address = Hold(HoldType.ADDRESS_CHECK, template="Agent checking")
	stale_payment = Hold(HoldType.PAYMENT, "unpaid_too_long")
	kept_stock = Hold(HoldType.STOCK, "out_of_stock")
	standing = automatic_holds(facts(short_items=("X",), address_missing=("city",)))
	changes = reconcile_holds([manual, manual_address, stale_payment, kept_stock], standing)
	assert [(h.hold_type, h.rule) for h in changes.place] == [(HoldType.ADDRESS_CHECK, "address_incomplete")]
	assert changes.release == (stale_payment,)
	assert {(h.hold_type, h.rule) for h in changes.remaining} == {
		(HoldType.MANUAL, ""),
		(HoldType.ADDRESS_CHECK, ""),
		(HoldType.STOCK, "out_of_stock"),
		(HoldType.ADDRESS_CHECK, "address_incomplete"),
	}
	assert changes.on_hold


def test_reconcile_lifts_the_hold_when_nothing_stands():
	changes = reconcile_holds([Hold(HoldType.PAYMENT, "unpaid_too_long")], automatic_holds(facts()))
	assert changes.place == () and not changes.on_hold
	assert len(changes.release) == 1


# ---------------------------------------------------------------------------------------
# rules administrators write without code (OMS Hold Rule)

VIP_RULE = ConditionRule(
	"Large first orders from Instagram",
	"Fraud Review",
	channel="Instagram",
	min_order_value=200,
	first_order_only=True,
)


@pytest.mark.parametrize(
	"changes, fires",
	[
		({"channel": "Instagram", "grand_total": 200, "previous_orders": 0}, True),  # exactly the minimum
		({"channel": "instagram", "grand_total": 350, "previous_orders": 0}, True),  # case does not matter
		({"channel": "Instagram", "grand_total": D("199.99"), "previous_orders": 0}, False),
		({"channel": "Web", "grand_total": 500, "previous_orders": 0}, False),
		({"channel": "Instagram", "grand_total": 500, "previous_orders": 1}, False),
	],
)
def test_a_condition_rule_fires_only_when_every_condition_it_sets_holds(changes, fires):
	holds = automatic_holds(facts(**changes), HoldSettings(), [VIP_RULE.as_hold_rule()])
	assert bool(holds) is fires
	if fires:
		(hold,) = holds
		assert (hold.hold_type, hold.rule) == ("Fraud Review", "Large first orders from Instagram")
		assert hold.reason.endswith(
			"meets hold rule Large first orders from Instagram: channel Instagram, worth 200.00 or more, "
			"the customer's first order"
		)


def test_a_condition_rule_may_place_a_hold_type_an_administrator_added():
	rule = ConditionRule(
		"Ships to Norway", "Customs Check", shipping_country="Norway", delivery_method="DHL Express"
	)
	on_it = facts(shipping_country=" norway ", delivery_method_name="DHL Express")
	assert [h.hold_type for h in automatic_holds(on_it, HoldSettings(), [rule.as_hold_rule()])] == [
		"Customs Check"
	]
	by_other_method = facts(shipping_country="Norway", delivery_method_name="Courier")
	assert automatic_holds(by_other_method, HoldSettings(), [rule.as_hold_rule()]) == []


@pytest.mark.parametrize(
	"kwargs, field, fragment",
	[
		({}, "sales_channel", "set at least one condition"),
		({"channel": "Web", "hold_type": ""}, "hold_type", "choose the hold type"),
		({"min_order_value": -1}, "min_order_value", "cannot be negative"),
	],
)
def test_a_condition_rule_without_conditions_or_type_is_refused(kwargs, field, fragment):
	values = {"name": "R", "hold_type": "Manual", **kwargs}
	with pytest.raises(ValidationFailed) as raised:
		ConditionRule(**values)
	refused(raised, fragment, field=field)
