"""Factories for tier-2 tests: small, valid master records with unique names."""

from __future__ import annotations

import random

import frappe
from frappe.tests.utils import FrappeTestCase

from oms_omnichannel.setup.install import SETTINGS, shipped_settings, stored_settings


class OMSTestCase(FrappeTestCase):
	"""The base of every tier-2 test class: tier 2 must pass on any site, so each class starts from
	the OMS Settings the app ships (whatever the site's administrator chose) plus its own
	`SETTINGS`, and the site's stored values are put back exactly when the class is done.

	Tests that need another value change it themselves (`frappe.tests.utils.change_settings`).
	"""

	SETTINGS: dict = {}

	@classmethod
	def setUpClass(cls):
		# Registered first, so it runs last: after FrappeTestCase has rolled the class back. If the
		# class committed (HTTP and multi-process tests must), the baseline reached the database
		# and is replaced by the site's own values here.
		cls.addClassCleanup(restore_settings, stored_settings())
		super().setUpClass()
		use_settings({**test_settings_baseline(), **cls.SETTINGS})


def test_settings_baseline() -> dict:
	"""The shipped settings, but the site keeps its currency (a Link to a record it has)."""
	baseline = shipped_settings()
	baseline.pop("default_currency", None)
	return baseline


def use_settings(values: dict) -> None:
	"""Write OMS Settings values directly, as an administrator's save would leave them."""
	frappe.db.set_single_value(SETTINGS, values)


def restore_settings(stored: dict) -> None:
	"""Put the stored OMS Settings back as they were, committing only if they differ now."""
	if stored_settings() == stored:
		return
	frappe.db.delete("Singles", {"doctype": SETTINGS})
	for field, value in stored.items():
		frappe.db.sql(
			"insert into tabSingles (doctype, field, value) values (%s, %s, %s)", (SETTINGS, field, value)
		)
	frappe.db.commit()
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def make_user(email: str, roles: tuple[str, ...] = ()) -> str:
	"""A website-less test user with exactly these roles (created once, roles reset each call)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.set("roles", [])
	user.add_roles(*roles)  # saves
	if not roles:
		user.save(ignore_permissions=True)
	return email


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8).upper()}"


def make_location(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Stock Location",
			"location_name": values.pop("location_name", None) or unique("LOC"),
			"location_type": "Warehouse",
			"latitude": 52.52,
			"longitude": 13.40,
			"can_ship": 1,
			"priority": 10,
			**values,
		}
	)
	return doc.insert()


def make_category(name: str = "Test Category"):
	if not frappe.db.exists("OMS Item Category", name):
		frappe.get_doc({"doctype": "OMS Item Category", "category_name": name}).insert()
	return name


def make_item(**values):
	doc = frappe.get_doc(
		{
			"doctype": "OMS Item",
			"sku": values.pop("sku", None) or unique("SKU"),
			"item_name": values.pop("item_name", None) or "Test Item",
			"standard_price": 10,
			"weight_kg": 0.5,
			**values,
		}
	)
	return doc.insert()


def make_carrier(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Carrier",
			"carrier_name": values.pop("carrier_name", None) or unique("CARRIER"),
			"tracking_url_template": "https://track.example/{tracking_number}",
			**values,
		}
	)
	return doc.insert()


def make_delivery_method(**values):
	delivery_type = values.pop("delivery_type", "Standard")
	carrier = values.pop("carrier", None)
	if carrier is None and delivery_type != "Self Pickup":
		carrier = make_carrier().name
	doc = frappe.get_doc(
		{
			"doctype": "Delivery Method",
			"method_name": values.pop("method_name", None) or unique("METHOD"),
			"delivery_type": delivery_type,
			"carrier": carrier,
			"transit_days": 2,
			"base_cost": 4.9,
			"cost_per_kg": 0.5,
			**values,
		}
	)
	return doc.insert()


def make_channel(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Channel",
			"channel_name": values.pop("channel_name", None) or unique("CHANNEL"),
			"channel_type": values.pop("channel_type", "Online Store"),
			"currency": values.pop("currency", "USD"),
			**values,
		}
	)
	return doc.insert()


def make_customer(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Customer Profile",
			"full_name": values.pop("full_name", "Test Customer"),
			"email": values.pop("email", None) or f"{unique('c').lower()}@example.com",
			**values,
		}
	)
	return doc.insert()


def make_stock_entry(entry_type: str, items: list[dict], submit: bool = True, **values):
	doc = frappe.get_doc({"doctype": "OMS Stock Entry", "entry_type": entry_type, "items": items, **values})
	doc.insert()
	if submit:
		doc.submit()
	return doc


def receive(item: str, location: str, qty: float, status: str = "Available"):
	return make_stock_entry(
		"Receipt", [{"item": item, "qty": qty, "valuation_rate": 5}], to_location=location, to_status=status
	)


def balance(item: str, location: str, status: str = "Available") -> frappe._dict:
	return frappe.db.get_value(
		"OMS Stock Balance",
		{"item": item, "location": location, "stock_status": status},
		["actual_qty", "reserved_qty", "available_qty", "name"],
		as_dict=True,
	) or frappe._dict(actual_qty=0, reserved_qty=0, available_qty=0, name=None)


def assert_stock_integrity(test_case, item: str | None = None) -> None:
	"""Invariant 1 of DESIGN.md: balances equal the ledger and the open reservations."""
	from oms_omnichannel.inventory.integrity import find_drift

	test_case.assertEqual(find_drift(item), [])


def make_voucher() -> tuple[str, str]:
	"""A document to hang reservations on in inventory tests (orders do this in real use)."""
	doc = frappe.get_doc({"doctype": "ToDo", "description": "reservation test voucher"}).insert()
	return doc.doctype, doc.name


def make_order(channel: str, lines: list[dict], submit: bool = True, **values):
	doc = frappe.get_doc(
		{
			"doctype": "OMS Order",
			"sales_channel": channel,
			"payment_status": "Paid",
			"shipping_name": "Test Customer",
			"shipping_address_line1": "Teststraße 1",
			"shipping_city": "Berlin",
			"shipping_postcode": "10115",
			"items": lines,
			**values,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
		doc.reload()
	return doc


class OrderFixture:
	"""A channel shipping from two locations with stock of two items: the common order setup."""

	def __init__(self, stock: float = 10):
		self.north = make_location().name
		self.south = make_location().name
		self.item = make_item(standard_price=9.99).name
		self.other_item = make_item(standard_price=5).name
		for location in (self.north, self.south):
			receive(self.item, location, stock)
			receive(self.other_item, location, stock)
		self.channel = make_channel(
			fulfilment_locations=[
				{"location": self.north, "priority": 1},
				{"location": self.south, "priority": 2},
			]
		).name
		self.customer = make_customer().name

	def order(self, qty=2, other_qty=0, submit=True, **values):
		lines = [{"item": self.item, "qty": qty, "rate": 9.99}]
		if other_qty:
			lines.append({"item": self.other_item, "qty": other_qty, "rate": 5, "discount_amount": 0.5})
		return make_order(self.channel, lines, submit=submit, customer=self.customer, **values)


class refused:
	"""`with refused(self, frappe.ValidationError, "Cannot cancel ORD-1: it is already Shipped"):`

	Like assertRaisesRegex, but matches the message as the user reads it (HTML such as the
	<strong> of frappe.bold removed)."""

	def __init__(self, test_case, exc_type, pattern: str):
		self.test_case, self.exc_type, self.pattern = test_case, exc_type, pattern

	def __enter__(self):
		return self

	def __exit__(self, exc_type, exc, tb):
		import re

		from frappe.utils import strip_html

		if exc is None:
			self.test_case.fail(f"{self.exc_type.__name__} not raised (expected {self.pattern!r})")
		if not issubclass(exc_type, self.exc_type):
			return False
		message = strip_html(str(exc))
		if not re.search(self.pattern, message):
			self.test_case.fail(f"{self.pattern!r} does not match {message!r}")
		return True


def submit_shipment(order: str, location: str):
	"""A submitted shipment of what the order has reserved at the location, as the desk makes it."""
	from oms_omnichannel.api.v1.shipments import make_shipment

	shipment = frappe.get_doc(make_shipment(order, location)).insert()
	shipment.submit()
	return shipment


def assert_order_invariants(test_case, order_name: str) -> None:
	"""Invariant 4 of DESIGN.md: a line's reserved + shipped never exceeds its ordered quantity,
	and the line's reserved quantity equals its open reservations."""
	from oms_omnichannel.inventory.reservations import reserved_qty_by_line

	order = frappe.get_doc("OMS Order", order_name)
	reserved = reserved_qty_by_line("OMS Order", order.name)
	for row in order.items:
		test_case.assertLessEqual(
			row.reserved_qty + row.shipped_qty, row.qty + 1e-9, f"{order.name} row {row.idx}"
		)
		test_case.assertAlmostEqual(
			row.reserved_qty, reserved.get(row.name, 0), msg=f"{order.name} row {row.idx}"
		)


def setup_three_channels(test) -> None:
	"""A web shop, a marketplace and a store (reading national phones as German) that ship from one
	new location, and one new item: the three ways one person meets the retailer. Sets
	`location`, `item`, `web`, `marketplace` and `store` on the test."""
	test.location = make_location().name
	test.item = make_item(standard_price=10).name
	ships_from = [{"location": test.location}]
	test.web = make_channel(fulfilment_locations=ships_from).name
	test.marketplace = make_channel(channel_type="Marketplace", fulfilment_locations=ships_from).name
	test.store = make_channel(default_phone_region="de", fulfilment_locations=ships_from).name


def berlin_number() -> tuple[str, str]:
	"""A fresh Berlin number, national and in E.164."""
	digits = str(random.randint(2000000, 9999999))
	return f"030 {digits}", f"+4930{digits}"
