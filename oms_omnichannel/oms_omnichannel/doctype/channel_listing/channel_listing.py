# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ChannelListing(Document):
	def validate(self):
		self.channel_sku = (self.channel_sku or "").strip()
		self.validate_unique_channel_sku()

	def validate_unique_channel_sku(self):
		"""A friendly message first; the unique index on (sales_channel, channel_sku) settles races."""
		existing = frappe.db.get_value(
			"Channel Listing",
			{"sales_channel": self.sales_channel, "channel_sku": self.channel_sku, "name": ("!=", self.name)},
		)
		if existing:
			frappe.throw(
				_("Channel SKU {0} is already listed on {1} (listing {2})").format(
					frappe.bold(self.channel_sku), frappe.bold(self.sales_channel), existing
				),
				frappe.DuplicateEntryError,
				title=_("Duplicate Channel Listing"),
			)


def on_doctype_update():
	frappe.db.add_unique(
		"Channel Listing", ["sales_channel", "channel_sku"], constraint_name="unique_channel_sku"
	)
