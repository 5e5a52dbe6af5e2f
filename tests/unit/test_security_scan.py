"""The security scan passes on the app, and catches each kind of finding it promises to."""

import json
import re
import textwrap
from pathlib import Path

import pytest

from tests.security_scan import APP_ROOT, scan_app, whitelisted


def test_the_app_has_no_security_findings():
	assert scan_app() == []


def test_the_scan_sees_every_whitelisted_method():
	names = {function.dotted for function in whitelisted()}
	assert "oms_omnichannel.api.v1.orders.ingest" in names
	assert (
		"oms_omnichannel.oms_omnichannel.doctype.oms_shipment.oms_shipment.OMSShipment.confirm_pickup"
		in names
	)
	source_count = sum(
		len(re.findall(r"^\s*@frappe\.whitelist", path.read_text(), re.M))
		for path in APP_ROOT.rglob("*.py")
		if not path.name.startswith("test_") and "tests" not in path.relative_to(APP_ROOT).parts
	)
	assert len(names) == source_count


@pytest.fixture
def app(tmp_path: Path):
	"""A tiny app with the same layout, to plant findings in."""
	root = tmp_path / "oms_omnichannel"
	(root / "api").mkdir(parents=True)
	(root / "__init__.py").write_text("")
	(root / "api" / "__init__.py").write_text("")
	(root / "hooks.py").write_text('app_name = "oms_omnichannel"\n')

	def write(relative: str, source: str) -> Path:
		path = root / relative
		path.parent.mkdir(parents=True, exist_ok=True)
		path.write_text(textwrap.dedent(source))
		return path

	write.root = root
	return write


def findings(app, rule: str) -> list[str]:
	return [f for f in scan_app(app.root) if f": {rule}: " in f]


def test_a_whitelisted_method_with_parameters_needs_check_arguments(app):
	app(
		"api/args.py",
		"""
		import frappe
		from oms_omnichannel.utils import check_arguments

		@frappe.whitelist()
		def unchecked(name: str):
			frappe.only_for("OMS Manager")

		@frappe.whitelist()
		@check_arguments
		def checked(name: str):
			frappe.only_for("OMS Manager")

		@frappe.whitelist()
		def no_parameters():
			frappe.only_for("OMS Manager")
		""",
	)
	found = findings(app, "arguments")
	assert len(found) == 1 and "unchecked" in found[0]


def test_a_whitelisted_method_without_a_check_is_found(app):
	app(
		"api/open.py",
		"""
		import frappe

		@frappe.whitelist()
		def leak(name: str):
			return frappe.get_all("OMS Order", filters={"name": name})
		""",
	)
	assert len(findings(app, "permission")) == 1


def test_a_check_in_a_helper_counts_and_so_does_a_reasoned_exemption(app):
	app(
		"api/helper.py",
		"""
		import frappe
		from oms_omnichannel.api.checks import get_order

		@frappe.whitelist()
		def via_helper(name: str):
			return get_order(name).as_dict()

		@frappe.whitelist()
		def public_constant() -> int:
			# no-permission-check: returns a constant of the code, no data of the site
			return 42
		""",
	)
	app(
		"api/checks.py",
		"""
		import frappe

		def get_order(name):
			doc = frappe.get_doc("OMS Order", name)
			doc.check_permission("write")
			return doc
		""",
	)
	assert findings(app, "permission") == []


def test_an_exemption_needs_a_reason(app):
	app(
		"api/bare.py",
		"""
		import frappe

		@frappe.whitelist()
		def constant() -> int:
			# no-permission-check:
			return 42
		""",
	)
	assert len(findings(app, "permission")) == 1


def test_a_has_permission_whose_answer_is_dropped_is_found(app):
	app(
		"api/dropped.py",
		"""
		import frappe

		@frappe.whitelist()
		def delete(name: str):
			frappe.has_permission("OMS Order", "delete")
			frappe.delete_doc("OMS Order", name)
		""",
	)
	assert any("ignores the answer" in f for f in findings(app, "permission"))


def test_ignore_permissions_reached_from_a_request_needs_a_reason(app):
	app(
		"api/writes.py",
		"""
		import frappe
		from oms_omnichannel.services import store

		@frappe.whitelist(methods=["POST"])
		def save(name: str):
			frappe.only_for("OMS Manager")
			store(name)
		""",
	)
	app(
		"services.py",
		"""
		import frappe

		def store(name):
			frappe.get_doc({"doctype": "ToDo", "description": name}).insert(ignore_permissions=True)

		def nightly():
			frappe.get_doc({"doctype": "ToDo", "description": "x"}).insert(ignore_permissions=True)
		""",
	)
	found = findings(app, "ignore-permissions")
	assert len(found) == 1 and "services.store" in found[0]  # nightly is reached by no request


def test_ignore_permissions_with_a_reason_passes(app):
	app(
		"api/writes.py",
		"""
		import frappe

		@frappe.whitelist(methods=["POST"])
		def save(name: str):
			frappe.only_for("OMS Manager")
			doc = frappe.get_doc("OMS Order", name)
			# ignore-permissions: the role check above is the rule for this action
			doc.flags.ignore_permissions = True
			doc.save()
		""",
	)
	assert findings(app, "ignore-permissions") == []


@pytest.mark.parametrize(
	"query",
	[
		'f"select name from `tabOMS Order` where name = {name!r}"',
		'"select name from `tabOMS Order` where name = %s" % name',
		'"select name from `tabOMS Order` where name = {0}".format(name)',
		'"select name from `tabOMS Order` where name = " + name',
	],
)
def test_sql_built_by_formatting_is_found(app, query):
	app(
		"reports.py",
		f"""
		import frappe

		def find(name):
			return frappe.db.sql({query})
		""",
	)
	assert len(findings(app, "sql")) == 1


def test_formatted_sql_through_a_variable_or_a_helper_is_found(app):
	app(
		"reports.py",
		"""
		import frappe

		def find(name, read):
			query = f"select name from `tabOMS Order` where customer = '{name}'"
			frappe.db.sql(query)
			read(f"select name from `tabCustomer Profile` where email = '{name}'")
		""",
	)
	assert len(findings(app, "sql")) == 2


def test_parameterised_sql_and_reasoned_identifiers_pass(app):
	app(
		"reports.py",
		"""
		import frappe

		LOCK = " for update"

		def find(name, doctype):
			frappe.db.sql("select name from `tabOMS Order` where name = %s" + LOCK, name)
			table = frappe.get_meta(doctype).name
			# safe-sql: table is a DocType name from metadata, never request input
			frappe.db.sql(f"select name from `tab{table}` where name = %s", name)
		""",
	)
	assert findings(app, "sql") == []


def test_guest_is_allowed_only_for_signed_connector_webhooks(app):
	app(
		"api/public.py",
		"""
		import frappe

		@frappe.whitelist(allow_guest=True)
		def status(order: str):
			return frappe.db.get_value("OMS Order", order, "status")
		""",
	)
	app(
		"channels/connectors/shop.py",
		'''
		import hmac
		import frappe

		@frappe.whitelist(allow_guest=True, methods=["POST"])
		def order_webhook():
			"""Shop order webhook: refused unless the HMAC signature matches."""
			verify()

		@frappe.whitelist(allow_guest=True, methods=["POST"])
		def unsigned_webhook():
			"""Takes anything."""
			return frappe.request.data

		def verify():
			if not hmac.compare_digest(frappe.get_request_header("X-Signature") or "", "x"):
				frappe.throw("bad signature", frappe.AuthenticationError)
		''',
	)
	app(
		"api/v1/webhooks.py",
		'''
		import frappe
		from oms_omnichannel.channels.connectors.shop import verify

		@frappe.whitelist(allow_guest=True, methods=["POST"])
		def shop():
			"""The shop's URL: the connector checks the signature."""
			verify()

		@frappe.whitelist(allow_guest=True, methods=["POST"])
		def open_door():
			"""Takes anything."""
			return frappe.request.data
		''',
	)
	found = findings(app, "guest")
	assert len(found) == 3, found
	assert any("api/public.py" in f for f in found)
	assert any("unsigned_webhook" in f and "compare_digest" in f for f in found)
	assert any("open_door" in f and "compare_digest" in f for f in found)


def test_only_the_tracking_page_is_public(app):
	app("www/track.py", "def get_context(context):\n\treturn context\n")
	app("www/orders.py", "def get_context(context):\n\treturn context\n")
	doctype = app.root / "oms_omnichannel" / "doctype" / "thing" / "thing.json"
	doctype.parent.mkdir(parents=True)
	doctype.write_text(
		json.dumps({"doctype": "DocType", "name": "Thing", "permissions": [{"role": "Guest", "read": 1}]})
	)
	found = findings(app, "guest")
	assert len(found) == 2, found
	assert any("www/orders.py" in f for f in found)
	assert any("Guest role" in f for f in found)
