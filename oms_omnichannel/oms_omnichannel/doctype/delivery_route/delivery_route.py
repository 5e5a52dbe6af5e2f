# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from oms_omnichannel.logistics import routes
from oms_omnichannel.utils import domain_errors


class DeliveryRoute(Document):
	def validate(self):
		if int(self.vehicles or 0) < 1:
			frappe.throw(_("Vehicles must be at least 1"), title=_("Invalid Fleet"))
		if not self.vehicle_capacity or self.vehicle_capacity <= 0:
			frappe.throw(_("Capacity per Vehicle must be greater than 0"), title=_("Invalid Fleet"))
		routes.fill_stops(self)
		seen = set()
		for row in self.stops:
			if row.shipment in seen:
				frappe.throw(
					_("Row {0}: shipment {1} is listed twice").format(row.idx, row.shipment),
					title=_("Duplicate Stop"),
				)
			seen.add(row.shipment)

	@frappe.whitelist(methods=["POST"])
	def plan_route(self) -> str:
		"""Plan now for a small day; a larger one runs as a background job with progress."""
		self.check_permission("write")
		if len(self.stops) > routes.INLINE_LIMIT:
			self.db_set("status", "Planning")
			frappe.enqueue(
				"oms_omnichannel.logistics.routes.plan",
				queue="long",
				job_id=f"oms-route-{self.name}",
				deduplicate=True,
				enqueue_after_commit=True,
				route_name=self.name,
			)
			return "queued"
		with domain_errors():
			routes.plan(self.name)
		return "planned"
