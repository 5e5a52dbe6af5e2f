# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_channel, make_item, unique


def make_listing(channel, channel_sku, item):
	return frappe.get_doc(
		{"doctype": "Channel Listing", "sales_channel": channel, "channel_sku": channel_sku, "item": item}
	).insert()


class TestChannelListing(OMSTestCase):
	def test_listing_twice_on_one_channel_is_refused(self):
		channel, item = make_channel().name, make_item().name
		channel_sku = unique("CH")
		make_listing(channel, channel_sku, item)
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already listed"):
			make_listing(channel, channel_sku, make_item().name)
		self.assertEqual(frappe.db.count("Channel Listing", {"sales_channel": channel}), 1)

	def test_same_channel_sku_on_two_channels_is_fine(self):
		item = make_item().name
		channel_sku = unique("CH")
		make_listing(make_channel().name, channel_sku, item)
		make_listing(make_channel().name, channel_sku, item)

	def test_database_refuses_a_duplicate_that_skips_validation(self):
		"""The unique index, not the friendly check, is what settles a race."""
		channel, item = make_channel().name, make_item().name
		channel_sku = unique("CH")
		make_listing(channel, channel_sku, item)
		duplicate = frappe.get_doc(
			{"doctype": "Channel Listing", "sales_channel": channel, "channel_sku": channel_sku, "item": item}
		)
		duplicate.name = unique("other-name")
		with self.assertRaises(frappe.exceptions.UniqueValidationError):
			duplicate.db_insert()

	def test_unknown_item_is_refused(self):
		with self.assertRaises(frappe.LinkValidationError):
			make_listing(make_channel().name, unique("CH"), "NO-SUCH-ITEM")

	def test_item_name_is_fetched(self):
		item = make_item(item_name="Blue Mug")
		listing = make_listing(make_channel().name, unique("CH"), item.name)
		self.assertEqual(listing.item_name, "Blue Mug")
