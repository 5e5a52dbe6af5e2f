"""What a batch of orders needs from the database, read once for all of them."""

from __future__ import annotations

import frappe
from frappe import _

from oms_omnichannel.channels.intake.errors import OrderRefused
from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.customers.identity import CustomerDirectory


class IntakeContext:
	"""What a batch of orders needs from the database, read once for all of them.

	`locking` reads see rows other transactions committed after this one began (used to settle
	a race on the unique indexes: the other request's order or customer is then found).
	"""

	def __init__(self, channel: str, orders: list[intake_core.IntakeOrder], locking: bool = False):
		self.channel = frappe.get_cached_doc("Sales Channel", channel)
		self.locking = locking
		skus = {line.channel_sku for order in orders for line in order.lines if line.channel_sku}
		self.listings = dict(
			self.read(
				"SELECT `channel_sku`, `item` FROM `tabChannel Listing` "
				"WHERE `sales_channel`=%s AND `is_active`=1 AND `channel_sku` IN %s",
				(channel, tuple(skus)),
			)
			if skus
			else []
		)
		items = {line.sku for order in orders for line in order.lines if line.sku} | set(
			self.listings.values()
		)
		self.items = {
			row[0]
			for row in (
				self.read(
					"SELECT `name` FROM `tabOMS Item` WHERE `disabled`=0 AND `name` IN %s", (tuple(items),)
				)
				if items
				else []
			)
		}
		self.customers = CustomerDirectory(channel, [order.customer for order in orders], self.read)
		countries = {
			text
			for order in orders
			for text in (order.shipping.country, order.billing and order.billing.country)
			if text
		}
		self.countries: dict[str, str] = {}
		if countries:
			for name, code in frappe.db.sql(
				"SELECT `name`, `code` FROM `tabCountry` WHERE `name` IN %(names)s OR `code` IN %(codes)s",
				{"names": tuple(countries), "codes": tuple(c.lower() for c in countries)},
			):
				self.countries[name.lower()] = name
				if code:
					self.countries.setdefault(code.lower(), name)

	def read(self, query: str, values) -> tuple:
		"""A query, as a locking read when the context is one."""
		# safe-sql: callers pass constant queries with %s parameters; only a constant locking clause is appended
		return frappe.db.sql(query + (" LOCK IN SHARE MODE" if self.locking else ""), values)

	def existing_orders(self, channel_order_ids: list[str]) -> dict[str, tuple[str, str]]:
		"""{channel order id: (order, status)} of the ids already taken on this channel."""
		if not channel_order_ids:
			return {}
		rows = frappe.db.sql(
			"SELECT `channel_order_id`, `name`, `status` FROM `tabOMS Order` "
			"WHERE `sales_channel`=%s AND `channel_order_id` IN %s" + (" FOR UPDATE" if self.locking else ""),
			(self.channel.name, tuple(channel_order_ids)),
		)
		return {row[0]: (row[1], row[2]) for row in rows}

	def country(self, text: str | None) -> str | None:
		return self.countries.get(text.lower()) if text else None

	def item(self, line: intake_core.Line, path: str) -> str:
		"""The OMS Item of a line: its channel SKU through Channel Listing, or the OMS SKU itself."""
		if line.channel_sku:
			item = self.listings.get(line.channel_sku)
			if not item:
				raise OrderRefused(
					_("{0}channel_sku: {1} is not listed on {2}").format(
						path, line.channel_sku, self.channel.name
					),
					f"{path}channel_sku",
				)
			return item
		if line.sku not in self.items:
			raise OrderRefused(_("{0}sku: unknown or disabled SKU {1}").format(path, line.sku), f"{path}sku")
		return line.sku
