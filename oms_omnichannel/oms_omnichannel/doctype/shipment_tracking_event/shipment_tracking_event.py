# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ShipmentTrackingEvent(Document):
	pass


def on_doctype_update():
	# a shipment's first event (and first delivery), read from the index alone: Channel Performance
	# (channels.stats.FIRST_SHIPPED_AT) and Fulfilment and Delivery
	frappe.db.add_index("Shipment Tracking Event", ["parent", "parenttype", "event_time", "status"])
