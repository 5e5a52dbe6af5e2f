"""One new OMS Order from a parsed payload: header, address, delivery and lines, run through the
controller's checks before anything is written."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, now_datetime, strip_html

from oms_omnichannel.bulk import apply_defaults
from oms_omnichannel.channels.intake.context import IntakeContext
from oms_omnichannel.channels.intake.errors import OrderRefused
from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.orders import fulfilment
from oms_omnichannel.utils import get_settings, to_system_time


def build_order(context: IntakeContext, parsed: intake_core.IntakeOrder, path: str):
	"""A new, submitted-to-be OMS Order from a parsed payload, validated by its controller."""
	channel = context.channel
	if parsed.currency and parsed.currency != channel.currency:
		raise OrderRefused(
			_("{0}currency: {1} differs from the channel's currency {2}").format(
				path, parsed.currency, channel.currency
			),
			f"{path}currency",
		)
	order = frappe.get_doc({"doctype": "OMS Order", "__islocal": 1})
	order.sales_channel = channel.name
	order.channel_order_id = parsed.channel_order_id
	order.order_datetime = to_system_time(parsed.ordered_at) if parsed.ordered_at else now_datetime()
	order.currency = channel.currency
	order.payment_status = parsed.payment_status
	order.paid_amount = flt(parsed.paid_amount) if parsed.paid_amount is not None else 0
	order.shipping_fee = flt(parsed.shipping_fee)
	order.notes = parsed.notes
	set_address(order, parsed, context)
	set_delivery(order, parsed, path)
	for index, line in enumerate(parsed.lines):
		order.append(
			"items",
			{
				"item": context.item(line, f"{path}lines[{index}]."),
				"channel_sku": line.channel_sku or None,
				"qty": flt(line.qty),
				"rate": flt(line.price),
				"discount_amount": flt(line.discount),
				"tax_amount": flt(line.tax),
			},
		)
	order.docstatus = 1
	# Two flags the controller reads, because its hooks (validate, add_comment) take no arguments
	# and intake runs them as Frappe's insert and submit would:
	# - links_resolved: the context resolved every link of the batch already, so validate skips
	#   its per-order link and duplicate checks (the unique index settles a race);
	# - deferred_comments: timeline comments are collected, to be written with the batch.
	order.flags.links_resolved = True
	order.flags.deferred_comments = []
	# ignore-permissions: api.v1.orders.ingest checked the caller's channel and create right (request.check_channel); intake stores addresses the integration user may not read
	order.flags.ignore_permissions = True
	apply_defaults(order)
	for event in ("before_insert", "before_validate", "validate", "before_submit"):
		order.run_method(event)
	check_fields(order)
	return order


def check_fields(doc) -> None:
	"""Frappe's own field checks (mandatory, options, lengths) on the order and its rows (which
	get their parent when written)."""
	rows = (doc, *doc.get_all_children())
	missing = [
		strip_html(message)
		for row in rows
		for fieldname, message in row._get_missing_mandatory_fields()
		if fieldname not in ("parent", "parenttype")
	]
	if missing:
		raise frappe.MandatoryError("; ".join(missing))
	for row in rows:
		row._validate_selects()
		row._validate_length()


def set_address(order, parsed: intake_core.IntakeOrder, context: IntakeContext) -> None:
	shipping = parsed.shipping
	order.shipping_name = shipping.name or parsed.customer.name
	order.shipping_address_line1 = shipping.line1
	order.shipping_address_line2 = shipping.line2
	order.shipping_city = shipping.city
	order.shipping_postcode = shipping.postcode
	order.shipping_region = shipping.region
	order.shipping_country = context.country(shipping.country)
	order.shipping_phone = shipping.phone or parsed.customer.phone
	order.shipping_latitude = shipping.latitude
	order.shipping_longitude = shipping.longitude
	if parsed.billing:
		order.billing_same_as_shipping = 0
		order.billing_address_line1 = parsed.billing.line1
		order.billing_city = parsed.billing.city
		order.billing_postcode = parsed.billing.postcode
		order.billing_country = context.country(parsed.billing.country)


def set_delivery(order, parsed: intake_core.IntakeOrder, path: str) -> None:
	method = parsed.delivery_method or get_settings().default_delivery_method
	if method:
		delivery_type = frappe.get_cached_value("Delivery Method", method, "delivery_type")
		if not delivery_type:
			raise OrderRefused(
				_("{0}delivery_method: {1} is not a delivery method").format(path, method),
				f"{path}delivery_method",
			)
		order.delivery_method = method
		order.delivery_type = delivery_type
	if parsed.pickup_store:
		if not fulfilment.offers_pickup(parsed.pickup_store):
			raise OrderRefused(
				_("{0}pickup_store: {1} is not a store that offers pickup").format(path, parsed.pickup_store),
				f"{path}pickup_store",
			)
		order.pickup_location = parsed.pickup_store
