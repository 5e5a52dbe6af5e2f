# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class OMSOrderItem(Document):
	pass


def on_doctype_update():
	# whether an order had a line returned, from the index alone (Channel Performance's return rate)
	frappe.db.add_index("OMS Order Item", ["parent", "parenttype", "returned_qty"])
	# the submitted orders' lines with a cancellation (the demand of every item, analytics.forecasting)
	frappe.db.add_index("OMS Order Item", ["docstatus", "cancelled_qty"])
