"""What the desk's guiding pieces rely on: the Pickup Counter's lookup, the low-stock card, the
forecast-vs-actual chart, the workspaces and dashboards as shipped, and an order's status that no
Kanban drag or direct write can move."""

from __future__ import annotations

import json

import frappe
from frappe.utils import getdate, today

from oms_omnichannel.analytics.cards import low_stock, low_stock_count
from oms_omnichannel.core import forecast as fc
from oms_omnichannel.logistics.pickup import find_pickup
from oms_omnichannel.oms_omnichannel.dashboard_chart_source.oms_forecast_vs_actual import (
	oms_forecast_vs_actual as forecast_chart,
)
from oms_omnichannel.oms_omnichannel.doctype.oms_shipment.test_oms_shipment import ship_from
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	OrderFixture,
	make_delivery_method,
	make_location,
	make_user,
	receive,
	refused,
)

WORKSPACES = ("OMS", "Orders", "Inventory", "Logistics", "Channels", "Customers", "Analytics")


def allow(user: str, doctype: str, value: str) -> None:
	frappe.get_doc({"doctype": "User Permission", "user": user, "allow": doctype, "for_value": value}).insert(
		ignore_permissions=True
	)


class TestPickupCounter(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture(stock=5)
		self.store = make_location(location_type="Store", can_pickup=1).name
		self.other_store = make_location(location_type="Store", can_pickup=1).name
		receive(self.fx.item, self.store, 2)
		receive(self.fx.item, self.other_store, 2)
		self.pickup = make_delivery_method(delivery_type="Self Pickup").name

	def tearDown(self):
		frappe.set_user("Administrator")

	def parcel(self, store):
		order = self.fx.order(qty=1, delivery_method=self.pickup, pickup_location=store)
		shipment = ship_from(order, store)
		shipment.reload()
		return order, shipment

	def test_the_code_finds_the_parcel_and_what_to_hand_over(self):
		order, shipment = self.parcel(self.store)
		[found] = find_pickup(f" {shipment.pickup_code} ")
		self.assertEqual((found["shipment"], found["order"]), (shipment.name, order.name))
		self.assertEqual([(r["item"], r["qty"]) for r in found["items"]], [(self.fx.item, 1)])
		wrong = "000000" if shipment.pickup_code != "000000" else "111111"
		self.assertEqual([p for p in find_pickup(wrong) if p["shipment"] == shipment.name], [])
		with refused(self, frappe.ValidationError, "Pickup Code must be the customer's 6 digits"):
			find_pickup("12ab")
		shipment.confirm_pickup(shipment.pickup_code)
		self.assertEqual([p for p in find_pickup(shipment.pickup_code) if p["shipment"] == shipment.name], [])

	def test_a_store_associate_finds_only_their_store_parcels(self):
		_, here = self.parcel(self.store)
		_, elsewhere = self.parcel(self.other_store)
		associate = make_user("oms.desk.counter@example.com", ("Store Associate",))
		frappe.db.delete("User Permission", {"user": associate})
		allow(associate, "Stock Location", self.store)
		frappe.set_user(associate)
		self.assertEqual([p["shipment"] for p in find_pickup(here.pickup_code)], [here.name])
		self.assertNotIn(elsewhere.name, [p["shipment"] for p in find_pickup(elsewhere.pickup_code)])
		frappe.set_user("Administrator")
		nobody = make_user("oms.desk.nobody@example.com", ("Blogger",))
		frappe.set_user(nobody)
		with self.assertRaises(frappe.PermissionError):
			find_pickup(here.pickup_code)


class TestOrderStatusIsNotEditable(OMSTestCase):
	def test_a_direct_status_write_is_refused_and_actions_still_move_it(self):
		fx = OrderFixture(stock=5)
		order = fx.order(qty=1)
		self.assertEqual(order.status, "Processing")
		with refused(self, frappe.ValidationError, "cannot be set directly"):
			frappe.client.set_value("OMS Order", order.name, "status", "Completed")
		self.assertEqual(frappe.db.get_value("OMS Order", order.name, "status"), "Processing")
		board = frappe.get_doc("Kanban Board", "OMS Orders by Status")
		with refused(self, frappe.ValidationError, "cannot be set directly"):
			from frappe.desk.doctype.kanban_board.kanban_board import update_order_for_single_card

			update_order_for_single_card(board.name, order.name, "Processing", "Shipped", 0, 0)
		from oms_omnichannel.api.v1 import orders as api

		api.hold(order.name, "Manual", "customer called")
		self.assertEqual(frappe.db.get_value("OMS Order", order.name, "status"), "On Hold")


class TestDeskCardsAndCharts(OMSTestCase):
	def test_low_stock_counts_balances_at_or_below_reorder_level_where_the_user_may_see(self):
		fx = OrderFixture(stock=5)
		name = frappe.db.get_value(
			"OMS Stock Balance", {"item": fx.item, "location": fx.north, "stock_status": "Available"}
		)
		frappe.db.set_value("OMS Stock Balance", name, "reorder_level", 5)  # available 5: low
		other = frappe.db.get_value(
			"OMS Stock Balance", {"item": fx.item, "location": fx.south, "stock_status": "Available"}
		)
		frappe.db.set_value("OMS Stock Balance", other, "reorder_level", 4)  # available 5: fine
		self.assertEqual(low_stock_count([fx.north, fx.south]), 1)
		self.assertEqual(low_stock_count([fx.south]), 0)
		self.assertEqual(low_stock_count([]), 0)
		self.assertGreaterEqual(low_stock(), 1)

	def test_forecast_vs_actual_puts_ordered_units_and_the_stored_forecast_on_one_weekly_axis(self):
		fx = OrderFixture(stock=20)
		fx.order(qty=3)
		this_week = fc.week_start(getdate(today()))
		frappe.get_doc(
			{
				"doctype": "OMS Demand Forecast",
				"item": fx.item,
				"sales_channel": fx.channel,
				"week_start": this_week,
				"method": "test",
				"forecast_qty": 7,
				"lower": 5,
				"upper": 9,
			}
		).insert(ignore_permissions=True)
		self.assertEqual(
			forecast_chart.ordered_units(this_week, getdate("2100-01-01"), [fx.channel]), {this_week: 3.0}
		)
		self.assertEqual(
			forecast_chart.forecast_units(this_week, this_week, [fx.channel]), {this_week: (7.0, 5.0, 9.0)}
		)
		self.assertEqual(forecast_chart.ordered_units(this_week, this_week, []), {})
		data = forecast_chart.get()
		self.assertEqual(len(data["labels"]), forecast_chart.WEEKS_BEHIND + forecast_chart.WEEKS_AHEAD)
		current = data["labels"].index(this_week.strftime("%Y-%m-%d"))
		ordered, forecast, _upper = data["datasets"]
		self.assertGreaterEqual(ordered["values"][current], 3.0)
		self.assertEqual(ordered["values"][current + 1 :], [0.0] * (len(data["labels"]) - current - 1))

	def test_workspaces_and_dashboards_are_installed_with_what_they_show(self):
		for name in WORKSPACES:
			workspace = frappe.get_doc("Workspace", name)
			for row in workspace.number_cards:
				self.assertTrue(frappe.db.exists("Number Card", row.number_card_name), row.number_card_name)
			for row in workspace.charts:
				self.assertTrue(frappe.db.exists("Dashboard Chart", row.chart_name), row.chart_name)
			for row in workspace.shortcuts:
				if row.stats_filter:
					json.loads(row.stats_filter)
					self.assertIn("{}", row.format or "", row.label)
				if row.kanban_board:
					self.assertTrue(frappe.db.exists("Kanban Board", row.kanban_board))
				if row.type == "Dashboard":
					self.assertTrue(frappe.db.exists("Dashboard", row.link_to), row.link_to)
		for name in (
			"OMS Orders",
			"OMS Inventory",
			"OMS Logistics",
			"OMS Channels",
			"OMS Customers",
			"OMS Analytics",
		):
			dashboard = frappe.get_doc("Dashboard", name)
			self.assertTrue(dashboard.cards and dashboard.charts, name)
		self.assertTrue(frappe.db.exists("Page", "pickup-counter"))


class TestReportsOpenForDeskRoles(OMSTestCase):
	def test_desk_roles_read_currency_so_reports_with_a_currency_column_run(self):
		"""Frappe's report runner checks read access on every Link column's DocType: without read on
		Currency an analyst's Channel Performance failed with "No permission to read Currency"."""
		from frappe.desk.query_report import run

		from oms_omnichannel.setup.install import ensure_currency_read

		ensure_currency_read()
		OrderFixture(stock=5).order(qty=1)
		analyst = make_user("oms.desk.analyst@example.com", ("OMS Analyst",))
		integration = make_user("oms.desk.integration@example.com", ("OMS Integration",))
		self.assertTrue(frappe.has_permission("Currency", "read", user=analyst))
		self.assertFalse(frappe.has_permission("Currency", "write", user=analyst))
		self.assertFalse(frappe.has_permission("Currency", "read", user=integration))
		frappe.set_user(analyst)
		try:
			result = run("Channel Performance", filters={})
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(result["result"])
