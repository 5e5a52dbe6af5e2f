"""Demo step: orders from every channel over the last 30 days, some shipped, delivered, held,
cancelled or returned — all through the same services a channel or a user would use.

Regular customers buy on several channels, and each channel knows them as it would: the web and
social shops by email, the marketplace by its own customer id (and email), the stores' tills and
the phone line by a national phone number. Intake resolves them to the one profile each.
"""

from __future__ import annotations

import random

import frappe
import phonenumbers
from frappe.utils import add_to_date, now_datetime

DEMO_ORDERS = 60
REGULARS = 30  # the customers the demo orders come from: enough repeats to cross channels


def create_demo_orders(rng: random.Random) -> None:
	from oms_omnichannel.channels.intake import process_one

	channels = frappe.get_all(
		"Sales Channel", filters={"is_active": 1}, fields=["name", "channel_type", "store_location"]
	)
	from oms_omnichannel.setup.demo import DEMO_EMAIL_DOMAIN

	customers = frappe.get_all(  # the demo's own customers, never a real one of the site
		"Customer Profile",
		filters={"email": ("like", f"%@{DEMO_EMAIL_DOMAIN}")},
		fields=["name", "full_name", "email", "phone"],
		limit=REGULARS,
		order_by="name",
	)
	items = frappe.get_all(
		"OMS Item", filters={"disabled": 0}, fields=["name", "standard_price"], order_by="name"
	)
	if not (channels and customers and items):
		return
	methods = frappe.get_all("Delivery Method", filters={"is_active": 1}, fields=["name", "delivery_type"])
	stores = frappe.get_all("Stock Location", filters={"can_pickup": 1}, pluck="name")
	for index in range(DEMO_ORDERS):
		channel = channels[index % len(channels)]
		channel_order_id = f"DEMO-{index:04d}"
		if frappe.db.exists(
			"OMS Order", {"sales_channel": channel.name, "channel_order_id": channel_order_id}
		):
			continue
		customer = rng.choice(customers)
		method = rng.choice([m for m in methods if m.delivery_type != "Self Pickup"] or methods)
		pickup = None
		if stores and rng.random() < 0.15:
			method = next((m for m in methods if m.delivery_type == "Self Pickup"), method)
			pickup = rng.choice(stores)
		lines = [
			{"sku": item.name, "qty": rng.randint(1, 3), "price": item.standard_price}
			for item in rng.sample(items, rng.randint(1, 3))
		]
		ordered = add_to_date(now_datetime(), days=-rng.randint(0, 29), hours=-rng.randint(0, 12))
		result = process_one(
			channel.name,
			{
				"channel_order_id": channel_order_id,
				"ordered_at": ordered.isoformat(),
				"customer": as_known_to(channel, customer),
				"shipping_address": {"name": customer.full_name, "line1": f"Demo Straße {index + 1}", "city": "Berlin",
					"postcode": rng.choice(["10115", "10178", "10245", "10999", "12043"]), "country": "Germany",
					"latitude": round(52.47 + rng.random() * 0.08, 5), "longitude": round(13.33 + rng.random() * 0.12, 5)},
				"lines": lines,
				"shipping_fee": 0 if pickup else 4.9,
				"payment_status": rng.choice(["Paid", "Paid", "Paid", "Authorised", "Unpaid"]),
				"delivery_method": method.name if method else None,
				"pickup_store": pickup,
			},
			position=index,
		)  # fmt: skip
		if result.get("outcome") == "Created":
			progress(frappe.get_doc("OMS Order", result["order"]), rng)


def as_known_to(channel, customer) -> dict:
	"""The customer as this kind of channel knows them."""
	if channel.channel_type in ("Physical Store", "Phone") and customer.phone:
		number = phonenumbers.parse(customer.phone, None)
		national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
		return {"name": customer.full_name, "phone": national}
	if channel.channel_type == "Marketplace":
		return {
			"name": customer.full_name,
			"email": customer.email,
			"channel_customer_id": f"MP-{customer.name}",
		}
	return {"name": customer.full_name, "email": customer.email}


def cross_channel_summary() -> dict[str, int]:
	"""How the demo orders' customers resolved: profiles with demo orders, and how many of them
	ordered on two channels or more."""
	rows = frappe.db.sql(
		"""SELECT customer, COUNT(DISTINCT sales_channel) AS channels FROM `tabOMS Order`
		WHERE channel_order_id LIKE 'DEMO-%%' AND customer IS NOT NULL GROUP BY customer""",
		as_dict=True,
	)
	return {
		"Demo customers with orders": len(rows),
		"Demo customers on 2+ channels": sum(1 for row in rows if row.channels >= 2),
	}


def progress(order, rng: random.Random) -> None:
	from oms_omnichannel.logistics.shipping import new_shipment
	from oms_omnichannel.orders import actions, holds

	roll = rng.random()
	if order.status == "Processing" and roll < 0.55:
		shipment = new_shipment(order)
		shipment.tracking_number = f"DEMO{rng.randint(10**7, 10**8 - 1)}"
		shipment.insert(ignore_permissions=True)
		shipment.submit()
		if shipment.status == "Ready for Pickup":
			if roll < 0.3:
				shipment.reload()
				shipment.confirm_pickup(shipment.pickup_code)
			return
		if roll < 0.45:
			shipment.reload()
			shipment.record_event("In Transit", "Left the depot", "carrier", 52.45, 13.39)
			if roll < 0.35:
				shipment.record_event("Delivered", "Handed to recipient", "carrier", 52.5, 13.4)
	elif order.status in ("Processing", "Pending") and roll < 0.65:
		holds.place_hold(order, "Manual", "Customer asked to wait")
	elif order.status in ("Processing", "Pending") and roll < 0.72:
		actions.cancel_order(order, "Customer changed their mind")
