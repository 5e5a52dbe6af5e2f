# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

SELF_PICKUP = "Self Pickup"


class DeliveryMethod(Document):
	def validate(self):
		self.validate_carrier()

	def validate_carrier(self):
		if self.delivery_type == SELF_PICKUP:
			self.carrier = None
		elif not self.carrier:
			frappe.throw(
				_("Carrier is required for {0} delivery").format(frappe.bold(self.delivery_type)),
				frappe.MandatoryError,
				title=_("Missing Carrier"),
			)

	@property
	def is_self_pickup(self) -> bool:
		return self.delivery_type == SELF_PICKUP

	def get_cost(self, weight_kg: float) -> float:
		"""What shipping a parcel of this weight costs by this method."""
		return flt(self.base_cost) + flt(self.cost_per_kg) * max(flt(weight_kg), 0)
