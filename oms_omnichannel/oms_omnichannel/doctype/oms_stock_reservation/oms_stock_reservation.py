# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class OMSStockReservation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		consumed_qty: DF.Float
		expires_at: DF.Datetime | None
		item: DF.Link
		location: DF.Link
		name: DF.Int | None
		open_qty: DF.Float
		released_qty: DF.Float
		reserved_qty: DF.Float
		sales_channel: DF.Link | None
		status: DF.Literal["Open", "Partially Consumed", "Consumed", "Released", "Expired"]
		stock_status: DF.Literal["Available", "Damaged", "Quarantine", "In Transit"]
		voucher_detail_no: DF.Data | None
		voucher_no: DF.DynamicLink | None
		voucher_type: DF.Link | None
	# end: auto-generated types
	"""Created, consumed and released only by the reservation service (orders and shipments)."""

	def validate(self):
		if not self.flags.from_stock_service:
			frappe.throw(
				_("Reservations are made by orders and closed by shipments; they cannot be edited by hand."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def on_trash(self):
		frappe.throw(_("Reservations are kept as history and cannot be deleted."), title=_("Not Allowed"))


def on_doctype_update():
	frappe.db.add_index("OMS Stock Reservation", ["item", "location", "stock_status", "status"])
	frappe.db.add_index("OMS Stock Reservation", ["voucher_type", "voucher_no", "voucher_detail_no"])
	frappe.db.add_index("OMS Stock Reservation", ["status", "expires_at"])
