# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class IntakeLog(Document):
	"""Written by the intake service only; kept as the record of what each channel sent."""

	pass


def on_doctype_update():
	frappe.db.add_index("Intake Log", ["sales_channel", "channel_order_id"])
	frappe.db.add_index("Intake Log", ["outcome", "creation"])
