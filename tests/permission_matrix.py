"""The permission matrix: every DocType x role x right, read from the DocType JSON.

`python -m tests.permission_matrix` prints it; `--write` puts it into README.md between the
markers. Tier 1 (`tests/unit/test_permission_matrix.py`) fails when README and JSON disagree and
when a rule below is broken. No Frappe needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCTYPES = ROOT / "oms_omnichannel" / "oms_omnichannel" / "doctype"
README = ROOT / "README.md"
START, END = "<!-- permission-matrix:start -->", "<!-- permission-matrix:end -->"

# Right -> letter, in the order cells show them.
RIGHTS = {
	"read": "r",
	"write": "w",
	"create": "c",
	"delete": "d",
	"submit": "s",
	"cancel": "x",
	"amend": "a",
	"report": "R",
	"export": "E",
	"import": "I",
	"print": "P",
	"email": "M",
	"share": "S",
}
CHANGING = ("write", "create", "delete", "submit", "cancel", "amend", "import")
MANAGER = "OMS Manager"
# Append-only: posted by the stock service, never by a person.
LEDGERS = ("OMS Stock Ledger Entry",)


def app_roles() -> list[str]:
	roles = json.loads((ROOT / "oms_omnichannel" / "fixtures" / "role.json").read_text())
	return [role["role_name"] for role in roles]


def doctypes() -> list[dict]:
	"""The app's own DocTypes with permissions (child tables have none of their own)."""
	found = []
	for path in sorted(DOCTYPES.glob("*/*.json")):
		meta = json.loads(path.read_text())
		if meta.get("doctype") == "DocType" and not meta.get("istable"):
			found.append(meta)
	return sorted(found, key=lambda meta: meta["name"])


def cell(permissions: list[dict], role: str) -> str:
	"""The rights a role has on one DocType: letters per permission level ('L1:r' for level 1)."""
	parts = []
	for row in sorted((p for p in permissions if p["role"] == role), key=lambda p: p.get("permlevel", 0)):
		letters = "".join(letter for right, letter in RIGHTS.items() if row.get(right))
		level = row.get("permlevel", 0)
		if letters:
			parts.append(letters if not level else f"L{level}:{letters}")
	return " ".join(parts) or "—"


def render() -> str:
	roles = [*app_roles(), "System Manager"]
	legend = ", ".join(f"`{letter}` {right}" for right, letter in RIGHTS.items())
	lines = [
		f"Generated from the DocType JSON by `python -m tests.permission_matrix --write`; {legend}; "
		"`L1:` rights on fields at permission level 1; — none.",
		"",
		"| DocType | " + " | ".join(roles) + " |",
		"|---|" + "---|" * len(roles),
	]
	for meta in doctypes():
		cells = [cell(meta.get("permissions", []), role) for role in roles]
		lines.append(f"| {meta['name']} | " + " | ".join(cells) + " |")
	return "\n".join(lines)


def readme_matrix(text: str | None = None) -> str | None:
	text = README.read_text() if text is None else text
	if START not in text or END not in text:
		return None
	return text.split(START, 1)[1].split(END, 1)[0].strip()


def write_readme() -> None:
	text = README.read_text()
	before, rest = text.split(START, 1)
	after = rest.split(END, 1)[1]
	README.write_text(f"{before}{START}\n{render()}\n{END}{after}")


def rule_violations() -> list[str]:
	"""The rules every DocType's permissions keep."""
	problems = []
	for meta in doctypes():
		name, permissions = meta["name"], meta.get("permissions", [])
		if not any(p["role"] == MANAGER and p.get("permlevel", 0) == 0 for p in permissions):
			problems.append(f"{name}: has no {MANAGER} row")
		for row in permissions:
			role = row["role"]
			if name in LEDGERS and any(row.get(right) for right in CHANGING):
				problems.append(f"{name}: the ledger is read-only, but {role} may change it")
			if (meta.get("is_submittable") or name in LEDGERS) and row.get("delete") and role != MANAGER:
				problems.append(f"{name}: only {MANAGER} deletes submitted or ledger documents, not {role}")
	return problems


if __name__ == "__main__":
	if "--write" in sys.argv:
		write_readme()
	else:
		print(render())
