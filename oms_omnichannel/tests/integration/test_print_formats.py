"""The app's print formats render, to HTML and to PDF (wkhtmltopdf), with what the people holding
the paper need: the packing slip in the parcel, the pick list per location, the return label.

Set OMS_PRINT_DIR to a writable folder to keep the PDFs for a look (`pdftoppm -png`)."""

import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

import frappe
from frappe.tests.utils import change_settings
from frappe.utils import strip_html

from oms_omnichannel.logistics.shipping import new_shipment, ship
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_item, make_order


class AssetServer:
	"""wkhtmltopdf fetches Frappe's print stylesheet from the site's URL, whose host name a test
	bench may not resolve: serve the bench's /assets on 127.0.0.1 for the PDF (nothing else)."""

	def __enter__(self):
		assets = os.path.join(os.path.abspath(frappe.local.sites_path), "assets")

		class OnlyAssets(SimpleHTTPRequestHandler):
			def __init__(self, *args, **kwargs):
				super().__init__(*args, directory=assets, **kwargs)

			def translate_path(self, path):
				return super().translate_path(path.removeprefix("/assets"))

			def log_message(self, *args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), OnlyAssets)
		threading.Thread(target=self.server.serve_forever, daemon=True).start()
		self.conf = patch.dict(
			frappe.local.conf, {"host_name": f"http://127.0.0.1:{self.server.server_port}"}
		)
		self.conf.start()
		return self

	def __exit__(self, *exc):
		self.conf.stop()
		self.server.shutdown()
		self.server.server_close()


def render(doctype: str, name: str, print_format: str) -> tuple[str, bytes]:
	html = frappe.get_print(doctype, name, print_format, no_letterhead=1)
	with AssetServer():
		pdf = frappe.get_print(doctype, name, print_format, as_pdf=True, no_letterhead=1)
	if folder := os.environ.get("OMS_PRINT_DIR"):
		with open(os.path.join(folder, f"{print_format.replace(' ', '_')}_{name}.pdf"), "wb") as out:
			out.write(pdf)
	return html, pdf


class TestPrintFormats(OMSTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.fx = OrderFixture(stock=3)
		# barcodes are unique, and the tests of a class share one transaction
		self.barcode = str(4006381000000 + int(frappe.generate_hash(length=5), 16))
		frappe.db.set_value(
			"OMS Item", self.fx.item, {"item_name": "Trail Runner 42", "barcode": self.barcode}
		)
		frappe.db.set_value(
			"Stock Location",
			self.fx.north,
			{"address_line1": "Lagerweg 7", "postcode": "10117", "city": "Berlin"},
		)

	def assert_pdf(self, pdf: bytes, pages: int | None = None):
		self.assertTrue(pdf.startswith(b"%PDF"), pdf[:20])
		if pages is not None:
			from io import BytesIO

			from pypdf import PdfReader

			self.assertEqual(len(PdfReader(BytesIO(pdf)).pages), pages)

	def test_the_formats_are_standard_jinja_formats_of_the_module(self):
		formats = frappe.get_all(
			"Print Format",
			filters={"name": ("in", ["OMS Packing Slip", "OMS Pick List", "OMS Return Label"])},
			fields=["name", "doc_type", "standard", "print_format_type", "module", "disabled"],
		)
		self.assertEqual(
			sorted(
				(f.name, f.doc_type, f.standard, f.print_format_type, f.module, f.disabled) for f in formats
			),
			[
				("OMS Packing Slip", "OMS Shipment", "Yes", "Jinja", "OMS Omnichannel", 0),
				("OMS Pick List", "OMS Order", "Yes", "Jinja", "OMS Omnichannel", 0),
				("OMS Return Label", "Return Request", "Yes", "Jinja", "OMS Omnichannel", 0),
			],
		)

	def test_packing_slip_lists_the_shipment_lines_and_addresses_but_not_the_pickup_code(self):
		order = self.fx.order(
			qty=2,
			other_qty=1,
			shipping_name="Mia <b>Schulz</b>",
			channel_order_id="WEB-77881",
		)
		shipment = frappe.get_doc(new_shipment(order, self.fx.north).as_dict())
		shipment.insert()
		shipment.submit()
		shipment.db_set("pickup_code", "918273")
		html, pdf = render("OMS Shipment", shipment.name, "OMS Packing Slip")
		text = strip_html(html)
		for expected in (
			"Packing Slip",
			shipment.name,
			order.name,
			"WEB-77881",
			"Trail Runner 42",
			self.barcode,
		):
			self.assertIn(expected, text)
		self.assertIn("Lagerweg 7", text)  # ships from
		self.assertIn("Teststraße 1", text)  # ships to
		self.assertIn("Mia &lt;b&gt;Schulz&lt;/b&gt;", html)  # channel data is escaped
		self.assertNotIn("918273", html)  # the customer's proof at the counter stays off the slip
		self.assertIn(">3<", html.replace(" ", ""))  # total quantity 2 + 1
		self.assert_pdf(pdf, pages=1)

	def test_pick_list_has_one_page_per_location_with_what_it_holds(self):
		# 3 of the item north and 3 south: 5 are split over both (north first, by priority)
		order = self.fx.order(qty=5)
		html, pdf = render("OMS Order", order.name, "OMS Pick List")
		text = strip_html(html)
		self.assertEqual(text.count("Pick List"), 2)
		self.assertIn("List 1 of 2", text)
		self.assertIn("List 2 of 2", text)
		north = frappe.db.get_value("Stock Location", self.fx.north, "location_name")
		south = frappe.db.get_value("Stock Location", self.fx.south, "location_name")
		self.assertIn(f"Total to pick at {north}", text)
		self.assertIn(f"Total to pick at {south}", text)
		# the lists in a fixed order: by location (the test's locations have random names)
		first, second = (
			frappe.db.get_value("Stock Location", name, "location_name")
			for name in sorted((self.fx.north, self.fx.south))
		)
		self.assertLess(text.index(f"Total to pick at {first}"), text.index(f"Total to pick at {second}"))
		self.assertIn("Trail Runner 42", text)
		self.assert_pdf(pdf, pages=2)

		# once the north's part has left, only the south's list is left
		ship(order, {order.items[0].name: 3}, self.fx.north, ("OMS Order", order.name))
		order.reload()
		html, _pdf = render("OMS Order", order.name, "OMS Pick List")
		text = strip_html(html)
		self.assertEqual(text.count("Pick List"), 1)
		self.assertIn(f"Total to pick at {south}", text)
		self.assertNotIn(f"Total to pick at {north}", text)

	def test_pick_list_of_an_order_with_nothing_reserved_says_so(self):
		unstocked = make_item().name
		order = make_order(self.fx.channel, [{"item": unstocked, "qty": 2, "rate": 1}])  # a backorder
		self.assertEqual(order.items[0].reserved_qty, 0)
		html, pdf = render("OMS Order", order.name, "OMS Pick List")
		self.assertIn("has nothing left to pick", strip_html(html))
		self.assert_pdf(pdf, pages=1)

	def test_return_label_is_an_a6_label_from_the_customer_to_the_return_location(self):
		order = self.fx.order(qty=2, shipping_name="Jonas Weber")
		ship(order, {order.items[0].name: 2}, self.fx.north, ("OMS Order", order.name))
		order.reload()
		ret = frappe.get_doc(
			{
				"doctype": "Return Request",
				"order": order.name,
				"return_location": self.fx.north,
				"reason": "Wrong Size",
				"items": [
					{
						"order_item": order.items[0].name,
						"item": self.fx.item,
						"qty": 1,
						"condition": "Resellable",
					}
				],
			}
		).insert()  # printed while the parcel is on its way: a draft
		with change_settings("Print Settings", {"allow_print_for_draft": 1}):
			html, pdf = render("Return Request", ret.name, "OMS Return Label")
		text = strip_html(html)
		for expected in ("RETURN", ret.name, order.name, "Jonas Weber", "Lagerweg 7", "Wrong Size"):
			self.assertIn(expected, text)
		self.assertIn(f"1 &times; {self.fx.item}", text)
		self.assert_pdf(pdf, pages=1)
		from io import BytesIO

		from pypdf import PdfReader

		box = PdfReader(BytesIO(pdf)).pages[0].mediabox
		self.assertAlmostEqual(float(box.width) / 72 * 25.4, 105, delta=2)  # A6: 105 by 148 mm
		self.assertAlmostEqual(float(box.height) / 72 * 25.4, 148, delta=2)

	def test_the_jinja_helpers_refuse_another_doctype(self):
		from oms_omnichannel.logistics.printing import oms_pick_list

		with self.assertRaises(frappe.ValidationError):
			oms_pick_list(frappe.get_doc("Sales Channel", self.fx.channel))
		with self.assertRaises(frappe.ValidationError):
			oms_pick_list("ORD-2026-00001")
