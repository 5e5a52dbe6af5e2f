"""The README's permission matrix is the DocTypes' permissions, and they keep the rules."""

from tests.permission_matrix import readme_matrix, render, rule_violations


def test_readme_matrix_is_generated_from_the_doctype_json():
	assert readme_matrix() == render(), "run: python -m tests.permission_matrix --write"


def test_permission_rules_hold():
	assert rule_violations() == []


def test_rules_catch_a_ledger_that_a_role_may_change(monkeypatch):
	from tests import permission_matrix

	ledger = {
		"name": "OMS Stock Ledger Entry",
		"permissions": [
			{"role": "OMS Manager", "read": 1},
			{"role": "Order Processor", "read": 1, "write": 1},
		],
	}
	submittable = {
		"name": "X",
		"is_submittable": 1,
		"permissions": [{"role": "Inventory Manager", "read": 1, "delete": 1}],
	}
	monkeypatch.setattr(permission_matrix, "doctypes", lambda: [ledger, submittable])
	assert rule_violations() == [
		"OMS Stock Ledger Entry: the ledger is read-only, but Order Processor may change it",
		"X: has no OMS Manager row",
		"X: only OMS Manager deletes submitted or ledger documents, not Inventory Manager",
	]


def test_a_changed_permission_shows_in_the_matrix():
	text = render()
	assert "| OMS Stock Ledger Entry |" in text
	assert readme_matrix(f"<!-- permission-matrix:start -->\n{text}x\n<!-- permission-matrix:end -->") != text
