"""What keeps the reports fast at a million orders (benchmarks/reports.py times them): the heavy
ones are prepared reports, the indexes they read through exist, and a prepared result stays
within its owner's rows."""

import frappe
from frappe.desk.query_report import run
from frappe.utils import add_days, today

from oms_omnichannel.tests.analytics import StockScenario, run_prepared
from oms_omnichannel.tests.utils import OMSTestCase, make_user

# Reports that read the whole ledger or every order of three years: built by a background job
PREPARED = ("Demand Forecast and Trends", "Inventory Turnover", "OMS Stock Ledger")
# Reports a user waits for in the request: they must stay interactive
INTERACTIVE = (
	"OMS Stock Balance",
	"Low Stock and Reorder",
	"Order Volume and Revenue",
	"Channel Performance",
)

# (table, columns in order): the indexes the report queries are planned on
INDEXES = {
	"OMS Stock Ledger Entry": [
		("item", "valuation_rate", "qty_change", "is_cancellation"),  # valuation rates
		("item", "location", "stock_status", "posting_datetime"),
		("location", "posting_datetime"),
		("posting_datetime",),  # the ledger's period
	],
	"OMS Stock Balance": [("item", "location", "stock_status"), ("location", "stock_status")],
	"OMS Order": [("order_datetime",), ("sales_channel", "order_datetime")],
	"OMS Shipment": [("creation",)],
}


def index_columns(doctype: str) -> set[tuple[str, ...]]:
	columns: dict[str, list[str]] = {}
	for row in frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}`", as_dict=True):
		columns.setdefault(row.Key_name, []).append((row.Seq_in_index, row.Column_name))
	return {tuple(column for _seq, column in sorted(parts)) for parts in columns.values()}


class TestReportSpeed(OMSTestCase):
	def test_heavy_reports_are_prepared_the_others_interactive(self):
		for name in PREPARED:
			self.assertEqual(frappe.db.get_value("Report", name, "prepared_report"), 1, name)
		for name in INTERACTIVE:
			self.assertEqual(frappe.db.get_value("Report", name, "prepared_report"), 0, name)

	def test_the_indexes_the_reports_read_through_exist(self):
		for doctype, wanted in INDEXES.items():
			present = index_columns(doctype)
			for columns in wanted:
				self.assertIn(columns, present, f"{doctype} {columns}")


class TestPreparedReportScope(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.s = StockScenario()

	def test_the_valuation_rate_reads_the_receipts_from_the_index(self):
		from oms_omnichannel.analytics.stock import valuation_rate_sql

		sql = f"SELECT {valuation_rate_sql('%(item)s')} AS rate"
		self.assertEqual(frappe.db.sql(sql, {"item": self.s.item})[0][0], 5)  # (10 x 4 + 10 x 6) / 20
		plan = frappe.db.sql("EXPLAIN " + sql, {"item": self.s.item}, as_dict=True)
		ledger = next(row for row in plan if row.table == "r")
		self.assertEqual(ledger.key, "item_valuation_rate_qty_change_is_cancellation_index")
		self.assertIn("Using index", ledger.Extra or "")

	def filters(self):
		return {
			"from_date": add_days(today(), -29),
			"to_date": today(),
			"category": self.s.category,
			"group_by": "Location",
		}

	def test_a_prepared_result_holds_its_owners_rows_and_only_they_read_it(self):
		s = self.s
		# both may read prepared reports at all (Frappe's role), so only our rule stands between them
		limited = make_user("oms.prepared.north@example.com", ("Inventory Manager", "Prepared Report User"))
		other = make_user("oms.prepared.other@example.com", ("Inventory Manager", "Prepared Report User"))
		frappe.get_doc(
			{"doctype": "User Permission", "user": limited, "allow": "Stock Location", "for_value": s.north}
		).insert(ignore_permissions=True)
		frappe.set_user(limited)
		try:
			result = run_prepared("Inventory Turnover", self.filters())
			prepared = result["doc"].name
		finally:
			frappe.set_user("Administrator")
		self.assertEqual([row["group_key"] for row in result["result"][:-1]], [s.north])

		frappe.set_user(other)
		try:
			self.assertFalse(frappe.has_permission("Prepared Report", "read", prepared))
			self.assertNotIn(prepared, frappe.get_list("Prepared Report", pluck="name"))
			self.assertIsNone(run("Inventory Turnover", filters=self.filters())["doc"])
			# their own result has every location of the category
			mine = run_prepared("Inventory Turnover", self.filters())
			self.assertEqual(
				sorted(row["group_key"] for row in mine["result"][:-1]), sorted([s.north, s.south])
			)
			self.assertIn(mine["doc"].name, frappe.get_list("Prepared Report", pluck="name"))
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(frappe.has_permission("Prepared Report", "read", prepared))
