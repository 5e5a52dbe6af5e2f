"""The app speaks Chinese to a user whose language is zh (Simplified) or zh-TW (Traditional):
Frappe reads oms_omnichannel/translations/<lang>.csv, and the core's sentences are translated where
the Frappe side shows them."""

import os

import frappe
from frappe import _
from frappe.translate import clear_cache, get_user_lang
from frappe.utils import strip_html

from oms_omnichannel.logistics.shipping import new_shipment, ship
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_user


class TestTranslations(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		clear_cache()  # the site may have cached the translations before this app's files changed

	def setUp(self):
		self.lang = frappe.local.lang

	def tearDown(self):
		frappe.local.lang = self.lang
		frappe.set_user("Administrator")

	def speak(self, user: str) -> None:
		"""What a request of `user` does first: use the user's language."""
		frappe.set_user(user)
		frappe.local.lang = get_user_lang(user)

	def chinese_user(self, email: str, lang: str) -> str:
		user = make_user(email, ("OMS Manager",))
		frappe.db.set_value("User", user, "language", lang)
		frappe.clear_document_cache("User", user)
		return user

	def test_a_user_reading_simplified_chinese_gets_the_apps_strings_in_chinese(self):
		self.speak(self.chinese_user("zh.reader@example.com", "zh"))
		self.assertEqual(frappe.local.lang, "zh")
		self.assertEqual(_("OMS Order"), "OMS 订单")  # a DocType name
		self.assertEqual(_("Ready for Pickup"), "待自提")  # a Select option
		self.assertEqual(_("Pickup Code"), "自提码")  # a field label
		self.assertEqual(_("Pick List"), "拣货单")  # a print format's heading
		self.assertEqual(
			_("Cannot ship {0}: it is on hold ({1})").format("ORD-1", _("Payment")),
			"无法发货 ORD-1：它已被挂起（付款）",
		)

	def test_traditional_chinese_uses_taiwan_words(self):
		self.speak(self.chinese_user("zh-tw.reader@example.com", "zh-TW"))
		self.assertEqual(_("Sales Channel"), "銷售通路")
		self.assertEqual(_("Stock Location"), "庫存地點")
		self.assertEqual(_("Packing Slip"), "裝箱單")

	def test_the_sourcing_explanation_is_written_in_the_users_language(self):
		fx = OrderFixture(stock=3)
		self.speak(self.chinese_user("zh.sourcing@example.com", "zh"))
		order = fx.order(qty=5)  # 3 north + 2 south: a split, with a passed-over note
		self.assertIn("发货", order.sourcing_explanation)
		self.assertNotIn("Shipped from", order.sourcing_explanation)
		self.assertNotIn("shipments", order.sourcing_explanation)

	def test_a_core_refusal_reaches_a_chinese_user_in_chinese(self):
		from oms_omnichannel.api.v1 import orders as api

		fx = OrderFixture()
		order = fx.order(qty=1)
		ship(order, {order.items[0].name: 1}, fx.north, ("OMS Order", order.name))
		self.speak(self.chinese_user("zh.refused@example.com", "zh"))
		with self.assertRaises(frappe.ValidationError) as caught:
			api.hold(order.name, "Manual", "check")
		message = strip_html(str(caught.exception))
		self.assertIn("无法挂起", message)  # "Cannot hold ORD-...: it is already Shipped"
		self.assertIn("已发货", message)

	def test_the_packing_slip_prints_in_chinese(self):
		fx = OrderFixture()
		order = fx.order(qty=1)
		shipment = frappe.get_doc(new_shipment(order, fx.north).as_dict())
		shipment.insert()
		shipment.submit()
		self.speak(self.chinese_user("zh.printer@example.com", "zh"))
		html = frappe.get_print("OMS Shipment", shipment.name, "OMS Packing Slip", no_letterhead=1)
		text = strip_html(html)
		for chinese in ("装箱单", "收货地址", "发货地点", "打包人", "总数量"):
			self.assertIn(chinese, text)
		self.assertNotIn("Packing Slip", text)
		if folder := os.environ.get("OMS_PRINT_DIR"):
			from oms_omnichannel.tests.integration.test_print_formats import AssetServer

			with AssetServer():
				pdf = frappe.get_print(
					"OMS Shipment", shipment.name, "OMS Packing Slip", as_pdf=True, no_letterhead=1
				)
			with open(os.path.join(folder, "OMS_Packing_Slip_zh.pdf"), "wb") as out:
				out.write(pdf)
