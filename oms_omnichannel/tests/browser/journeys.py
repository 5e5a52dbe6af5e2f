"""The desk's main journeys in headless Chromium, one test per journey, as the role that does it.

Needs OMS_BROWSER_URL (the site served on 127.0.0.1) and OMS_BROWSER_FIXTURE (what
`fixtures.prepare` wrote); `.ci/browser` sets both. Screenshots go to OMS_BROWSER_SHOTS (default
/tmp/oms-browser-shots): artefacts, never committed. Every test fails on a JavaScript error in the
console or the page, except the realtime server's (the suite serves without one) and requests
to other hosts, which the suite blocks (map tiles): nothing leaves this machine."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

BASE = os.environ.get("OMS_BROWSER_URL", "")
FIXTURE = os.environ.get("OMS_BROWSER_FIXTURE", "")
SHOTS = Path(os.environ.get("OMS_BROWSER_SHOTS", "/tmp/oms-browser-shots"))
CHROMIUM = os.environ.get("OMS_CHROMIUM", "/usr/bin/chromium")
TIMEOUT = 20_000

pytestmark = [
	pytest.mark.browser,
	pytest.mark.skipif(not (BASE and FIXTURE), reason="served site and fixture needed (.ci/browser)"),
]

# Console noise that is not the app's: the realtime server is not running, external hosts blocked,
# and one open bug of Frappe Charts (frappe/charts#368, bundled in Frappe 15.44): a chart's
# ResizeObserver redraws into a container the dashboard widget has already re-rendered and
# removeChild fails; it happens on Frappe's own charts as on ours, and a chart so hit can stay
# undrawn in a headless screenshot until the next resize. Matched by its stack, nothing wider.
IGNORED = re.compile(
	r"socket\.io|WebSocket|:9000/|ERR_FAILED|ERR_BLOCKED|net::ERR_ABORTED"
	r"|Failed to execute 'removeChild' on 'Node'.*boundDrawFn",
	re.I | re.S,
)


@pytest.fixture(scope="session")
def fx() -> dict:
	return json.loads(Path(FIXTURE).read_text())


@pytest.fixture(scope="session")
def browser():
	SHOTS.mkdir(parents=True, exist_ok=True)
	with sync_api.sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
		yield browser
		browser.close()


class Desk:
	"""One signed-in browser tab and the JavaScript errors it has seen."""

	def __init__(self, browser, name: str, viewport=(1366, 900)):
		self.context = browser.new_context(
			viewport={"width": viewport[0], "height": viewport[1]}, locale="en-US"
		)
		self.context.set_default_timeout(TIMEOUT)
		local = urlparse(BASE).hostname
		self.context.route(
			"**/*",
			lambda route: route.continue_()
			if urlparse(route.request.url).hostname == local
			else route.abort(),
		)
		self.page = self.context.new_page()
		self.name = name
		self.errors: list[str] = []
		self.page.on(
			"console",
			lambda msg: msg.type == "error"
			and self.errors.append(f"{msg.text} [{msg.location.get('url', '')}] on {self.page.url}"),
		)
		self.failed_requests: list[str] = []
		self.page.on(
			"response", lambda r: r.status >= 400 and self.failed_requests.append(f"{r.status} {r.url}")
		)
		self.page.on(
			"pageerror",
			lambda exc: self.errors.append(f"page error on {self.page.url}: {exc} {exc.stack or ''}"[:1500]),
		)
		self.shots = 0

	def login(self, user: str, password: str) -> Desk:
		page = self.page
		page.goto(f"{BASE}/login")
		page.fill("#login_email", user)
		page.fill("#login_password", password)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r"/app"))
		self.ready()
		self.settle()
		return self

	def ready(self):
		self.page.wait_for_function(
			"() => window.frappe && frappe.boot && frappe.router && !$('.freeze').length"
		)

	def settle(self):
		"""Let the page finish what it is loading before leaving it (a page left half-rendered
		reports errors of its own teardown, not of the app)."""
		try:
			self.page.wait_for_load_state("networkidle", timeout=8000)
		except sync_api.TimeoutError:
			pass

	def go(self, path: str):
		self.settle()
		self.page.goto(f"{BASE}{path}")
		self.ready()

	def form(self, doctype: str, name: str | None = None):
		route = doctype.lower().replace(" ", "-")
		self.go(f"/app/{route}/{quote(name) if name else 'new'}")
		if not name:  # /new becomes /new-<doctype>-<hash>: wait for it before typing
			self.page.wait_for_url(re.compile(rf"/app/{route}/new-{route}-"))
		self.page.wait_for_function(
			"([dt, name]) => window.cur_frm && cur_frm.doctype === dt && cur_frm.doc && (!name || cur_frm.doc.name === name)",
			arg=[doctype, name],
		)
		self.page.wait_for_selector(".form-layout", state="visible")

	def js(self, script: str, arg=None):
		return self.page.evaluate(script, arg)

	def status(self) -> str:
		return self.page.locator(".page-head .indicator-pill:visible").first.inner_text().strip()

	def wait_status(self, status: str):
		self.page.wait_for_function(
			"(s) => [...document.querySelectorAll('.page-head .indicator-pill')].some(e => e.offsetParent && e.innerText.trim() === s)",
			arg=status,
		)

	def menu(self, group: str, label: str):
		self.page.locator(f'.page-head .inner-group-button[data-label="{quote(group)}"] > button').click()
		self.page.locator(
			f'.page-head .inner-group-button[data-label="{quote(group)}"] a[data-label="{quote(label)}"]'
		).click()

	def menu_labels(self, group: str) -> list[str]:
		return self.js(
			"""(g) => [...document.querySelectorAll(`.page-head .inner-group-button[data-label="${encodeURIComponent(g)}"] a`)]
				.map(a => decodeURIComponent(a.dataset.label))""",
			group,
		)

	def dialog(self):
		return self.page.locator(".modal.show").last

	def link(self, fieldname: str, value: str):
		"""Type into a Link field and pick the value from its dropdown, as a user does."""
		self.show_field(fieldname)
		field = self.page.locator(f'.frappe-control[data-fieldname="{fieldname}"] input:visible').first
		option = self.page.locator('[role="option"]:visible', has_text=value)
		for attempt in range(3):
			field.click()
			field.fill("")
			field.type(value, delay=20)
			try:
				option.first.wait_for(state="visible", timeout=6000)
				option.first.click()
				break
			except sync_api.TimeoutError:
				if attempt == 2:
					raise
		self.page.wait_for_function("([f, v]) => cur_frm.doc[f] === v", arg=[fieldname, value])

	def show_field(self, fieldname: str):
		"""Open the form tab that holds a field, as a user clicks it (fields on a closed tab are hidden)."""
		self.js("(f) => cur_frm.scroll_to_field(f)", fieldname)
		self.page.locator(f'.frappe-control[data-fieldname="{fieldname}"]').first.wait_for(state="visible")

	def type(self, fieldname: str, value: str):
		self.show_field(fieldname)
		self.page.locator(
			f'.frappe-control[data-fieldname="{fieldname}"] :is(input, textarea):visible'
		).first.fill(value)

	def save(self):
		self.page.keyboard.press("Control+s")
		self.page.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
		self.ready()

	def submit(self):
		self.page.locator(".page-head .primary-action:visible", has_text="Submit").click()
		self.dialog().locator(".btn-primary", has_text="Yes").click()
		self.page.wait_for_function("() => cur_frm && cur_frm.doc.docstatus === 1")
		self.ready()

	def shot(self, what: str):
		self.shots += 1
		self.page.screenshot(path=str(SHOTS / f"{self.name}-{self.shots:02d}-{what}.png"), full_page=True)

	def assert_no_js_errors(self):
		real = [e for e in self.errors if not IGNORED.search(e)]
		assert (
			real == []
		), f"JavaScript errors in {self.name}: {real}; failed requests: {self.failed_requests}"

	def close(self):
		self.context.close()


@pytest.fixture
def desk(browser, fx, request):
	tabs: list[Desk] = []

	def open_as(role: str | None, viewport=(1366, 900)) -> Desk:
		tab = Desk(browser, f"{request.node.name}-{len(tabs)}", viewport)
		tabs.append(tab)
		if role:
			tab.login(fx["users"][role], fx["password"])
		return tab

	yield open_as
	for tab in tabs:  # the state each tab ended in, failed or not
		try:
			tab.shot("end")
		except sync_api.Error:
			pass
	try:
		for tab in tabs:
			tab.assert_no_js_errors()
	finally:
		for tab in tabs:
			tab.close()


def slug(title: str) -> str:
	return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def open_workspace(tab: Desk, title: str):
	"""Open a workspace and wait until it has drawn its widgets and every number card its figure."""
	tab.go(f"/app/{slug(title)}")
	tab.page.wait_for_function(
		"(t) => document.querySelector('.page-head .title-text')?.innerText.trim() === t", arg=title
	)
	tab.page.locator(".workspace-skeleton").first.wait_for(state="detached")
	tab.page.locator(".layout-main-section .widget").first.wait_for(state="visible")
	tab.page.wait_for_function(
		"() => ![...document.querySelectorAll('.number-widget-box .widget-content')].some(e => !e.innerText.trim())"
	)
	tab.settle()


# ------------------------------------------------------------------ journeys


def test_each_role_signs_in_and_lands_on_its_workspace(desk, fx):
	titles = {w["name"]: w["title"] for w in fx["workspaces"]}
	for role, home in fx["homes"].items():
		tab = desk(role)
		open_workspace(tab, titles[home])
		assert tab.page.locator(".sidebar-item-label", has_text=titles[home]).first.is_visible()
		tab.shot(slug(role))
	# shortcuts show live counts, counted as the user may see them
	tab = desk("Order Processor")
	open_workspace(tab, titles["Orders"])
	pill = tab.page.locator(".shortcut-widget-box", has_text="Orders On Hold").locator(".indicator-pill")
	pill.wait_for()
	assert re.fullmatch(r"\d+ On Hold", pill.inner_text().strip())


def chinese(source: str) -> str:
	"""The app's Simplified Chinese for a string, from its translation file."""
	path = Path(__file__).resolve().parents[2] / "translations" / "zh.csv"
	with path.open(encoding="utf-8", newline="") as handle:
		for row in csv.reader(handle):
			if row and row[0] == source:
				return row[1]
	raise AssertionError(f"{source!r} has no Chinese in {path}")


def test_a_user_who_reads_chinese_sees_the_workspace_in_chinese(desk, fx):
	tab = desk(None)
	tab.login(fx["chinese_user"], fx["password"])
	titles = {w["name"]: w["title"] for w in fx["workspaces"]}
	tab.go(f"/app/{slug(titles['Orders'])}")
	tab.page.locator(".workspace-skeleton").first.wait_for(state="detached")
	tab.page.locator(".layout-main-section .widget").first.wait_for(state="visible")
	tab.settle()
	assert tab.js("() => frappe.boot.lang") == "zh"
	sidebar = tab.page.locator(".sidebar-item-label", has_text=chinese("Orders")).first
	assert sidebar.is_visible()
	shortcut = tab.page.locator(".shortcut-widget-box", has_text=chinese("Orders On Hold"))
	shortcut.first.wait_for(state="visible")
	assert not tab.page.locator(".shortcut-widget-box", has_text="Orders On Hold").count()
	tab.shot("orders-workspace-zh")
	tab.form("OMS Order")  # a form's labels too
	tab.page.locator(".frappe-control .control-label", has_text=chinese("Sales Channel")).first.wait_for()
	tab.shot("order-form-zh")


def test_create_an_order_in_the_form_submit_it_and_see_stock_reserved(desk, fx):
	tab = desk("Order Processor")
	tab.form("OMS Order")
	tab.link("sales_channel", fx["channel"])
	tab.link("customer", fx["customers"]["buyer"])
	tab.page.wait_for_function("() => cur_frm.doc.shipping_name === 'Browser Buyer'")  # from the profile
	tab.page.locator('.frappe-control[data-fieldname="payment_status"] select').select_option("Paid")
	tab.link("delivery_method", fx["standard"])
	for field, value in (
		("shipping_address_line1", "Torstraße 1"),
		("shipping_city", "Berlin"),
		("shipping_postcode", "10119"),
	):
		tab.type(field, value)
	# an order line, as the grid's editor sets it; the low-stock warning follows the lines (the new
	# form may hold a blank line of its own: this one is named)
	line = tab.js(
		"""([item]) => { const row = cur_frm.add_child("items");
			return frappe.model.set_value(row.doctype, row.name, "item", item)
				.then(() => frappe.model.set_value(row.doctype, row.name, {qty: 50, rate: 20}))
				.then(() => row.name); }""",
		[fx["items"]["rare"]],
	)
	tab.page.locator(".form-message", has_text="Low stock").wait_for()
	tab.shot("low-stock-warning")
	tab.js("(name) => frappe.model.set_value('OMS Order Item', name, 'item', null)", line)
	tab.js(
		"""([name, item]) => frappe.model.set_value("OMS Order Item", name, "item", item)
			.then(() => frappe.model.set_value("OMS Order Item", name, {qty: 2, rate: 20}))""",
		[line, fx["items"]["tee"]],
	)
	try:
		tab.page.locator(".form-message", has_text="Low stock").wait_for(state="hidden")
	except sync_api.TimeoutError:
		state = tab.js(
			"() => ({lines: cur_frm.doc.items.map((r) => [r.item, r.qty]), message: $(cur_frm.layout.message).text()})"
		)
		raise AssertionError(f"the low-stock warning stayed up: {state}") from None
	tab.save()
	tab.wait_status("Draft")
	tab.submit()
	tab.wait_status("Processing")
	reserved = tab.page.locator(
		'.frappe-control[data-fieldname="items"] .grid-body [data-fieldname="reserved_qty"]'
	).first
	assert float(reserved.inner_text().strip()) == 2
	tab.shot("submitted")
	order = tab.js("() => cur_frm.doc.name")
	# the stock balance shows the reservation too
	balance = tab.js(
		"""([item, loc]) => frappe.db.get_value("OMS Stock Balance", {item, location: loc, stock_status: "Available"}, "name")
			.then(r => r.message.name)""",
		[fx["items"]["tee"], fx["warehouse"]],
	)
	tab.form("OMS Stock Balance", balance)
	value = tab.page.locator('.frappe-control[data-fieldname="reserved_qty"] .control-value').inner_text()
	assert float(value.replace(",", "")) >= 2, value
	tab.shot("stock-balance")
	assert order.startswith("ORD-")


def test_hold_and_release_offer_only_what_the_status_allows(desk, fx):
	tab = desk("Order Processor")
	tab.form("OMS Order", fx["ship_order"])
	tab.wait_status("Processing")
	actions = tab.menu_labels("Actions")
	assert "Hold" in actions and "Release Hold" not in actions
	tab.menu("Actions", "Hold")
	tab.dialog().locator('[data-fieldname="reason"] textarea').fill("Customer asked to wait")
	tab.dialog().locator(".btn-primary").click()
	tab.wait_status("On Hold")
	tab.page.locator(".form-message", has_text="Customer asked to wait").wait_for()
	actions = tab.menu_labels("Actions")
	# held: release it or add a hold; what sources lines again waits until it is released
	assert "Release Hold" in actions and "Location Rejects Lines" not in actions, actions
	assert "Shipment" not in tab.menu_labels("Create")
	tab.shot("on-hold")
	tab.menu("Actions", "Release Hold")
	tab.dialog().locator(".btn-primary").click()
	tab.wait_status("Processing")
	assert "Release Hold" not in tab.menu_labels("Actions")


def test_merge_two_paid_unshipped_orders_from_the_list(desk, fx):
	tab = desk("Order Processor")
	first, second = fx["merge_orders"]
	tab.go(f"/app/oms-order?customer={quote(fx['customers']['merger'])}")
	for name in (first, second):
		row = tab.page.locator(".list-row-container", has=tab.page.locator(f'a[data-name="{name}"]'))
		row.locator(".list-row-checkbox").check()
	tab.page.locator(".actions-btn-group > button").click()
	tab.page.locator(".actions-btn-group .dropdown-menu a", has_text="Merge Orders").click()
	tab.page.wait_for_function(
		"([a, b]) => window.cur_frm && cur_frm.doctype === 'OMS Order' && ![a, b].includes(cur_frm.doc.name)",
		arg=[first, second],
	)
	tab.wait_status("Processing")
	assert tab.js("() => cur_frm.doc.items.reduce((n, r) => n + r.qty, 0)") == 2
	tab.shot("merged")
	tab.form("OMS Order", first)
	tab.wait_status("Merged")
	tab.page.locator(".form-message", has_text="Merged into").wait_for()


def test_split_an_order_by_location(desk, fx):
	tab = desk("Order Processor")
	tab.form("OMS Order", fx["split_order"])
	tab.wait_status("Processing")
	tab.menu("Actions", "Split")
	tab.dialog().locator('select[data-fieldname="by"]').select_option("location")
	tab.dialog().locator(".btn-primary").click()
	message = tab.page.locator(".modal.show .msgprint", has_text="New orders")
	message.wait_for()
	assert len(re.findall(r"ORD-", message.inner_text())) >= 1
	tab.shot("split")


def test_ship_post_a_tracking_event_and_see_the_public_page_change(desk, fx):
	tab = desk("Logistics Coordinator")
	tab.form("OMS Order", fx["ship_order"])
	tab.wait_status("Processing")
	tab.menu("Create", "Shipment")
	tab.page.wait_for_function("() => cur_frm && cur_frm.doctype === 'OMS Shipment'")
	tab.save()
	tab.submit()
	tab.wait_status("Created")
	token = tab.js("() => cur_frm.doc.tracking_token")
	public = desk(None)
	public.page.goto(f"{BASE}/track/{token}")
	assert "Created" in public.page.locator(".indicator-pill").first.inner_text()
	public.shot("tracking-created")
	tab.menu("Update Status", "In Transit")
	tab.wait_status("In Transit")
	tab.shot("in-transit")
	public.page.reload()
	assert "In Transit" in public.page.locator(".indicator-pill").first.inner_text()
	assert fx["customers"]["shipper"] not in public.page.content()  # nothing about the customer
	public.shot("tracking-in-transit")
	tab.go(f"/app/oms-order/{fx['ship_order']}")
	tab.page.wait_for_function("(n) => cur_frm && cur_frm.doc.name === n", arg=fx["ship_order"])
	tab.wait_status("Shipped")


def test_confirm_a_pickup_at_the_counter_on_a_tablet(desk, fx):
	tab = desk("Store Associate", viewport=(1024, 768))
	tab.go("/app/pickup-counter")
	code = tab.page.locator("#pickup-code")
	code.wait_for()
	code.type("12345x")  # not six digits yet: nothing is looked up
	assert tab.page.locator(".pickup-card").count() == 0
	code.fill("")
	code.type(fx["pickup"]["code"])
	card = tab.page.locator(".pickup-card")
	card.wait_for()
	assert "Pickup Customer" in card.inner_text() and "Browser Tee" in card.inner_text()
	tab.shot("found")
	card.locator(".pickup-confirm").click()
	tab.page.locator(".pickup-message", has_text="Handed over").wait_for()
	tab.shot("handed-over")
	tab.form("OMS Shipment", fx["pickup"]["shipment"])
	tab.wait_status("Picked Up")


def test_plan_a_delivery_route_and_see_its_stops_on_the_map(desk, fx):
	tab = desk("Logistics Coordinator")
	tab.form("Delivery Route", fx["route"])
	tab.page.locator(".page-head button", has_text="Plan Route").click()
	tab.page.locator(".form-message", has_text="shorter").wait_for()
	tab.page.wait_for_function("() => cur_frm.doc.status === 'Planned'")
	route_map = tab.page.locator('.frappe-control[data-fieldname="route_map"] .leaflet-container')
	route_map.scroll_into_view_if_needed()
	tab.page.locator(
		'.frappe-control[data-fieldname="route_map"] .leaflet-overlay-pane path'
	).first.wait_for()
	tab.shot("route-planned")


def test_forms_warn_about_late_shipments_and_locations_without_coordinates(desk, fx):
	tab = desk("Logistics Coordinator")
	tab.form("OMS Shipment", fx["late_shipment"])
	tab.page.locator(".form-message", has_text="Overdue: promised for").wait_for()
	tab.shot("overdue")
	tab.form("Stock Location", fx["nowhere"])
	tab.page.locator(".form-message", has_text="has no coordinates").wait_for()
	tab.shot("no-coordinates")


def test_every_workspace_dashboard_view_and_report_opens(desk, fx):
	tab = desk("OMS Manager")
	for workspace in fx["workspaces"]:
		open_workspace(tab, workspace["title"])
		tab.shot(f"workspace-{slug(workspace['title'])}")
	for name in fx["dashboards"]:
		tab.go(f"/app/dashboard-view/{quote(name)}")
		tab.page.wait_for_selector(".widget-group .widget", state="visible")
		tab.page.wait_for_timeout(800)
		tab.shot(f"dashboard-{slug(name)}")
	for path, selector in (
		("/app/oms-order/view/kanban/OMS Orders by Status", ".kanban-column"),
		("/app/customer-feedback/view/kanban/OMS Complaints", ".kanban-column"),
		("/app/oms-shipment/view/calendar/default", ".fc-view-container"),
		("/app/stock-location/view/map", ".leaflet-container"),
	):
		tab.go(path)
		tab.page.wait_for_selector(selector, state="visible")
		tab.page.wait_for_timeout(500)
		tab.shot(slug(path.split("/view/")[0] + "-" + path.split("/view/")[1]))
	for report in fx["reports"]:
		tab.go(f"/app/query-report/{quote(report)}")
		tab.page.wait_for_function(
			"(r) => window.frappe.query_report && frappe.query_report.report_name === r", arg=report
		)
		# drawn: its rows, or Frappe's "Nothing to show" (no rows yet) or "background report" note
		tab.page.wait_for_function(
			"""() => $('.report-wrapper:visible').length
				|| ['Nothing to show', 'This is a background report'].some(
					(t) => $(frappe.query_report.page.wrapper).find(':visible').text().includes(t))"""
		)
		tab.page.wait_for_timeout(1200)
		assert not tab.page.locator(".modal.show .msgprint", has_text="Traceback").count(), report
		tab.shot(f"report-{slug(report)}")
