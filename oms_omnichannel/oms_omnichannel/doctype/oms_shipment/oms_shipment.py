# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import secrets

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, flt, get_datetime, getdate, now_datetime

from oms_omnichannel.core import shipment_status as ship_status
from oms_omnichannel.core.geo import line_geojson, validate_coordinates
from oms_omnichannel.logistics import shipping
from oms_omnichannel.utils import check_arguments, domain_errors, validate_links_exist

SELF_PICKUP = "Self Pickup"


class OMSShipment(Document):
	# ------------------------------------------------------------------ lifecycle

	def validate(self):
		validate_links_exist(self, ["order", "source_location", "delivery_method", "carrier"])
		self.order_doc = frappe.get_doc("OMS Order", self.order)
		self.validate_order()
		self.validate_items()
		self.set_delivery_details()

	def on_submit(self):
		shipping.ship(self.order_doc, self.lines(), self.source_location, (self.doctype, self.name))
		self.tracking_token = secrets.token_urlsafe(24)
		first_status = ship_status.READY_FOR_PICKUP if self.is_pickup else ship_status.CREATED
		if self.is_pickup:
			self.pickup_code = f"{secrets.randbelow(10**6):06d}"
		self.append_event(
			first_status, _("Ready for pickup") if self.is_pickup else _("Shipment created"), "desk"
		)
		self.status = first_status
		self.db_update_all()
		if self.is_pickup:
			self.notify_customer_pickup()

	def before_cancel(self):
		if self.status not in ship_status.NOT_YET_LEFT:
			frappe.throw(
				_("Cannot cancel {0}: it has already left ({1})").format(frappe.bold(self.name), self.status),
				title=_("Already Shipped"),
			)

	def on_cancel(self):
		self.ignore_linked_doctypes = ("OMS Stock Ledger Entry",)
		order = frappe.get_doc("OMS Order", self.order)
		shipping.unship(order, self.lines(), self.source_location, (self.doctype, self.name))

	# ------------------------------------------------------------------ validation

	def validate_order(self):
		shipping.check_can_ship(self.order_doc)

	def validate_items(self):
		if not self.items:
			frappe.throw(_("Add the order lines to ship"), frappe.MandatoryError, title=_("No Items"))
		shipping.check_lines(self.order_doc, self.items)

	def set_delivery_details(self):
		self.delivery_method = self.delivery_method or self.order_doc.delivery_method
		method = (
			frappe.get_cached_doc("Delivery Method", self.delivery_method) if self.delivery_method else None
		)
		if method:
			self.delivery_type = method.delivery_type
			self.carrier = self.carrier or method.carrier
			self.promised_date = add_days(getdate(), method.transit_days or 0)
		if not self.weight_kg:
			self.weight_kg = sum(
				flt(frappe.get_cached_value("OMS Item", row.item, "weight_kg")) * flt(row.qty)
				for row in self.items
			)
		if not self.cost and method:
			self.cost = method.get_cost(self.weight_kg)
		self.set_tracking_url()

	def set_tracking_url(self):
		if self.carrier and self.tracking_number:
			self.tracking_url = frappe.get_cached_doc("Carrier", self.carrier).get_tracking_url(
				self.tracking_number
			)

	@property
	def is_pickup(self) -> bool:
		return self.delivery_type == SELF_PICKUP

	def lines(self) -> dict[str, float]:
		quantities: dict[str, float] = {}
		for row in self.items:
			quantities[row.order_item] = quantities.get(row.order_item, 0) + flt(row.qty)
		return quantities

	# ------------------------------------------------------------------ tracking

	def append_event(
		self, status, description="", source="", latitude=None, longitude=None, event_time=None, event_id=None
	):
		self.append(
			"tracking_events",
			{
				"event_time": event_time or now_datetime(),
				"status": status,
				"description": description,
				"source": source,
				"latitude": latitude,
				"longitude": longitude,
				"event_id": event_id,
			},
		)

	def record_event(
		self,
		status: str,
		description: str = "",
		source: str = "",
		latitude: float | None = None,
		longitude: float | None = None,
		event_time=None,
		event_id: str | None = None,
	) -> bool:
		"""Store a tracking report once; move the status only forward. Returns True when stored."""
		event_time = get_datetime(event_time) if event_time else now_datetime()
		with domain_errors():
			ship_status.as_shipment_status(status)
			validate_coordinates(latitude, longitude)
		if self.docstatus != 1:
			frappe.throw(_("{0} is not submitted").format(self.name), title=_("Not Submitted"))
		if any(
			(event_id and row.event_id == event_id)
			or (not event_id and row.status == status and get_datetime(row.event_time) == event_time)
			for row in self.tracking_events
		):
			return False  # the same report twice is stored once
		latest = max((get_datetime(row.event_time) for row in self.tracking_events), default=None)
		moves = ship_status.applies(self.status, status, event_time, latest)
		self.append_event(status, description, source, latitude, longitude, event_time, event_id)
		if latitude is not None and (latest is None or event_time >= latest):
			self.last_latitude, self.last_longitude = latitude, longitude
		self.update_trail()
		self.last_event_at = max(event_time, latest) if latest else event_time
		if moves:
			self.status = status
			if status in ship_status.COMPLETES_ORDER_LINES:
				order = frappe.get_doc("OMS Order", self.order)
				shipping.deliver(order, self.lines(), _("{0}: {1}").format(self.name, _(status)))
		self.flags.ignore_validate_update_after_submit = True
		# ignore-permissions: callers checked first: post_events (tracking role, read on the shipment), update_status and confirm_pickup (write)
		self.save(ignore_permissions=True, ignore_version=False)
		return True

	def update_trail(self):
		points = [
			(row.latitude, row.longitude)
			for row in sorted(self.tracking_events, key=lambda r: get_datetime(r.event_time))
			if row.latitude is not None and row.longitude is not None and (row.latitude or row.longitude)
		]
		self.courier_map = line_geojson(points) if points else None

	@frappe.whitelist(methods=["POST"])
	@check_arguments
	def confirm_pickup(self, code: str) -> None:
		"""The store hands the parcel over: only with the customer's pickup code."""
		self.check_permission("write")
		if not self.is_pickup or self.status != ship_status.READY_FOR_PICKUP:
			frappe.throw(_("{0} is not waiting for pickup").format(self.name), title=_("Not Ready"))
		if not secrets.compare_digest(str(code or "").strip(), self.pickup_code or ""):
			frappe.throw(_("Wrong pickup code"), frappe.PermissionError, title=_("Wrong Code"))
		self.record_event(ship_status.PICKED_UP, _("Collected in store"), "store")

	@frappe.whitelist(methods=["POST"])
	@check_arguments
	def update_status(self, status: str, description: str = "") -> None:
		"""Desk users move a shipment along (picked, packed, handed to the carrier...)."""
		self.check_permission("write")
		if status == ship_status.PICKED_UP:
			frappe.throw(_("Use Confirm Pickup with the customer's code"), title=_("Pickup Code Needed"))
		self.record_event(status, description, "desk")

	def notify_customer_pickup(self):
		email = (
			frappe.db.get_value("Customer Profile", self.order_doc.customer, "email")
			if self.order_doc.customer
			else None
		)
		if not email:
			return
		try:
			frappe.sendmail(
				recipients=[email],
				subject=_("Your order {0} is ready for pickup").format(self.order),
				message=_(
					"Your order is ready at {0}. Show this code when you collect it: <b>{1}</b>"
				).format(self.source_location, self.pickup_code),
				reference_doctype=self.doctype,
				reference_name=self.name,
			)
			self.add_comment("Info", _("Pickup code sent to {0}").format(email))
		except frappe.OutgoingEmailError:
			self.add_comment("Info", _("Pickup code not emailed: no outgoing email account is set up"))


def on_doctype_update():
	frappe.db.add_index("OMS Shipment", ["status", "modified"])
	frappe.db.add_index("OMS Shipment", ["creation"])  # Fulfilment and Delivery report's period
	frappe.db.add_index("OMS Shipment", ["platform_sync_pending"])  # reports to a platform to retry
	# an order's submitted shipments (`order` is a keyword: quoted, with the index named)
	frappe.db.add_index("OMS Shipment", ["`order`", "docstatus"], index_name="order_docstatus_index")
