# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CustomerChannelIdentity(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel_customer_id: DF.Data
		first_seen: DF.Datetime | None
		last_seen: DF.Datetime | None
		marketing_consent: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		sales_channel: DF.Link
	# end: auto-generated types
	pass
