# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class OMSSettings(Document):
	def validate(self):
		self.validate_intake_limits()

	def validate_intake_limits(self):
		if self.intake_batch_limit is not None and self.intake_batch_limit < 1:
			frappe.throw(_("Intake Batch Limit must be at least 1"), title=_("Invalid Setting"))
