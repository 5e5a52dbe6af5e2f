# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class OMSSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allow_backorders: DF.Check
		allow_split_across_locations: DF.Check
		default_currency: DF.Link
		default_delivery_method: DF.Link | None
		default_source_location: DF.Link | None
		hold_first_express_to_foreign_address: DF.Check
		hold_incomplete_addresses: DF.Check
		intake_async_threshold: DF.Int
		intake_batch_limit: DF.Int
		lock_retry_attempts: DF.Int
		low_stock_check_interval: DF.Int
		release_reservation_on_hold: DF.Check
		reservation_expiry_minutes: DF.Int
		road_distance_url: DF.Data | None
		route_solver_seconds: DF.Int
		route_vehicle_speed_kmh: DF.Float
		unpaid_hold_minutes: DF.Int

	# end: auto-generated types
	def validate(self):
		self.validate_intake_limits()

	def validate_intake_limits(self):
		if self.intake_batch_limit is not None and self.intake_batch_limit < 1:
			frappe.throw(_("Intake Batch Limit must be at least 1"), title=_("Invalid Setting"))
