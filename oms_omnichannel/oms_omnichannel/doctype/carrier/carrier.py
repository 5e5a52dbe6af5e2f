# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

TRACKING_PLACEHOLDER = "{tracking_number}"


class Carrier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		carrier_name: DF.Data
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		is_active: DF.Check
		tracking_url_template: DF.Data | None
		website: DF.Data | None

	# end: auto-generated types
	def validate(self):
		self.validate_tracking_url_template()

	def validate_tracking_url_template(self):
		template = (self.tracking_url_template or "").strip()
		self.tracking_url_template = template
		if template and TRACKING_PLACEHOLDER not in template:
			frappe.throw(
				_("Tracking URL Template must contain {0}").format(frappe.bold(TRACKING_PLACEHOLDER)),
				title=_("Invalid Tracking URL Template"),
			)
		if template and not template.startswith(("http://", "https://")):
			frappe.throw(
				_("Tracking URL Template must start with http:// or https://"),
				title=_("Invalid Tracking URL Template"),
			)

	def get_tracking_url(self, tracking_number: str) -> str | None:
		if not (self.tracking_url_template and tracking_number):
			return None
		from urllib.parse import quote

		return self.tracking_url_template.replace(TRACKING_PLACEHOLDER, quote(tracking_number, safe=""))
