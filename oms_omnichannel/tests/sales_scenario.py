"""A fixed sales scenario for the report tests: a USD and an EUR channel, figures worked out by hand.

Two days ago (day D), on the USD channel, carrier `usd_carrier`, shipped from `north`:
- A: 2 x 10.00 + 5.00 shipping = 25.00; ordered D 10:00, shipped D 16:00 (6 h), delivered
  D+2 10:00 (42 h), promised D+1: late.
- B: 1 x 10.00 - 2.00 discount = 8.00; ordered D 08:00, shipped D 20:00 (12 h), delivered
  D+1 08:00 (12 h), promised D+2: on time; one unit returned.
- C: 3 x 10.00 = 30.00, cancelled.
Forty days ago (the previous period of a 30-day report): P, 1 x 10.00 on the USD channel.
On the EUR channel, day D 09:00: E, 4 x 10.00 = 40.00, not shipped.

USD this period: 3 orders, 1 cancelled, revenue 33.00, AOV 16.50, 50 % returned, 9 h to ship.
EUR this period: 1 order, revenue 40.00. Nothing is ever added across the two."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, getdate, today

from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.tests.utils import (
	make_carrier,
	make_channel,
	make_delivery_method,
	make_item,
	make_location,
	make_order,
	make_user,
	receive,
	submit_shipment,
)

HOSTILE = ("'; drop table x; --", "%", "_", "Ünïcødé ✓ 注文", "\\", '" or 1=1 --')


def ensure_currency(code: str) -> str:
	if not frappe.db.exists("Currency", code):
		frappe.get_doc({"doctype": "Currency", "currency_name": code, "enabled": 1}).insert()
	return code


def at(day, hour: int) -> str:
	return f"{getdate(day)} {hour:02d}:00:00"


class SalesScenario:
	def __init__(self):
		self.day = add_days(today(), -2)
		self.north = make_location().name
		self.item = make_item(standard_price=10).name
		receive(self.item, self.north, 50)
		locations = [{"location": self.north, "priority": 1}]
		self.usd = make_channel(currency=ensure_currency("USD"), fulfilment_locations=locations).name
		self.eur = make_channel(currency=ensure_currency("EUR"), fulfilment_locations=locations).name
		self.channels = [self.usd, self.eur]
		self.usd_carrier = make_carrier().name
		self.method = make_delivery_method(carrier=self.usd_carrier, transit_days=1).name
		self.a = self.order(self.usd, 2, at(self.day, 10), shipping_fee=5)
		self.b = self.order(self.usd, 1, at(self.day, 8), discount=2)
		self.c = self.order(self.usd, 3, at(self.day, 12))
		api.cancel(self.c.name, "test")
		self.p = self.order(self.usd, 1, at(add_days(today(), -40), 12))
		self.e = self.order(self.eur, 4, at(self.day, 9))
		self.shipment_a = self.ship(
			self.a, at(self.day, 16), at(add_days(self.day, 2), 10), add_days(self.day, 1)
		)
		self.shipment_b = self.ship(
			self.b, at(self.day, 20), at(add_days(self.day, 1), 8), add_days(self.day, 2)
		)
		frappe.db.set_value("OMS Order Item", self.b.items[0].name, "returned_qty", 1)

	def order(self, channel, qty, ordered_at, shipping_fee=0, discount=0):
		doc = make_order(
			channel,
			[{"item": self.item, "qty": qty, "rate": 10, "discount_amount": discount}],
			delivery_method=self.method,
			shipping_fee=shipping_fee,
		)
		frappe.db.set_value("OMS Order", doc.name, "order_datetime", ordered_at)
		doc.reload()
		return doc

	def ship(self, order, shipped_at, delivered_at, promised):
		shipment = submit_shipment(order.name, self.north)
		shipment.reload()
		shipment.record_event("Delivered", "handed over")
		for row in shipment.tracking_events:
			moment = delivered_at if row.status == "Delivered" else shipped_at
			frappe.db.set_value("Shipment Tracking Event", row.name, "event_time", moment)
		frappe.db.set_value("OMS Shipment", shipment.name, "promised_date", promised)
		return shipment

	def channel_manager(self, channel: str) -> str:
		"""A Channel Manager limited by a User Permission to `channel`."""
		user = make_user("oms.report.channel.manager@example.com", ("Channel Manager",))
		frappe.db.delete("User Permission", {"user": user})
		frappe.get_doc(
			{"doctype": "User Permission", "user": user, "allow": "Sales Channel", "for_value": channel}
		).insert(ignore_permissions=True)
		frappe.clear_cache(user=user)
		return user


def rows_of(data: list[dict], channels: list[str], field: str = "sales_channel") -> list[dict]:
	return [row for row in data if row.get(field) in channels]
