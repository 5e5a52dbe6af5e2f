"""The app's translatable strings, found without Frappe (tier 1), and its translation files.

What Frappe 15 translates and where this finds it:
- Python `_("...")` / `_lt("...")` (frappe.translate.extract_messages_from_python_code) and the
  message templates of the pure core: the first argument of `Msg(...)` and of every error class
  deriving from `DomainError`, translated by the Frappe side with `_()` when shown;
- JavaScript `__("...")`, and Jinja `_("...")` in templates, print formats and notification fixtures;
- DocType JSON (frappe.translate.get_messages_from_doctype): its name, description, field labels and
  descriptions, Select options; report names; workspace labels, titles, shortcut and link labels
  and header texts; number card labels, chart names, onboarding titles; roles, workflow states and
  actions, print format names.

Translations live in `oms_omnichannel/translations/<lang>.csv` (source, translation[, context]),
which Frappe 15 reads for an app (frappe.translate.get_translations_from_csv); `zh-TW` falls back
to `zh` for a string it lacks, but we ship both complete.

`python -m tests.i18n_strings [lang]` prints the strings still missing in a language.
"""

from __future__ import annotations

import ast
import csv
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent / "oms_omnichannel"
LANGUAGES = ("zh", "zh-TW")

PY_KEYWORDS = {"_", "_lt"}
JS_CALL = re.compile(r"""\b__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)""")
JINJA_CALL = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*[,)]""")
HTML_TAG = re.compile(r"<[^>]+>")


def is_translatable(text: str | None) -> bool:
	"""frappe.gettext.extractors.utils.is_translatable, and not blank."""
	return bool(
		text
		and text.strip()
		and re.search("[a-zA-Z]", text)
		and not text.startswith("fa fa-")
		and not text.endswith("px")
		and not text.startswith("eval:")
	)


def _unescape(text: str) -> str:
	return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


# ------------------------------------------------------------------ code


def core_message_classes(app_root: Path = APP_ROOT) -> set[str]:
	"""`Msg` and every class of the core that derives (directly or not) from DomainError."""
	bases: dict[str, set[str]] = {}
	for path in (app_root / "core").rglob("*.py"):
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if isinstance(node, ast.ClassDef):
				bases[node.name] = {b.id for b in node.bases if isinstance(b, ast.Name)}
	found = {"DomainError"}
	changed = True
	while changed:
		changed = False
		for name, parents in bases.items():
			if name not in found and parents & found:
				found.add(name)
				changed = True
	return found | {"Msg"}


def python_messages(source: str, template_calls: set[str] = frozenset()) -> Iterator[tuple[str, str | None]]:
	for node in ast.walk(ast.parse(source)):
		if not isinstance(node, ast.Call) or not node.args:
			continue
		func = node.func
		name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
		if name not in PY_KEYWORDS and name not in template_calls:
			continue
		first = node.args[0]
		if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
			continue
		context = None
		if name in PY_KEYWORDS:
			for keyword in node.keywords:
				if keyword.arg == "context" and isinstance(keyword.value, ast.Constant):
					context = keyword.value.value
		yield first.value, context


def js_messages(source: str) -> Iterator[tuple[str, None]]:
	for match in JS_CALL.finditer(source):
		text = next(group for group in match.groups() if group is not None)
		yield _unescape(text), None


def jinja_messages(source: str) -> Iterator[tuple[str, None]]:
	for match in JINJA_CALL.finditer(source):
		text = next(group for group in match.groups() if group is not None)
		yield _unescape(text), None


# ------------------------------------------------------------------ metadata


def _json(path: Path):
	return json.loads(path.read_text(encoding="utf-8"))


def doctype_messages(doc: dict) -> Iterator[str]:
	yield doc.get("name")
	yield doc.get("description")
	for field in doc.get("fields", []):
		yield field.get("label")
		yield field.get("description")
		if field.get("fieldtype") == "Select" and field.get("options"):
			options = field["options"].split("\n")
			if "icon" not in options[0]:
				yield from options


def workspace_messages(doc: dict) -> Iterator[str]:
	yield doc.get("label")
	yield doc.get("title")
	for key in ("shortcuts", "links", "quick_lists", "charts", "number_cards", "custom_blocks"):
		for row in doc.get(key, []):
			yield row.get("label")
	for block in json.loads(doc.get("content") or "[]"):
		if block.get("type") == "header":
			yield html.unescape(HTML_TAG.sub("", block.get("data", {}).get("text", ""))).strip()


def fixture_messages(path: Path) -> Iterator[str]:
	for record in _json(path):
		doctype = record.get("doctype")
		if doctype == "Role":
			yield record.get("role_name")
		elif doctype in ("Workflow State", "Workflow Action Master"):
			yield record.get("name")
		elif doctype == "Workflow":
			for state in record.get("states", []):
				yield state.get("state")
				yield state.get("message")
			for transition in record.get("transitions", []):
				yield transition.get("action")
		elif doctype == "Notification":
			for key in ("subject", "message"):
				for text, _context in jinja_messages(record.get(key) or ""):
					yield text


def app_messages(app_root: Path = APP_ROOT) -> dict[tuple[str, str | None], set[str]]:
	"""Every translatable (message, context) of the app, with the files it comes from."""
	found: dict[tuple[str, str | None], set[str]] = {}

	def add(message: str | None, where: Path, context: str | None = None) -> None:
		if is_translatable(message):
			found.setdefault((message.strip(), context), set()).add(str(where.relative_to(app_root)))

	template_calls = core_message_classes(app_root)
	for path in sorted(app_root.rglob("*")):
		if "__pycache__" in path.parts or "public/dist" in str(path) or not path.is_file():
			continue
		suffix = path.suffix
		if suffix == ".py":
			for message, context in python_messages(path.read_text(encoding="utf-8"), template_calls):
				add(message, path, context)
		elif suffix in (".js", ".vue"):
			for message, context in js_messages(path.read_text(encoding="utf-8")):
				add(message, path, context)
		elif suffix == ".html":
			text = path.read_text(encoding="utf-8")
			for message, context in [*jinja_messages(text), *js_messages(text)]:
				add(message, path, context)
		elif suffix == ".json":
			parent = path.parent.parent.name
			if path.parent.name == "fixtures":
				for message in fixture_messages(path):
					add(message, path)
				continue
			if path.stem != path.parent.name:
				continue
			doc = _json(path)
			if not isinstance(doc, dict):
				continue
			if parent == "doctype" and doc.get("doctype") == "DocType":
				for message in doctype_messages(doc):
					add(message, path)
			elif parent == "report":
				add(doc.get("report_name"), path)
				for column in doc.get("columns", []):
					add(column.get("label"), path, f"Column of report '{doc.get('report_name')}'")
				for flt in doc.get("filters", []):
					add(flt.get("label"), path)
			elif parent == "workspace":
				for message in workspace_messages(doc):
					add(message, path)
			elif parent == "number_card":
				add(doc.get("label"), path)
			elif parent == "dashboard_chart":
				add(doc.get("chart_name"), path)
			elif parent == "dashboard":
				add(doc.get("dashboard_name"), path)
			elif parent == "module_onboarding":
				add(doc.get("title"), path)
				add(doc.get("subtitle"), path)
				add(doc.get("success_message"), path)
			elif parent == "onboarding_step":
				add(doc.get("title"), path)
				add(doc.get("action_label"), path)
			elif parent == "print_format":
				add(doc.get("name"), path)
	return found


# ------------------------------------------------------------------ translation files


def translation_file(lang: str, app_root: Path = APP_ROOT) -> Path:
	return app_root / "translations" / f"{lang}.csv"


def read_translations(lang: str, app_root: Path = APP_ROOT) -> dict[tuple[str, str | None], str]:
	"""As frappe.translate.get_translation_dict_from_file reads it: source, translation[, context]."""
	path = translation_file(lang, app_root)
	if not path.exists():
		return {}
	with path.open(encoding="utf-8", newline="") as handle:
		rows = list(csv.reader(handle))
	return {(row[0], row[2] if len(row) > 2 and row[2] else None): row[1].strip() for row in rows if row}


def write_translations(lang: str, translations: dict[tuple[str, str | None], str], app_root: Path = APP_ROOT):
	"""Sorted like frappe.translate.write_csv_file, one row per (source, context)."""
	path = translation_file(lang, app_root)
	path.parent.mkdir(exist_ok=True)
	with path.open("w", encoding="utf-8", newline="") as handle:
		writer = csv.writer(handle, lineterminator="\n")
		for (source, context), text in sorted(
			translations.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
		):
			writer.writerow([source, text, context or ""])


def missing(lang: str, app_root: Path = APP_ROOT) -> list[tuple[str, str | None]]:
	"""The app's messages without a translation in `lang` (a context-free translation covers a
	message with context, as Frappe falls back to it)."""
	have = read_translations(lang, app_root)
	return sorted(key for key in app_messages(app_root) if not have.get(key) and not have.get((key[0], None)))


def placeholders(text: str) -> list[str]:
	return sorted(re.findall(r"\{\d*\}", text))


if __name__ == "__main__":
	for lang in sys.argv[1:] or LANGUAGES:
		for message, context in missing(lang):
			print(f"{lang}\t{message!r}\t{context or ''}")
