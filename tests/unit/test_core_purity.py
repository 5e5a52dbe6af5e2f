"""`core/` is pure: no file in it imports frappe, so tier 1 runs anywhere."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "oms_omnichannel" / "core"


def imported_modules(path: Path) -> set[str]:
	modules = set()
	for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
		if isinstance(node, ast.Import):
			modules |= {alias.name for alias in node.names}
		elif isinstance(node, ast.ImportFrom) and node.module:
			modules.add(node.module)
	return modules


def test_core_has_modules():
	assert len(list(CORE.glob("*.py"))) > 3


def test_no_core_file_imports_frappe():
	offenders = {
		str(path.relative_to(CORE)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "frappe")
		for path in CORE.rglob("*.py")
	}
	assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_purity_check_would_catch_an_import(tmp_path):
	sample = tmp_path / "sample.py"
	sample.write_text("def f():\n\tfrom frappe.utils import flt\n\treturn flt\n")
	assert "frappe.utils" in imported_modules(sample)
