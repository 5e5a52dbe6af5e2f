"""The metadata lint passes on the app and catches each kind of breakage it promises to."""

import json
import shutil
from pathlib import Path

import pytest

from tests.metadata_lint import APP_ROOT, lint_app


def test_app_metadata_is_clean():
	assert lint_app() == []


def test_every_doctype_has_controller_and_form_script_and_test():
	missing = []
	for path in APP_ROOT.glob("*/doctype/*/*.json"):
		if path.stem != path.parent.name:
			continue
		data = json.loads(path.read_text())
		expected = [f"{path.stem}.py"]
		if not data.get("istable"):
			expected += [f"{path.stem}.js", f"test_{path.stem}.py"]
		missing += [str(path.parent / name) for name in expected if not (path.parent / name).exists()]
	assert missing == []


@pytest.fixture
def app_copy(tmp_path: Path) -> Path:
	target = tmp_path / "oms_omnichannel"
	shutil.copytree(APP_ROOT, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
	return target


def doctype_json(app: Path, name: str) -> Path:
	folder = name.lower().replace(" ", "_")
	return app / "oms_omnichannel" / "doctype" / folder / f"{folder}.json"


def edit(path: Path, change) -> None:
	data = json.loads(path.read_text())
	change(data)
	path.write_text(json.dumps(data))


def field(data: dict, fieldname: str) -> dict:
	return next(f for f in data["fields"] if f["fieldname"] == fieldname)


def test_broken_json_is_reported(app_copy):
	path = doctype_json(app_copy, "OMS Item")
	path.write_text(path.read_text()[:-20])
	assert any("not valid JSON" in p for p in lint_app(app_copy))


@pytest.mark.parametrize(
	"doctype, change, expected",
	[
		("OMS Item", lambda d: field(d, "sku").update(fieldtype="Strng"), "unknown fieldtype 'Strng'"),
		("OMS Item", lambda d: field(d, "category").update(options="No Such DocType"), "unknown DocType"),
		("OMS Item", lambda d: field(d, "item_name").update(fieldname="ItemName"), "snake_case"),
		("OMS Item", lambda d: field(d, "barcode").update(fieldname="sku"), "duplicate fieldname"),
		("OMS Item", lambda d: d.update(permissions=[]), "no permission rows"),
		("OMS Item", lambda d: d.update(module="Stock"), "module is 'Stock'"),
		(
			"OMS Item",
			lambda d: d["permissions"].append({"role": "All", "read": 1}),
			"never grant the All role",
		),
		(
			"OMS Item",
			lambda d: d["permissions"].append({"role": "Nobody", "read": 1}),
			"unknown role 'Nobody'",
		),
		("OMS Item", lambda d: d.update(is_submittable=1), "needs amended_from"),
		("OMS Item", lambda d: d.update(title_field="nope"), "title_field 'nope' is not a field"),
		("Sales Channel Location", lambda d: d.update(istable=0), "not istable"),
		(
			"Stock Location",
			lambda d: field(d, "location_type").update(default="Castle"),
			"not one of the options",
		),
	],
)
def test_each_breakage_is_reported(app_copy, doctype, change, expected):
	edit(doctype_json(app_copy, doctype), change)
	problems = lint_app(app_copy)
	assert any(expected in p for p in problems), problems


def test_workspace_link_to_unknown_doctype_is_reported(app_copy):
	path = app_copy / "oms_omnichannel" / "workspace" / "oms" / "oms.json"
	edit(
		path,
		lambda d: d["links"].append(
			{"type": "Link", "link_type": "DocType", "link_to": "Ghost", "label": "G"}
		),
	)
	assert any("unknown DocType 'Ghost'" in p for p in lint_app(app_copy))


def test_broken_fixture_is_reported(app_copy):
	(app_copy / "fixtures" / "role.json").write_text("[{")
	assert any("role.json: not valid JSON" in p for p in lint_app(app_copy))


def test_report_without_roles_is_reported(app_copy):
	folder = app_copy / "oms_omnichannel" / "report" / "broken_report"
	folder.mkdir(parents=True)
	(folder / "broken_report.json").write_text(
		json.dumps(
			{
				"doctype": "Report",
				"name": "Broken Report",
				"module": "OMS Omnichannel",
				"report_type": "Script Report",
				"ref_doctype": "OMS Item",
				"roles": [],
			}
		)
	)
	problems = lint_app(app_copy)
	assert any("report has no roles" in p for p in problems)
	assert any("needs broken_report.py" in p for p in problems)


def test_number_card_on_unknown_doctype_is_reported(app_copy):
	path = app_copy / "oms_omnichannel" / "number_card" / "open_orders" / "open_orders.json"
	edit(path, lambda d: d.update(document_type="Ghost Order"))
	assert any("document_type 'Ghost Order' is unknown" in p for p in lint_app(app_copy))


@pytest.mark.parametrize(
	"change, expected",
	[
		(lambda d: d["number_cards"].append({"number_card_name": "Ghost Card"}), "number card 'Ghost Card'"),
		(lambda d: d["charts"].append({"chart_name": "Ghost Chart"}), "chart 'Ghost Chart'"),
		(lambda d: d["shortcuts"][0].update(stats_filter="{status"), "stats_filter is not valid JSON"),
		(lambda d: d["shortcuts"][0].update(format="On Hold"), "its format has no {}"),
		(lambda d: d["shortcuts"][3].update(kanban_board="Ghost Board"), "Kanban board 'Ghost Board'"),
		(lambda d: d["shortcuts"][-1].update(link_to="Ghost Dashboard"), "dashboard 'Ghost Dashboard'"),
		(lambda d: d["roles"].append({"role": "Nobody"}), "unknown role 'Nobody'"),
	],
)
def test_a_workspace_widget_that_does_not_ship_is_reported(app_copy, change, expected):
	edit(app_copy / "oms_omnichannel" / "workspace" / "orders" / "orders.json", change)
	problems = lint_app(app_copy)
	assert any(expected in p for p in problems), problems


def test_a_dashboard_where_migrate_never_looks_is_reported(app_copy):
	folder = app_copy / "oms_omnichannel" / "dashboard" / "lost"
	folder.mkdir(parents=True)
	(folder / "lost.json").write_text(json.dumps({"doctype": "Dashboard", "name": "Lost", "charts": []}))
	assert any("dashboards belong in <module>_dashboard/" in p for p in lint_app(app_copy))


def test_a_page_without_script_or_roles_is_reported(app_copy):
	folder = app_copy / "oms_omnichannel" / "page" / "pickup_counter"
	(folder / "pickup_counter.js").unlink()
	edit(folder / "pickup_counter.json", lambda d: d.update(roles=[]))
	problems = lint_app(app_copy)
	assert any("a page needs pickup_counter.js" in p for p in problems)
	assert any("a page needs roles" in p for p in problems)


def test_every_shipped_role_is_in_the_fixture_export_filter():
	"""Re-exporting fixtures (`bench export-fixtures`) keeps exactly the roles the app ships."""
	from oms_omnichannel import hooks

	shipped = {role["role_name"] for role in json.loads((APP_ROOT / "fixtures" / "role.json").read_text())}
	assert set(hooks.OMS_ROLES) == shipped


def test_every_example_fixture_is_in_the_export_filter_and_switched_off():
	from oms_omnichannel import hooks
	from tests.metadata_lint import lint_example

	filters = {entry["dt"]: set(entry["filters"][0][2]) for entry in hooks.fixtures}
	for path in (APP_ROOT / "fixtures").glob("*.json"):
		for record in json.loads(path.read_text()):
			if record["doctype"] == "Role":
				continue
			assert record["name"] in filters[record["doctype"]], record["name"]
			assert lint_example(path, record) == []


def test_an_enabled_or_broken_example_is_refused():
	from tests.metadata_lint import lint_example

	path = Path("fixtures/server_script.json")
	enabled = {"doctype": "Server Script", "name": "X", "disabled": 0, "script": "pass"}
	broken = {"doctype": "Server Script", "name": "Y", "disabled": 1, "script": "if x:"}
	assert "must ship with disabled = 1" in lint_example(path, enabled)[0]
	assert "does not compile" in lint_example(path, broken)[0]


def test_onboarding_steps_are_shipped_and_point_at_what_exists(tmp_path):
	from tests.metadata_lint import lint_onboarding

	assert (
		lint_onboarding(
			APP_ROOT,
			{
				"OMS Settings",
				"Stock Location",
				"Sales Channel",
				"OMS Item",
				"Channel Listing",
				"User",
				"User Permission",
				"OMS Order",
			},
		)
		== []
	)
	app = tmp_path / "app"
	shutil.copytree(APP_ROOT / "oms_omnichannel" / "module_onboarding", app / "m" / "module_onboarding")
	assert "has no onboarding_step file" in " ".join(lint_onboarding(app, set()))


def test_a_modified_date_in_the_future_is_refused(tmp_path):
	from datetime import date

	from tests.metadata_lint import lint_timestamps

	(tmp_path / "x.json").write_text(json.dumps({"doctype": "Report", "modified": "2026-12-01 09:00:00"}))
	assert "is in the future" in lint_timestamps(tmp_path, today=date(2026, 11, 29))[0]
	assert lint_timestamps(tmp_path, today=date(2026, 12, 1)) == []


def test_every_oms_setting_says_what_it_does():
	settings = json.loads(
		(APP_ROOT / "oms_omnichannel" / "doctype" / "oms_settings" / "oms_settings.json").read_text()
	)
	silent = [
		f["fieldname"]
		for f in settings["fields"]
		if f["fieldtype"] not in ("Section Break", "Column Break", "Tab Break", "HTML")
		and not f.get("description")
	]
	assert silent == []
