"""Every string the app shows has its Chinese, Simplified (zh) and Traditional (zh-TW), and the
core's sentences are translatable templates."""

import ast
import re

import pytest

from oms_omnichannel.core.messages import Msg, join
from oms_omnichannel.core.sourcing import CandidateLocation, Delivery, OrderLine, source
from tests.i18n_strings import (
	APP_ROOT,
	LANGUAGES,
	app_messages,
	core_message_classes,
	jinja_messages,
	js_messages,
	missing,
	placeholders,
	python_messages,
	read_translations,
)

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_app_string_has_its_chinese(lang):
	lacking = missing(lang)
	assert not lacking, (
		f"{len(lacking)} strings lack their {lang} translation "
		f"(add them to zh.csv with `python -m tools.translations add`, then "
		f"`python -m tools.translations traditional`): {lacking[:20]}"
	)


PROPER_NAMES = {"Shopify", "WooCommerce"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders_and_are_chinese(lang):
	wrong = [
		(source, text)
		for (source, _context), text in read_translations(lang).items()
		if set(placeholders(source)) != set(placeholders(text))
		or set(re.findall(r"\{[a-z_]+\}", source)) != set(re.findall(r"\{[a-z_]+\}", text))
	]
	assert not wrong, wrong[:10]
	# a translation equal to its English is allowed only for codes (naming series, SKU, OMS, kg...)
	# and the platforms' own names
	untranslated = [
		source
		for (source, _context), text in read_translations(lang).items()
		if not HAN.search(text)
		and re.search(r"[a-z]{3}", source)
		and not source.endswith(".-")
		and source not in PROPER_NAMES
	]
	assert not untranslated, untranslated[:10]


def test_traditional_is_derived_from_simplified():
	simplified, traditional = read_translations("zh"), read_translations("zh-TW")
	assert simplified.keys() == traditional.keys()
	assert traditional[("Stock Location", None)] == "庫存地點"
	assert traditional[("Sales Channel", None)] == "銷售通路"  # Taiwan usage
	assert simplified[("Self Pickup", None)] == "到店自提"


def test_the_extractor_finds_what_frappe_translates():
	assert list(python_messages('frappe.throw(_("Cannot ship {0}").format(x))')) == [
		("Cannot ship {0}", None)
	]
	assert list(python_messages('_("Open", context="Status")')) == [("Open", "Status")]
	assert list(python_messages('raise ValidationFailed("Bad {0}", x)', {"ValidationFailed"})) == [
		("Bad {0}", None)
	]
	assert list(js_messages("frm.add_custom_button(__('Hold'), () => {}, __(\"Actions\"));")) == [
		("Hold", None),
		("Actions", None),
	]
	assert list(jinja_messages('{{ _("Packing Slip") }} {{ _("Total to pick at {0}").format(x) }}')) == [
		("Packing Slip", None),
		("Total to pick at {0}", None),
	]
	messages = app_messages()
	for expected in (
		("OMS Order", None),  # a DocType name
		("Pickup Code", None),  # a field label
		("Ready for Pickup", None),  # a Select option
		("OMS Packing Slip", None),  # a print format
		("Order Processor", None),  # a role
		("Shipped from {0}: {1} {2}, {3}", None),  # a sourcing explanation of the core
		("Low stock: {0} at {1} ({2} available)", None),  # a notification's subject
	):
		assert expected in messages, expected


def test_core_messages_are_literal_templates_never_formatted_text():
	"""`Msg(f"...")` or `DomainError("..." + x)` could never be translated: the template must be a
	literal (or a value such as a status that is itself a translated option)."""
	calls = core_message_classes() | {"_", "_lt"}
	offenders = []
	for path in (APP_ROOT / "core").rglob("*.py"):
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if not isinstance(node, ast.Call) or not node.args:
				continue
			func = node.func
			name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
			if name in calls and isinstance(node.args[0], ast.JoinedStr | ast.BinOp | ast.Call):
				if name == "Msg" and isinstance(node.args[0], ast.Call):
					continue  # join()'s own "{0}, {1}" template
				offenders.append(f"{path.relative_to(APP_ROOT)}:{node.lineno}")
	assert not offenders, offenders


def test_a_message_translates_with_its_parts():
	chinese = {
		"Shipped from {0}: {1} {2}, {3}": "从 {0} 发货：{1}，{2}，{3}",
		"nearest location": "最近的地点",
		"with {0} in stock": "{0}有库存",
		"the line": "该行",
		"{0} km": "{0} 公里",
	}
	message = Msg(
		"Shipped from {0}: {1} {2}, {3}",
		"Lager Nord",
		Msg("nearest location"),
		Msg("with {0} in stock", Msg("the line")),
		Msg("{0} km", "3.2"),
	)
	assert message == "Shipped from Lager Nord: nearest location with the line in stock, 3.2 km"
	assert message.translated(lambda text: chinese.get(text, text)) == (
		"从 Lager Nord 发货：最近的地点，该行有库存，3.2 公里"
	)
	listed = join([Msg("{0} km", "1.0"), "B-7"])
	assert listed == "1.0 km, B-7"
	assert listed.translated(lambda text: chinese.get(text, text)) == "1.0 公里, B-7"


def test_every_sourcing_explanation_translates_completely():
	"""A sourcing decision's every sentence, and each part of it, comes from the translation file:
	rendered with zh.csv nothing English is left but names and numbers."""
	zh = {source: text for (source, _context), text in read_translations("zh").items()}
	lines = [OrderLine("L1", "SKU-A", 5), OrderLine("L2", "SKU-B", 1)]
	locations = [
		CandidateLocation("north", available={"SKU-A": 3, "SKU-B": 1}, latitude=52.5, longitude=13.4),
		CandidateLocation("south", available={"SKU-A": 3}, latitude=48.1, longitude=11.6),
		CandidateLocation("west", available={}, latitude=50.9, longitude=6.9),
	]
	plan = source(lines, Delivery(latitude=52.4, longitude=13.3), locations)
	sentences = [*plan.explanation, *plan.passed_over.values()]
	assert sentences
	for sentence in sentences:
		assert isinstance(sentence, Msg), sentence
		text = sentence.translated(lambda t: zh[t] if re.search("[a-zA-Z]", t) else t)  # KeyError: no zh
		leftover = re.sub(r"north|south|west|SKU-[AB]|L\d|[\d.]+", "", text)
		assert not re.search(r"[a-zA-Z]{3}", leftover), (sentence, text)


# SQL fragments with positional placeholders: not sentences.
NOT_MESSAGES = {
	"date({0})",
	"date_sub(date({0}), interval weekday({0}) day)",
	"date_sub(date({0}), interval dayofmonth({0}) - 1 day)",
}


def test_no_sentence_template_escapes_the_extractor():
	"""A template kept in a variable or a table (`template = "Cannot {0} ..."`) is invisible to the
	extraction unless marked with `_lt(...)`: every literal that reads like one must be collected."""
	collected = {source for source, _context in app_messages()}
	escaped = []
	for path in APP_ROOT.rglob("*.py"):
		relative = path.relative_to(APP_ROOT)
		if "tests" in relative.parts or path.name.startswith("test_"):
			continue
		tree = ast.parse(path.read_text(encoding="utf-8"))
		docstrings = {
			id(node.body[0].value)
			for node in ast.walk(tree)
			if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
			and node.body
			and isinstance(node.body[0], ast.Expr)
			and isinstance(node.body[0].value, ast.Constant)
		}
		for node in ast.walk(tree):
			if (
				isinstance(node, ast.Constant)
				and isinstance(node.value, str)
				and id(node) not in docstrings
				and re.search(r"\{\d\}", node.value)
				and re.search(r"[A-Za-z]{3}", node.value)
				and node.value not in collected
				and node.value not in NOT_MESSAGES
			):
				escaped.append(f"{relative}:{node.lineno}: {node.value[:60]!r}")
	assert not escaped, escaped
