# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from frappe.model.document import Document

from oms_omnichannel.utils import domain_errors


class OMSHoldRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		delivery_method: DF.Link | None
		description: DF.SmallText | None
		enabled: DF.Check
		first_order_only: DF.Check
		hold_type: DF.Link
		min_order_value: DF.Currency
		rule_name: DF.Data
		sales_channel: DF.Link | None
		shipping_country: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.validate_conditions()

	def validate_conditions(self):
		"""The rule as the order holds read it: refused without a condition or a hold type."""
		from oms_omnichannel.orders.holds import condition_rule

		with domain_errors():
			condition_rule(self)
