# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

SELF_PICKUP = "Self Pickup"


class DeliveryMethod(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		base_cost: DF.Currency
		carrier: DF.Link | None
		cost_per_kg: DF.Currency
		delivery_type: DF.Literal["Standard", "Express", "Self Pickup"]
		is_active: DF.Check
		method_name: DF.Data
		transit_days: DF.Int

	# end: auto-generated types
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
