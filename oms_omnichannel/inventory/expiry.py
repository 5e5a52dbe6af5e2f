"""Reservations of unpaid orders expire after the time set in OMS Settings (scheduler)."""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime

from oms_omnichannel.inventory.reservations import OPEN_STATUSES, release


def release_expired_reservations() -> int:
	"""Release every open reservation whose time is up; tell its voucher. Returns vouchers released."""
	vouchers = frappe.get_all(
		"OMS Stock Reservation",
		filters={"status": ("in", OPEN_STATUSES), "expires_at": ("<", now_datetime())},
		fields=["voucher_type", "voucher_no"],
		distinct=True,
	)
	for voucher in vouchers:
		released = release(voucher.voucher_type, voucher.voucher_no, final_status="Expired")
		if released:
			run_expiry_hooks(voucher.voucher_type, voucher.voucher_no, released)
	return len(vouchers)


def run_expiry_hooks(voucher_type: str, voucher_no: str, released_qty: float) -> None:
	"""Let the voucher's module react (an order goes back to Pending with a timeline note)."""
	for hook in frappe.get_hooks("oms_on_reservations_expired"):
		frappe.get_attr(hook)(voucher_type, voucher_no, released_qty)
