# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class SourcingRule(Document):
	def validate(self):
		if flt(self.max_order_value) and flt(self.min_order_value) > flt(self.max_order_value):
			frappe.throw(
				_("Order Value From ({0}) is above Order Value Up To ({1})").format(
					self.min_order_value, self.max_order_value
				),
				title=_("Invalid Order Value Range"),
			)
		allowed = {row.location for row in self.allowed_locations}
		outside = [
			row.location for row in self.preferred_locations if allowed and row.location not in allowed
		]
		if outside:
			frappe.throw(
				_("Preferred location {0} is not among the locations this rule allows").format(
					frappe.bold(outside[0])
				),
				title=_("Invalid Preferred Location"),
			)
