"""Committed records for the browser journeys (they run in other processes, over HTTP), and their
removal. `bench --site <site> execute oms_omnichannel.tests.browser.fixtures.prepare --kwargs
'{"path": "..."}'` writes what the journeys need to know (names, codes, passwords) to `path`."""

from __future__ import annotations

import json

import frappe
from frappe.utils import add_days, today
from frappe.utils.password import update_password

from oms_omnichannel.setup.install import stored_settings
from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.sales_scenario import ensure_currency
from oms_omnichannel.tests.utils import (
	make_channel,
	make_customer,
	make_delivery_method,
	make_item,
	make_location,
	make_order,
	make_user,
	receive,
	restore_settings,
	submit_shipment,
	test_settings_baseline,
	use_settings,
)

# One user per desk role and the workspace that is their home.
ROLE_HOMES = {
	"OMS Manager": "OMS",
	"Order Processor": "Orders",
	"Inventory Manager": "Inventory",
	"Logistics Coordinator": "Logistics",
	"Customer Service": "Customers",
	"Channel Manager": "Channels",
	"OMS Analyst": "Analytics",
	"Store Associate": "Logistics",
}
USER = "oms.browser.{}@example.com"
# An Order Processor who reads the desk in Simplified Chinese.
CHINESE_USER = USER.format("chinese")


def user_for(role: str) -> str:
	return USER.format(frappe.scrub(role))


def prepare(path: str) -> None:
	frappe.set_user("Administrator")
	teardown_records()  # what an interrupted run may have left
	settings = stored_settings()
	use_settings(test_settings_baseline())
	warehouse = make_location(location_name=f"LOC-BROWSER-WH-{frappe.generate_hash(length=6).upper()}").name
	store = make_location(
		location_name=f"LOC-BROWSER-STORE-{frappe.generate_hash(length=6).upper()}",
		location_type="Store",
		can_pickup=1,
		latitude=52.53,
		longitude=13.41,
	).name
	nowhere = make_location(location_name=f"LOC-BROWSER-NOWHERE-{frappe.generate_hash(length=6).upper()}")
	frappe.db.set_value("Stock Location", nowhere.name, {"latitude": 0, "longitude": 0})
	tee = make_item(item_name="Browser Tee", standard_price=20).name
	mug = make_item(item_name="Browser Mug", standard_price=8).name
	rare = make_item(item_name="Browser Rare Print", standard_price=50).name
	lamp = make_item(item_name="Browser Lamp", standard_price=30).name
	receive(tee, warehouse, 40)
	receive(tee, store, 5)
	receive(mug, warehouse, 40)  # mugs only in the warehouse, lamps only in the store: to split
	receive(lamp, store, 5)
	receive(rare, warehouse, 1)
	channel = make_channel(
		currency=ensure_currency(frappe.db.get_single_value("OMS Settings", "default_currency") or "EUR"),
		fulfilment_locations=[{"location": warehouse, "priority": 1}, {"location": store, "priority": 2}],
	).name
	standard = make_delivery_method(transit_days=2).name
	pickup = make_delivery_method(delivery_type="Self Pickup").name
	buyer = make_customer(full_name="Browser Buyer").name
	merger = make_customer(full_name="Merge Customer").name
	splitter = make_customer(full_name="Split Customer").name
	shipper = make_customer(full_name="Ship Customer").name
	collector = make_customer(full_name="Pickup Customer").name
	late = make_customer(full_name="Late Customer").name

	def paid(customer, lines, **values):
		return make_order(channel, lines, customer=customer, delivery_method=standard, **values).name

	merge_orders = [paid(merger, [{"item": tee, "qty": 1, "rate": 20}]) for _ in range(2)]
	# One line from the warehouse and one from the store: an order to split by location.
	split_order = paid(splitter, [{"item": mug, "qty": 1, "rate": 8}, {"item": lamp, "qty": 1, "rate": 30}])
	ship_order = paid(shipper, [{"item": mug, "qty": 1, "rate": 8}])
	pickup_order = make_order(
		channel,
		[{"item": tee, "qty": 1, "rate": 20}],
		customer=collector,
		delivery_method=pickup,
		pickup_location=store,
	)
	shipment = submit_shipment(pickup_order.name, store)
	late_order = paid(late, [{"item": tee, "qty": 1, "rate": 20}])
	late_shipment = submit_shipment(late_order, warehouse)
	frappe.db.set_value("OMS Shipment", late_shipment.name, "promised_date", add_days(today(), -3))

	complaint = frappe.get_doc(
		{
			"doctype": "Customer Feedback",
			"feedback_type": "Complaint",
			"complaint_category": "Late Delivery",
			"customer": late,
			"sales_channel": channel,
			"order": late_order,
			"description": "The parcel is three days late.",
		}
	).insert(ignore_permissions=True)
	# A day of deliveries around Berlin Mitte to plan as one route.
	stops = []
	for lat, lon in ((52.53, 13.38), (52.50, 13.45), (52.535, 13.39), (52.495, 13.44)):
		order = make_order(
			channel,
			[{"item": mug, "qty": 1, "rate": 8}],
			customer=late,
			delivery_method=standard,
			shipping_latitude=lat,
			shipping_longitude=lon,
		)
		stop = submit_shipment(order.name, warehouse)
		stops.append({"shipment": stop.name})
	route = frappe.get_doc(
		{
			"doctype": "Delivery Route",
			"location": warehouse,
			"vehicles": 1,
			"vehicle_capacity": 100,
			"stops": stops,
		}
	).insert()

	password = frappe.generate_hash(length=16)
	users = {}
	for role in ROLE_HOMES:
		email = make_user(user_for(role), (role,))
		frappe.db.set_value("User", email, {"send_welcome_email": 0, "language": "en"})
		update_password(email, password)
		users[role] = email
	chinese = make_user(CHINESE_USER, ("Order Processor",))
	frappe.db.set_value("User", chinese, {"send_welcome_email": 0, "language": "zh"})
	update_password(chinese, password)
	frappe.db.delete("User Permission", {"user": ("in", list(users.values()))})
	for role, doctype, value in (
		("Store Associate", "Stock Location", store),
		("Channel Manager", "Sales Channel", channel),
	):
		frappe.get_doc(
			{"doctype": "User Permission", "user": users[role], "allow": doctype, "for_value": value}
		).insert(ignore_permissions=True)

	reports = frappe.get_all(
		"Report", filters={"module": "OMS Omnichannel", "disabled": 0}, pluck="name", order_by="name"
	)
	workspaces = frappe.get_all(
		"Workspace",
		filters={"module": "OMS Omnichannel", "public": 1},
		fields=["name", "title"],
		order_by="sequence_id",
	)
	dashboards = frappe.get_all(
		"Dashboard", filters={"module": "OMS Omnichannel"}, pluck="name", order_by="name"
	)
	data = {
		"password": password,
		"users": users,
		"homes": {role: ROLE_HOMES[role] for role in users},
		"chinese_user": chinese,
		"channel": channel,
		"warehouse": warehouse,
		"store": store,
		"nowhere": nowhere.name,
		"items": {"tee": tee, "mug": mug, "rare": rare, "lamp": lamp},
		"standard": standard,
		"methods": [standard, pickup],
		"customers": {"buyer": buyer, "merger": merger, "splitter": splitter, "shipper": shipper},
		"merge_orders": merge_orders,
		"split_order": split_order,
		"ship_order": ship_order,
		"pickup": {"shipment": shipment.name, "code": shipment.pickup_code, "order": pickup_order.name},
		"late_shipment": late_shipment.name,
		"route": route.name,
		"complaint": complaint.name,
		"reports": reports,
		"workspaces": workspaces,
		"dashboards": dashboards,
		"settings": settings,
	}
	frappe.db.commit()
	with open(path, "w") as handle:
		json.dump(data, handle, indent=1, default=str)


def teardown(path: str | None = None) -> None:
	"""Remove every record of the run; put OMS Settings back as the site had them."""
	frappe.set_user("Administrator")
	settings, methods = None, []
	if path:
		try:
			with open(path) as handle:
				data = json.load(handle)
			settings, methods = data.get("settings"), data.get("methods") or []
		except (OSError, ValueError):
			pass
	teardown_records(methods)
	if settings is not None:
		restore_settings(settings)
	frappe.db.commit()


def teardown_records(methods: list[str] | tuple = ()) -> None:
	users = [user_for(role) for role in ROLE_HOMES] + [CHINESE_USER]
	frappe.db.delete("User Permission", {"user": ("in", users)})
	routes = frappe.get_all("Delivery Route", filters={"location": ("like", "LOC-BROWSER-%")}, pluck="name")
	if routes:
		frappe.db.delete("Delivery Route Stop", {"parent": ("in", routes)})
		frappe.db.delete("Delivery Route", {"name": ("in", routes)})
	purge_committed_test_records()  # the run's channel, locations and items, and all that hangs on them
	for email in users:
		if frappe.db.exists("User", email):
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	frappe.db.delete("Sessions", {"user": ("in", users)})
	# the run's delivery methods and carriers, and any an interrupted run left (test names only)
	methods = set(methods) | set(
		frappe.get_all("Delivery Method", {"name": ("like", "METHOD-%")}, pluck="name")
	)
	unused = [m for m in methods if not frappe.db.exists("OMS Order", {"delivery_method": m})]
	carriers = {frappe.db.get_value("Delivery Method", m, "carrier") for m in unused} - {None, ""}
	for method in unused:
		frappe.delete_doc("Delivery Method", method, force=True, ignore_permissions=True)
	for carrier in carriers:
		if carrier.startswith("CARRIER-") and not frappe.db.exists("Delivery Method", {"carrier": carrier}):
			frappe.delete_doc("Carrier", carrier, force=True, ignore_permissions=True)
	frappe.db.commit()
