# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from oms_omnichannel.utils import validate_links_exist


class ChannelListing(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel_price: DF.Currency
		channel_sku: DF.Data
		is_active: DF.Check
		item: DF.Link
		item_name: DF.Data | None
		last_pushed_at: DF.Datetime | None
		last_pushed_qty: DF.Float
		next_push_at: DF.Datetime | None
		platform_inventory_item_id: DF.Data | None
		platform_product_id: DF.Data | None
		platform_variant_id: DF.Data | None
		push_attempts: DF.Int
		push_error: DF.SmallText | None
		push_pending: DF.Check
		sales_channel: DF.Link

	# end: auto-generated types
	def validate(self):
		self.channel_sku = (self.channel_sku or "").strip()
		validate_links_exist(self, ["item"])
		self.validate_unique_channel_sku()

	def validate_unique_channel_sku(self):
		"""A friendly message first; the unique index on (sales_channel, channel_sku) settles races."""
		filters = {"sales_channel": self.sales_channel, "channel_sku": self.channel_sku}
		if not self.is_new():
			filters["name"] = ("!=", self.name)
		existing = frappe.db.get_value("Channel Listing", filters)
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
	# the stock push queue of connector channels (channels/connectors/stock.py)
	frappe.db.add_index("Channel Listing", ["push_pending", "next_push_at"])
