"""Lint of the app's metadata: DocType, report, workspace and fixture JSON.

Runs without Frappe (tier 1). `lint_app(path)` returns a list of problems, one string each;
`python -m tests.metadata_lint` prints them and exits non-zero when there are any.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

MODULE = "OMS Omnichannel"
APP_ROOT = Path(__file__).resolve().parent.parent / "oms_omnichannel"

# Frappe v15 field types (frappe/model/__init__.py: data_fieldtypes, table_fields, no_value_fields).
DATA_FIELDTYPES = {
	"Autocomplete", "Attach", "Attach Image", "Barcode", "Check", "Code", "Color", "Currency", "Data",
	"Date", "Datetime", "Duration", "Dynamic Link", "Float", "Geolocation", "HTML Editor", "Icon", "Int",
	"JSON", "Link", "Long Text", "Markdown Editor", "Password", "Percent", "Phone", "Rating", "Read Only",
	"Select", "Signature", "Small Text", "Text", "Text Editor", "Time",
}  # fmt: skip
TABLE_FIELDTYPES = {"Table", "Table MultiSelect"}
LAYOUT_FIELDTYPES = {
	"Section Break",
	"Column Break",
	"Tab Break",
	"HTML",
	"Button",
	"Image",
	"Fold",
	"Heading",
}
VALID_FIELDTYPES = DATA_FIELDTYPES | TABLE_FIELDTYPES | LAYOUT_FIELDTYPES

# DocTypes of Frappe itself that an app's Link fields may point at.
FRAPPE_DOCTYPES = {
	"User", "Role", "Role Profile", "Module Def", "DocType", "Currency", "Country", "Address", "Contact",
	"File", "Report", "Workspace", "Print Format", "Email Template", "Email Account", "Language", "Gender",
	"Salutation", "Communication", "Comment", "ToDo", "Webhook", "Notification", "Workflow",
	"Workflow State", "Workflow Action Master", "Page", "Dashboard Chart", "Number Card", "Letter Head",
	"Web Page", "User Permission", "Custom Field", "Property Setter", "Version", "Error Log",
	"Scheduled Job Type", "Prepared Report", "Data Import", "Auto Repeat", "Assignment Rule", "Tag",
	"Event", "Note", "Energy Point Log", "System Settings",
}  # fmt: skip
FRAPPE_ROLES = {
	"System Manager",
	"Administrator",
	"Guest",
	"All",
	"Desk User",
	"Website Manager",
	"Report Manager",
}

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")
NAMING_RULES = {
	"", "Set by user", "Autoincrement", "By fieldname", 'By "Naming Series" field', "Expression",
	"Expression (old style)", "Random", "By script",
}  # fmt: skip
PERMISSION_FLAGS = {
	"read", "write", "create", "delete", "submit", "cancel", "amend", "report", "export", "import",
	"print", "email", "share", "select", "if_owner", "set_user_permissions",
}  # fmt: skip
REPORT_TYPES = {"Script Report", "Query Report", "Report Builder"}


def load_json(path: Path, problems: list[str]):
	try:
		return json.loads(path.read_text(encoding="utf-8"))
	except (ValueError, UnicodeDecodeError) as error:
		problems.append(f"{path}: not valid JSON ({error})")
		return None


def snake(name: str) -> str:
	return name.lower().replace(" ", "_").replace("-", "_")


def app_roles(app_root: Path) -> set[str]:
	"""Roles the app ships as fixtures."""
	path = app_root / "fixtures" / "role.json"
	if not path.exists():
		return set()
	try:
		return {row.get("role_name") or row.get("name") for row in json.loads(path.read_text())}
	except ValueError:
		return set()


def collect_doctypes(app_root: Path, problems: list[str]) -> dict[str, tuple[Path, dict]]:
	doctypes: dict[str, tuple[Path, dict]] = {}
	for path in sorted(app_root.glob("*/doctype/*/*.json")):
		if path.stem != path.parent.name:
			continue  # e.g. test_records.json
		data = load_json(path, problems)
		if data is None:
			continue
		if not isinstance(data, dict) or data.get("doctype") != "DocType":
			problems.append(f"{path}: not a DocType definition")
			continue
		name = data.get("name")
		if not name:
			problems.append(f"{path}: DocType has no name")
			continue
		if snake(name) != path.parent.name:
			problems.append(f"{path}: folder {path.parent.name} does not match DocType name {name!r}")
		doctypes[name] = (path, data)
	return doctypes


def lint_doctype(
	name: str, path: Path, data: dict, known: set[str], roles: set[str], parent_fields: set[str] = frozenset()
) -> list[str]:
	problems: list[str] = []
	where = f"{path} ({name})"
	if data.get("module") != MODULE:
		problems.append(f"{where}: module is {data.get('module')!r}, expected {MODULE!r}")
	if data.get("naming_rule", "") not in NAMING_RULES:
		problems.append(f"{where}: unknown naming_rule {data.get('naming_rule')!r}")
	autoname = data.get("autoname") or ""
	fields = data.get("fields")
	if not isinstance(fields, list):
		return [*problems, f"{where}: fields must be a list"]
	fieldnames = [f.get("fieldname") for f in fields]
	seen: set[str] = set()
	for field in fields:
		fieldname, fieldtype = field.get("fieldname"), field.get("fieldtype")
		label = f"{where} field {fieldname!r}"
		if not fieldname or not SNAKE_CASE.match(fieldname):
			problems.append(f"{label}: fieldname must be snake_case")
		if fieldname in seen:
			problems.append(f"{label}: duplicate fieldname")
		seen.add(fieldname)
		if fieldtype not in VALID_FIELDTYPES:
			problems.append(f"{label}: unknown fieldtype {fieldtype!r}")
		options = field.get("options")
		if fieldtype in ("Link", *TABLE_FIELDTYPES):
			if not options:
				problems.append(f"{label}: {fieldtype} needs options (the target DocType)")
			elif options not in known:
				problems.append(f"{label}: {fieldtype} points at unknown DocType {options!r}")
		if fieldtype == "Dynamic Link" and options not in fieldnames:
			problems.append(f"{label}: Dynamic Link options must name a field of this DocType")
		if fieldtype == "Select" and field.get("default") and options:
			if field["default"] not in options.split("\n"):
				problems.append(f"{label}: default {field['default']!r} is not one of the options")
		currency_sources = set(fieldnames) | set(parent_fields)  # a child row's currency lives on its parent
		if (
			fieldtype == "Currency"
			and options
			and options not in currency_sources | known
			and ":" not in options
		):
			problems.append(f"{label}: Currency options {options!r} is neither a field nor a link path")
	if data.get("field_order") and list(data["field_order"]) != fieldnames:
		problems.append(f"{where}: field_order does not list the fields in order")
	for key in ("title_field", "image_field", "sort_field"):
		value = data.get(key)
		if value and value not in fieldnames and value not in ("modified", "creation", "name", "idx"):
			problems.append(f"{where}: {key} {value!r} is not a field")
	for value in (data.get("search_fields") or "").split(","):
		if value.strip() and value.strip() not in fieldnames:
			problems.append(f"{where}: search field {value.strip()!r} is not a field")
	if autoname.startswith("field:") and autoname[6:] not in fieldnames:
		problems.append(f"{where}: autoname field {autoname[6:]!r} is not a field")
	if data.get("istable"):
		if data.get("permissions"):
			problems.append(f"{where}: a child table carries no permission rows")
		if data.get("is_submittable"):
			problems.append(f"{where}: a child table cannot be submittable")
	else:
		permissions = data.get("permissions") or []
		if not permissions:
			problems.append(f"{where}: no permission rows")
		for row in permissions:
			role = row.get("role")
			if role not in roles and role not in FRAPPE_ROLES:
				problems.append(f"{where}: permission row for unknown role {role!r}")
			if role == "All":
				problems.append(f"{where}: never grant the All role")
			unknown = {
				k for k, v in row.items() if k not in PERMISSION_FLAGS | {"role", "permlevel", "doctype"}
			}
			if unknown:
				problems.append(f"{where}: unknown permission keys {sorted(unknown)}")
			if not data.get("is_submittable") and any(row.get(k) for k in ("submit", "cancel", "amend")):
				problems.append(f"{where}: submit/cancel/amend granted on a DocType that is not submittable")
	if data.get("is_submittable"):
		amended = next((f for f in fields if f.get("fieldname") == "amended_from"), None)
		if not amended or amended.get("fieldtype") != "Link" or amended.get("options") != name:
			problems.append(f"{where}: a submittable DocType needs amended_from (Link to itself)")
	return problems


def child_tables_used(doctypes: dict[str, tuple[Path, dict]]) -> dict[str, str]:
	used = {}
	for name, (_, data) in doctypes.items():
		for field in data.get("fields", []):
			if field.get("fieldtype") in TABLE_FIELDTYPES:
				used[field.get("options")] = name
	return used


def lint_reports(app_root: Path, known: set[str], roles: set[str]) -> list[str]:
	problems: list[str] = []
	for path in sorted(app_root.glob("*/report/*/*.json")):
		if path.stem != path.parent.name:
			continue
		data = load_json(path, problems)
		if data is None:
			continue
		where = f"{path}"
		if data.get("doctype") != "Report":
			problems.append(f"{where}: not a Report definition")
			continue
		if data.get("module") != MODULE:
			problems.append(f"{where}: module must be {MODULE!r}")
		if data.get("report_type") not in REPORT_TYPES:
			problems.append(f"{where}: unknown report_type {data.get('report_type')!r}")
		if data.get("ref_doctype") not in known:
			problems.append(f"{where}: ref_doctype {data.get('ref_doctype')!r} is unknown")
		if snake(data.get("name", "")) != path.parent.name:
			problems.append(f"{where}: folder does not match report name {data.get('name')!r}")
		if data.get("report_type") == "Script Report" and not (path.parent / f"{path.stem}.py").exists():
			problems.append(f"{where}: a Script Report needs {path.stem}.py")
		if not data.get("roles"):
			problems.append(f"{where}: report has no roles")
		for row in data.get("roles") or []:
			if row.get("role") not in roles | FRAPPE_ROLES:
				problems.append(f"{where}: unknown role {row.get('role')!r}")
	return problems


def lint_workspaces(app_root: Path, known: set[str]) -> list[str]:
	problems: list[str] = []
	reports = {
		(json.loads(p.read_text()) or {}).get("name")
		for p in app_root.glob("*/report/*/*.json")
		if p.stem == p.parent.name and _parses(p)
	}
	for path in sorted(app_root.glob("*/workspace/*/*.json")):
		data = load_json(path, problems)
		if data is None:
			continue
		where = f"{path}"
		if data.get("doctype") != "Workspace":
			problems.append(f"{where}: not a Workspace definition")
			continue
		try:
			content = json.loads(data.get("content") or "[]")
		except ValueError as error:
			problems.append(f"{where}: content is not valid JSON ({error})")
			content = []
		shortcut_labels = {s.get("label") for s in data.get("shortcuts", [])}
		card_labels = {lnk.get("label") for lnk in data.get("links", []) if lnk.get("type") == "Card Break"}
		for block in content:
			block_data = block.get("data", {})
			if block.get("type") == "shortcut" and block_data.get("shortcut_name") not in shortcut_labels:
				problems.append(
					f"{where}: shortcut block {block_data.get('shortcut_name')!r} has no shortcut"
				)
			if block.get("type") == "card" and block_data.get("card_name") not in card_labels:
				problems.append(f"{where}: card block {block_data.get('card_name')!r} has no Card Break")
		for link in data.get("links", []):
			if link.get("type") != "Link":
				continue
			target = link.get("link_to")
			if link.get("link_type") == "DocType" and target not in known:
				problems.append(f"{where}: link to unknown DocType {target!r}")
			if link.get("link_type") == "Report" and target not in reports:
				problems.append(f"{where}: link to unknown report {target!r}")
		for shortcut in data.get("shortcuts", []):
			if shortcut.get("type") == "DocType" and shortcut.get("link_to") not in known:
				problems.append(f"{where}: shortcut to unknown DocType {shortcut.get('link_to')!r}")
	return problems


def _parses(path: Path) -> bool:
	try:
		json.loads(path.read_text())
		return True
	except ValueError:
		return False


def lint_cards_and_charts(app_root: Path, known: set[str]) -> list[str]:
	"""Number Cards and Dashboard Charts: on a known DocType, with filters that parse."""
	problems: list[str] = []
	for kind, folder in (("Number Card", "number_card"), ("Dashboard Chart", "dashboard_chart")):
		for path in sorted(app_root.glob(f"*/{folder}/*/*.json")):
			data = load_json(path, problems)
			if data is None:
				continue
			if data.get("doctype") != kind or snake(data.get("name", "")) != path.parent.name:
				problems.append(f"{path}: not a {kind} named after its folder")
				continue
			if data.get("module") != MODULE or not data.get("is_standard"):
				problems.append(f"{path}: must be a standard {kind} of module {MODULE!r}")
			if data.get("document_type") not in known:
				problems.append(f"{path}: document_type {data.get('document_type')!r} is unknown")
			try:
				json.loads(data.get("filters_json") or "[]")
			except ValueError as error:
				problems.append(f"{path}: filters_json is not valid JSON ({error})")
	return problems


def lint_fixtures(app_root: Path) -> list[str]:
	problems: list[str] = []
	for path in sorted((app_root / "fixtures").glob("*.json")):
		data = load_json(path, problems)
		if data is None:
			continue
		if not isinstance(data, list):
			problems.append(f"{path}: a fixture file holds a list of records")
			continue
		for index, record in enumerate(data):
			if not isinstance(record, dict) or not record.get("doctype"):
				problems.append(f"{path}: record {index} has no doctype")
				continue
			problems += lint_example(path, record)
	return problems


# Examples ship switched off: an administrator copies one and enables the copy.
SWITCHED_OFF = {"Server Script": ("disabled", 1), "Client Script": ("enabled", 0), "Webhook": ("enabled", 0)}


def lint_example(path: Path, record: dict) -> list[str]:
	problems = []
	switch = SWITCHED_OFF.get(record["doctype"])
	if switch and record.get(switch[0]) != switch[1]:
		problems.append(
			f"{path}: {record.get('name')} is an example and must ship with {switch[0]} = {switch[1]}"
		)
	if record["doctype"] == "Server Script":
		try:
			compile(record.get("script") or "", record.get("name") or "script", "exec")
		except SyntaxError as error:
			problems.append(f"{path}: {record.get('name')} does not compile ({error})")
		if ".format(" in (record.get("script") or ""):  # RestrictedPython refuses str.format at run time
			problems.append(f"{path}: {record.get('name')} uses str.format, which Server Scripts may not")
	return problems


def lint_app(app_root: Path = APP_ROOT) -> list[str]:
	problems: list[str] = []
	modules = (app_root / "modules.txt").read_text().split() if (app_root / "modules.txt").exists() else []
	if " ".join(modules) != MODULE:
		problems.append(f"{app_root / 'modules.txt'}: must name the module {MODULE!r}")
	doctypes = collect_doctypes(app_root, problems)
	known = set(doctypes) | FRAPPE_DOCTYPES
	roles = app_roles(app_root)
	used_in = child_tables_used(doctypes)
	for name, (path, data) in doctypes.items():
		parent = doctypes.get(used_in.get(name, ""), (None, {}))[1]
		parent_fields = {f.get("fieldname") for f in parent.get("fields", [])}
		problems += lint_doctype(name, path, data, known, roles, parent_fields)
	for child, parent in child_tables_used(doctypes).items():
		if child in doctypes and not doctypes[child][1].get("istable"):
			problems.append(
				f"{doctypes[child][0]}: {child} is used as a table in {parent} but is not istable"
			)
	problems += lint_reports(app_root, known, roles)
	problems += lint_workspaces(app_root, known)
	problems += lint_cards_and_charts(app_root, known)
	problems += lint_onboarding(app_root, known)
	problems += lint_desk_widgets(app_root, roles)
	problems += lint_fixtures(app_root)
	problems += lint_timestamps(app_root)
	return problems


def _shipped_names(app_root: Path, folder: str) -> set[str]:
	return {
		(json.loads(p.read_text()) or {}).get("name")
		for p in app_root.glob(f"*/{folder}/*/*.json")
		if p.stem == p.parent.name and _parses(p)
	}


def lint_desk_widgets(app_root: Path, roles: set[str]) -> list[str]:
	"""What workspaces and dashboards show ships with the app: their number cards, charts, Kanban
	boards (fixtures), dashboards and pages; live-count shortcuts have a filter that parses and a
	format with `{}`; workspaces and pages name only known roles."""
	problems: list[str] = []
	cards = _shipped_names(app_root, "number_card")
	charts = _shipped_names(app_root, "dashboard_chart")
	# Frappe's migrate imports dashboards only from <module>/<module>_dashboard/ (utils/dashboard.py)
	dashboards = _shipped_names(app_root, "*_dashboard")
	for path in sorted(app_root.glob("*/dashboard/*/*.json")):
		problems.append(
			f"{path}: dashboards belong in <module>_dashboard/ (migrate never imports dashboard/)"
		)
	pages = _shipped_names(app_root, "page")
	boards_file = app_root / "setup" / "kanban_boards.json"  # made by setup.install, not a fixture
	boards = {b.get("name") for b in json.loads(boards_file.read_text())} if boards_file.exists() else set()
	known_roles = roles | {"System Manager"}
	for path in sorted(app_root.glob("*/workspace/*/*.json")) + sorted(
		app_root.glob("*/*_dashboard/*/*.json")
	):
		data = json.loads(path.read_text()) if _parses(path) else {}
		for row in data.get("number_cards", []) + data.get("cards", []):
			name = row.get("number_card_name") or row.get("card")
			if name not in cards:
				problems.append(f"{path}: number card {name!r} is not shipped")
		for row in data.get("charts", []):
			name = row.get("chart_name") or row.get("chart")
			if name not in charts:
				problems.append(f"{path}: chart {name!r} is not shipped")
		for row in data.get("shortcuts", []):
			label = row.get("label")
			if row.get("stats_filter"):
				try:
					json.loads(row["stats_filter"])
				except ValueError:
					problems.append(f"{path}: shortcut {label!r}: stats_filter is not valid JSON")
				if "{}" not in (row.get("format") or ""):
					problems.append(f"{path}: shortcut {label!r} counts but its format has no {{}}")
			if row.get("kanban_board") and row["kanban_board"] not in boards:
				problems.append(
					f"{path}: shortcut {label!r}: Kanban board {row['kanban_board']!r} is not shipped"
				)
			if row.get("type") == "Dashboard" and row.get("link_to") not in dashboards:
				problems.append(
					f"{path}: shortcut {label!r}: dashboard {row.get('link_to')!r} is not shipped"
				)
			if row.get("type") == "Page" and row.get("link_to") not in pages:
				problems.append(f"{path}: shortcut {label!r}: page {row.get('link_to')!r} is not shipped")
		for row in data.get("roles", []):
			if row.get("role") not in known_roles:
				problems.append(f"{path}: unknown role {row.get('role')!r}")
	for path in sorted(app_root.glob("*/page/*/*.json")):
		data = json.loads(path.read_text()) if _parses(path) else {}
		if not (path.parent / f"{path.stem}.js").exists():
			problems.append(f"{path}: a page needs {path.stem}.js")
		if not data.get("roles"):
			problems.append(f"{path}: a page needs roles")
		for row in data.get("roles", []):
			if row.get("role") not in known_roles:
				problems.append(f"{path}: unknown role {row.get('role')!r}")
	return problems


def lint_timestamps(app_root: Path, today: date | None = None) -> list[str]:
	"""No `modified` in the future. Frappe imports a workspace, report, chart or onboarding file only
	when its `modified` is newer than the site's copy: a future date there makes every later edit
	with a true date invisible on the sites that imported it."""
	latest = (today or date.today()) + timedelta(days=1)
	problems = []
	for path in sorted(app_root.rglob("*.json")):
		try:
			data = json.loads(path.read_text())
		except ValueError:
			continue  # reported by the lint of its kind
		modified = data.get("modified") if isinstance(data, dict) else None
		if modified and modified[:10] > latest.isoformat():
			problems.append(f"{path}: modified {modified} is in the future")
	return problems


def lint_onboarding(app_root: Path, known: set[str]) -> list[str]:
	"""Every step a Module Onboarding lists ships with the app and points at what exists."""
	problems: list[str] = []
	steps = {}
	for path in sorted(app_root.glob("*/onboarding_step/*/*.json")):
		data = load_json(path, problems)
		if data is None:
			continue
		steps[data.get("name")] = data
		if data.get("reference_document") and data["reference_document"] not in known:
			problems.append(f"{path}: reference_document {data['reference_document']!r} is unknown")
		report = data.get("reference_report")
		if report and not list(app_root.glob(f"*/report/*/{report.lower().replace(' ', '_')}.json")):
			problems.append(f"{path}: reference_report {report!r} is not a report of the app")
	for path in sorted(app_root.glob("*/module_onboarding/*/*.json")):
		data = load_json(path, problems)
		if data is None:
			continue
		if data.get("module") != MODULE:
			problems.append(f"{path}: module must be {MODULE!r}")
		for row in data.get("steps", []):
			if row.get("step") not in steps:
				problems.append(f"{path}: step {row.get('step')!r} has no onboarding_step file")
	return problems


if __name__ == "__main__":
	found = lint_app(Path(sys.argv[1]) if len(sys.argv) > 1 else APP_ROOT)
	print("\n".join(found) or "metadata lint: no problems")
	sys.exit(1 if found else 0)
