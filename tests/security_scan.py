"""Security scan of the app's Python, static, with `ast` (tier 1: no Frappe needed).

Rules (each finding is one string, `path:line: rule: what`):

1. permission: every `@frappe.whitelist` function or method checks permission or role, in its own
   body or in an app function it calls (two calls deep at most): `frappe.only_for`,
   `frappe.has_permission`, `<doc>.check_permission`, `<doc>.has_permission`, or an explicit role
   helper that raises `frappe.PermissionError`. A `frappe.has_permission(...)` whose answer is thrown
   away (no `throw=True`) checks nothing. A method that needs no check says why in a comment
   `# no-permission-check: <why>` in its body or above it.
2. ignore-permissions: `ignore_permissions=True` (or `.flags.ignore_permissions = True`) in code a
   request can reach (whitelisted methods, DocType controllers, web pages and the hooks Frappe calls
   in a request, followed through the app's call graph) carries a comment `# ignore-permissions:
   <why>` on the statement or directly above it.
3. sql: no query handed to `frappe.db.sql` (or `sql_list`, `multisql`) is built by string formatting
   (f-string, `%`, `.format`, concatenation of something else than string constants), unless a
   comment `# safe-sql: <why>` on the statement or directly above it proves that what is
   interpolated is an identifier from metadata or a fixed fragment whose values are parameters.
4. guest: `allow_guest=True` only for webhooks of channel connectors (a function named for a
   webhook in a module under `channels/connectors/`, or any function of the public webhook module
   `api/<version>/webhooks.py`, each with a docstring) that verify the
   signature themselves (`hmac.compare_digest` reached from the function); the only web page
   (`www/`) and website route is the tracking page; no DocType grants the Guest role anything.
5. arguments: every whitelisted function or method that takes parameters has `@check_arguments`
   (oms_omnichannel.utils) right under `@frappe.whitelist`, so a missing or mistyped parameter is
   a 400 naming it, never Python's TypeError (500).

`scan_app(path)` returns the findings; `python -m tests.security_scan` prints them and exits non-zero
when there are any.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent / "oms_omnichannel"
APP = "oms_omnichannel"

PUBLIC_PAGES = {"track"}  # www/<page>.py|html served to Guest: the customer's tracking page
CONNECTORS = "channels/connectors/"
SQL_METHODS = {"sql", "sql_list", "multisql", "sql_ddl"}
PERMISSION_CALLS = {"only_for", "has_permission", "check_permission"}
PERMISSION_DEPTH = 2  # a check in the method, a helper it calls, or a helper of that helper
MIN_REASON_WORDS = 3
# hooks.py entries Frappe calls outside any request (background, install, migrate, tests)
NOT_REQUEST_HOOKS = {
	"scheduler_events", "before_install", "after_install", "before_migrate", "after_migrate",
	"before_tests", "before_uninstall", "after_uninstall", "after_sync", "before_app_install",
	"after_app_install", "before_app_uninstall", "after_app_uninstall", "oms_demo_data_steps",
}  # fmt: skip

MARK_NO_CHECK = "no-permission-check:"
MARK_IGNORE = "ignore-permissions:"
MARK_SQL = "safe-sql:"


@dataclass
class Function:
	module: str
	qualname: str  # "func" or "Class.method"
	node: ast.FunctionDef | ast.AsyncFunctionDef
	path: Path
	whitelisted: bool = False
	allow_guest: bool = False
	controller: bool = False  # a method of a DocType controller class
	refs: set[str] = field(default_factory=set)  # dotted names of app functions it uses

	@property
	def dotted(self) -> str:
		return f"{self.module}.{self.qualname}"


@dataclass
class Module:
	name: str
	path: Path
	tree: ast.Module
	comments: dict[int, str]  # line -> comment text (without '#')
	aliases: dict[str, str] = field(default_factory=dict)  # local name -> dotted target
	defs: dict[str, str] = field(default_factory=dict)  # top-level name -> dotted function/class


def module_name(path: Path, app_root: Path) -> str:
	parts = path.relative_to(app_root.parent).with_suffix("").parts
	return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_test_file(path: Path, app_root: Path) -> bool:
	relative = path.relative_to(app_root).as_posix()
	return path.name.startswith("test_") or relative.startswith("tests/")


def read_comments(source: str) -> dict[int, str]:
	comments = {}
	try:
		for token in tokenize.generate_tokens(io.StringIO(source).readline):
			if token.type == tokenize.COMMENT:
				comments[token.start[0]] = token.string.lstrip("#").strip()
	except (tokenize.TokenError, IndentationError):
		pass
	return comments


def decorator_name(decorator: ast.expr) -> str:
	target = decorator.func if isinstance(decorator, ast.Call) else decorator
	return ast.unparse(target)


def whitelist_decorator(node) -> ast.expr | None:
	for decorator in node.decorator_list:
		if decorator_name(decorator) in ("frappe.whitelist", "whitelist"):
			return decorator
	return None


def keyword_true(call: ast.expr, name: str) -> bool:
	if not isinstance(call, ast.Call):
		return False
	return any(
		k.arg == name and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
	)


class Index:
	"""The app's modules, functions and a call graph between them (names resolved through imports)."""

	def __init__(self, app_root: Path):
		self.app_root = app_root
		self.modules: dict[str, Module] = {}
		self.functions: dict[str, Function] = {}
		self.classes: dict[str, list[str]] = {}  # dotted class -> dotted methods
		for path in sorted(app_root.rglob("*.py")):
			if is_test_file(path, app_root):
				continue
			source = path.read_text()
			module = Module(module_name(path, app_root), path, ast.parse(source), read_comments(source))
			self.modules[module.name] = module
		for module in self.modules.values():
			self.collect(module)
		for function in self.functions.values():
			function.refs = self.references(function)

	def collect(self, module: Module) -> None:
		package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
		for node in ast.walk(module.tree):
			if isinstance(node, ast.Import):
				for alias in node.names:
					if alias.asname:
						module.aliases[alias.asname] = alias.name
					else:
						module.aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
			elif isinstance(node, ast.ImportFrom):
				base = node.module or ""
				if node.level:
					parent = package.split(".")
					parent = parent[: len(parent) - node.level + 1]
					base = ".".join([*parent, base] if base else parent)
				for alias in node.names:
					module.aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
		in_doctype = "/doctype/" in module.path.as_posix()
		for node in module.tree.body:
			if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
				self.add(module, node.name, node, False)
			elif isinstance(node, ast.ClassDef):
				dotted = f"{module.name}.{node.name}"
				module.defs[node.name] = dotted
				self.classes[dotted] = []
				controller = in_doctype and any(
					ast.unparse(base) in ("Document", "frappe.model.document.Document")
					or ast.unparse(base).endswith("Document")
					for base in node.bases
				)
				for item in node.body:
					if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
						function = self.add(module, f"{node.name}.{item.name}", item, controller)
						self.classes[dotted].append(function.dotted)

	def add(self, module: Module, qualname: str, node, controller: bool) -> Function:
		decorator = whitelist_decorator(node)
		function = Function(
			module.name,
			qualname,
			node,
			module.path,
			whitelisted=decorator is not None,
			allow_guest=decorator is not None and keyword_true(decorator, "allow_guest"),
			controller=controller,
		)
		self.functions[function.dotted] = function
		if "." not in qualname:
			module.defs[qualname] = function.dotted
		return function

	def resolve(self, dotted: str, depth: int = 0) -> str | None:
		"""The app function a dotted name means, following re-exports; None if not an app function."""
		if depth > 8 or not dotted.startswith(APP):
			return None
		if dotted in self.functions:
			return dotted
		if dotted in self.classes:
			init = f"{dotted}.__init__"
			return init if init in self.functions else None
		module_part, _, name = dotted.rpartition(".")
		module = self.modules.get(module_part)
		if module and name in module.aliases:
			return self.resolve(module.aliases[name], depth + 1)
		return None

	def references(self, function: Function) -> set[str]:
		module = self.modules[function.module]
		class_name = function.qualname.split(".")[0] if "." in function.qualname else None
		found = set()
		for node in ast.walk(function.node):
			dotted = None
			if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
				if node.id in module.defs:
					dotted = module.defs[node.id]
				elif node.id in module.aliases:
					dotted = module.aliases[node.id]
			elif isinstance(node, ast.Attribute):
				chain = attribute_chain(node)
				if chain and chain[0] == "self" and class_name and len(chain) == 2:
					dotted = f"{function.module}.{class_name}.{chain[1]}"
				elif chain and chain[0] in module.aliases:
					dotted = ".".join([module.aliases[chain[0]], *chain[1:]])
			if dotted and (target := self.resolve(dotted)):
				found.add(target)
		found.discard(function.dotted)
		return found

	def reachable(self, roots: set[str]) -> set[str]:
		seen, todo = set(), list(roots)
		while todo:
			name = todo.pop()
			if name in seen or name not in self.functions:
				continue
			seen.add(name)
			todo.extend(self.functions[name].refs)
		return seen


def attribute_chain(node: ast.expr) -> list[str] | None:
	parts = []
	while isinstance(node, ast.Attribute):
		parts.append(node.attr)
		node = node.value
	if not isinstance(node, ast.Name):
		return None
	return [node.id, *reversed(parts)]


# ------------------------------------------------------------------ comments


def reason_near(module: Module, node: ast.AST, marker: str, span: tuple[int, int] | None = None) -> bool:
	"""A comment with `marker` and a reason of a few words on the statement's lines or directly above."""
	first, last = span or (node.lineno, getattr(node, "end_lineno", node.lineno))
	lines = list(range(first, last + 1))
	line = first - 1
	while line in module.comments and not source_has_code(module, line):
		lines.append(line)
		line -= 1
	for number in lines:
		text = module.comments.get(number, "")
		if marker in text and len(text.split(marker, 1)[1].split()) >= MIN_REASON_WORDS:
			return True
	return False


def source_has_code(module: Module, line: int) -> bool:
	text = module.path.read_text().splitlines()[line - 1] if line > 0 else ""
	return not text.strip().startswith("#")


def statement_of(function: Function, node: ast.AST) -> ast.stmt:
	"""The innermost statement of the function that contains `node`."""
	best = None
	for statement in ast.walk(function.node):
		if isinstance(statement, ast.stmt) and statement is not function.node:
			if statement.lineno <= node.lineno and statement.end_lineno >= node.end_lineno:
				if best is None or (
					statement.lineno >= best.lineno and statement.end_lineno <= best.end_lineno
				):
					best = statement
	return best or node


# ------------------------------------------------------------------ rule 1: permission checks


def direct_permission_check(function: Function) -> bool:
	for node in ast.walk(function.node):
		if isinstance(node, ast.Call):
			chain = attribute_chain(node.func) or []
			if chain and chain[-1] in PERMISSION_CALLS:
				return True
			if chain in (["frappe", "throw"], ["throw"]) and any(
				"PermissionError" in ast.unparse(arg)
				for arg in [*node.args, *(k.value for k in node.keywords)]
			):
				return True
		if (
			isinstance(node, ast.Raise)
			and node.exc is not None
			and "PermissionError" in ast.unparse(node.exc)
		):
			return True
	return False


def checks_permission(index: Index, function: Function, depth: int = PERMISSION_DEPTH) -> bool:
	if direct_permission_check(function):
		return True
	if depth == 0:
		return False
	return any(checks_permission(index, index.functions[ref], depth - 1) for ref in function.refs)


def ignored_has_permission(function: Function) -> list[ast.Call]:
	"""`frappe.has_permission(...)` as a bare statement without throw=True: its answer is lost."""
	found = []
	for node in ast.walk(function.node):
		if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
			chain = attribute_chain(node.value.func) or []
			if chain[-1:] == ["has_permission"] and not keyword_true(node.value, "throw"):
				found.append(node.value)
	return found


def function_span(function: Function) -> tuple[int, int]:
	node = function.node
	first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
	return first, node.end_lineno


def scan_permissions(index: Index) -> list[str]:
	problems = []
	for function in index.functions.values():
		if not function.whitelisted:
			continue
		module = index.modules[function.module]
		where = f"{rel(index, function.path)}:{function.node.lineno}"
		for call in ignored_has_permission(function):
			problems.append(
				f"{rel(index, function.path)}:{call.lineno}: permission: {function.dotted} calls "
				"has_permission without throw=True and ignores the answer"
			)
		if function.allow_guest:
			continue  # rule 4 decides what a guest method must do instead
		if checks_permission(index, function):
			continue
		if reason_near(module, function.node, MARK_NO_CHECK, function_span(function)):
			continue
		problems.append(
			f"{where}: permission: {function.dotted} is whitelisted but checks no permission or role "
			f"(or say why with '# {MARK_NO_CHECK} <why>')"
		)
	return problems


# ------------------------------------------------------------------ rule 2: ignore_permissions


def request_roots(index: Index) -> set[str]:
	"""What Frappe runs in a request: whitelisted methods, controllers, web pages, request hooks."""
	roots = {
		name
		for name, function in index.functions.items()
		if function.whitelisted or function.controller or function.module.startswith(f"{APP}.www.")
	}
	hooks = index.modules.get(f"{APP}.hooks")
	if hooks:
		for node in hooks.tree.body:
			if not isinstance(node, ast.Assign):
				continue
			names = {t.id for t in node.targets if isinstance(t, ast.Name)}
			if names & NOT_REQUEST_HOOKS:
				continue
			for constant in ast.walk(node.value):
				if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
					if target := index.resolve(constant.value):
						roots.add(target)
	return roots


def ignore_permission_sites(function: Function) -> list[ast.AST]:
	found = []
	for node in ast.walk(function.node):
		if isinstance(node, ast.Call) and keyword_true(node, "ignore_permissions"):
			found.append(node)
		elif (
			isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is True
		):
			if any(ast.unparse(t).endswith("flags.ignore_permissions") for t in node.targets):
				found.append(node)
	return found


def scan_ignore_permissions(index: Index) -> list[str]:
	problems = []
	for name in sorted(index.reachable(request_roots(index))):
		function = index.functions[name]
		module = index.modules[function.module]
		for node in ignore_permission_sites(function):
			if reason_near(module, statement_of(function, node), MARK_IGNORE):
				continue
			problems.append(
				f"{rel(index, function.path)}:{node.lineno}: ignore-permissions: {function.dotted} can be "
				f"reached from a request; say why with '# {MARK_IGNORE} <why>'"
			)
	return problems


# ------------------------------------------------------------------ rule 3: formatted SQL


def is_sql_call(node: ast.AST) -> bool:
	if not isinstance(node, ast.Call):
		return False
	chain = attribute_chain(node.func) or []
	return len(chain) >= 2 and chain[-2] == "db" and chain[-1] in SQL_METHODS


def assignments(scope: ast.AST, name: str) -> list[ast.expr]:
	values = []
	for node in ast.walk(scope):
		if isinstance(node, ast.Assign) and any(
			isinstance(t, ast.Name) and t.id == name for t in node.targets
		):
			values.append(node.value)
		elif isinstance(node, ast.AugAssign | ast.AnnAssign) and isinstance(node.target, ast.Name):
			if node.target.id == name and node.value is not None:
				values.append(node.value)
	return values


def formatted(
	expr: ast.expr, scope: ast.AST, module: Module, seen: frozenset = frozenset(), visited: set | None = None
) -> bool:
	"""Whether a query expression is built by formatting anything but string constants into it
	(`visited` collects the expressions looked at, through the variables it names)."""
	if visited is not None:
		visited.update(id(node) for node in ast.walk(expr))
	if isinstance(expr, ast.Constant):
		return False
	if isinstance(expr, ast.JoinedStr):
		return any(isinstance(v, ast.FormattedValue) for v in expr.values)
	if isinstance(expr, ast.BinOp):
		if isinstance(expr.op, ast.Mod):
			return True
		if isinstance(expr.op, ast.Add):
			return formatted(expr.left, scope, module, seen, visited) or formatted(
				expr.right, scope, module, seen, visited
			)
		return True
	if isinstance(expr, ast.IfExp):
		return formatted(expr.body, scope, module, seen, visited) or formatted(
			expr.orelse, scope, module, seen, visited
		)
	if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
		return True
	if isinstance(expr, ast.Name):
		if expr.id in seen:
			return False
		values = assignments(scope, expr.id)
		if not values and module_constant(module, expr.id):
			return False  # a string constant of the module
		return not values or any([formatted(v, scope, module, seen | {expr.id}, visited) for v in values])
	return True  # a call, subscript...: not a visible constant


def scan_sql(index: Index) -> list[str]:
	problems = []
	for module in index.modules.values():
		scopes = {
			id(node): node
			for node in ast.walk(module.tree)
			if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
		}
		parents, reported = {}, set()
		for scope in scopes.values():
			for node in ast.walk(scope):
				parents.setdefault(id(node), scope)
		for node in ast.walk(module.tree):
			if not is_sql_call(node) or not node.args:
				continue
			scope = parents.get(id(node), module.tree)
			visited: set[int] = set()
			if not formatted(node.args[0], scope, module, visited=visited):
				continue
			statement = enclosing_statement(module.tree, node)
			reported.update(visited)
			if reason_near(module, statement, MARK_SQL):
				continue
			reported.update(id(n) for n in ast.walk(node))
			problems.append(
				f"{rel(index, module.path)}:{node.lineno}: sql: a query built by string formatting; use "
				f"parameters, or prove the interpolated parts safe with '# {MARK_SQL} <why>'"
			)
		for node in ast.walk(module.tree):
			if id(node) in reported or not sql_template(node, module):
				continue
			if reason_near(module, enclosing_statement(module.tree, node), MARK_SQL):
				continue
			problems.append(
				f"{rel(index, module.path)}:{node.lineno}: sql: SQL text built by string formatting; use "
				f"parameters, or prove the interpolated parts safe with '# {MARK_SQL} <why>'"
			)
	return problems


SQL_TEXT = re.compile(r"\b(select\b[\s\S]*\bfrom|update\b[\s\S]*\bset|insert\s+into|delete\s+from)\b", re.I)


def sql_template(node: ast.AST, module: Module) -> bool:
	"""A string that reads as SQL and has something formatted into it (wherever it goes next: a
	query may reach frappe.db.sql through a helper)."""
	if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
		text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
	elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant):
		text = str(node.left.value)
	elif (
		isinstance(node, ast.Call)
		and isinstance(node.func, ast.Attribute)
		and node.func.attr == "format"
		and isinstance(node.func.value, ast.Constant | ast.Name)
	):
		value = node.func.value
		text = str(value.value) if isinstance(value, ast.Constant) else module_constant(module, value.id)
	else:
		return False
	return bool(SQL_TEXT.search(text or ""))


def module_constant(module: Module, name: str) -> str:
	for node in module.tree.body:
		if isinstance(node, ast.Assign) and any(
			isinstance(t, ast.Name) and t.id == name for t in node.targets
		):
			if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
				return node.value.value
	return ""


def enclosing_statement(tree: ast.AST, node: ast.AST) -> ast.AST:
	best = node
	for statement in ast.walk(tree):
		if isinstance(statement, ast.stmt) and not isinstance(
			statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.If | ast.For | ast.With
		):
			if statement.lineno <= node.lineno and statement.end_lineno >= node.end_lineno:
				if best is node or statement.lineno >= best.lineno:
					best = statement
	return best


# ------------------------------------------------------------------ rule 4: Guest


def reaches_compare_digest(index: Index, function: Function) -> bool:
	for name in index.reachable({function.dotted}):
		for node in ast.walk(index.functions[name].node):
			if isinstance(node, ast.Call) and (attribute_chain(node.func) or [""])[-1] == "compare_digest":
				return True
	return False


WEBHOOK_MODULE = re.compile(r"^api/v\d+/webhooks\.py$")  # the platforms' URLs, one function each


def scan_guest(index: Index) -> list[str]:
	problems = []
	for function in index.functions.values():
		if not function.allow_guest:
			continue
		where = f"{rel(index, function.path)}:{function.node.lineno}"
		relative = rel(index, function.path)
		name = function.qualname.rsplit(".", 1)[-1]
		is_webhook = (relative.startswith(CONNECTORS) and "webhook" in name) or WEBHOOK_MODULE.match(relative)
		if not is_webhook:
			problems.append(
				f"{where}: guest: {function.dotted} allows Guest; only channel connectors' webhooks "
				f"(under {CONNECTORS} named for a webhook, or in api/<version>/webhooks.py) may"
			)
			continue
		if not ast.get_docstring(function.node):
			problems.append(
				f"{where}: guest: webhook {function.dotted} needs a docstring saying what it verifies"
			)
		if not reaches_compare_digest(index, function):
			problems.append(
				f"{where}: guest: webhook {function.dotted} must verify the signature itself "
				"(hmac.compare_digest)"
			)
	www = index.app_root / "www"
	if www.exists():
		for path in sorted(www.rglob("*")):
			if path.is_file() and path.suffix in (".py", ".html", ".md") and path.stem not in PUBLIC_PAGES:
				if path.name != "__init__.py":
					problems.append(f"{rel(index, path)}: guest: a web page other than the tracking page")
	hooks = index.modules.get(f"{APP}.hooks")
	if hooks:
		for node in hooks.tree.body:
			if isinstance(node, ast.Assign) and any(
				isinstance(t, ast.Name) and t.id == "website_route_rules" for t in node.targets
			):
				for route in ast.literal_eval(node.value):
					if route.get("to_route") not in PUBLIC_PAGES:
						problems.append(f"hooks.py: guest: website route {route} leads to a page not public")
	for path in sorted(index.app_root.glob("*/doctype/*/*.json")):
		if path.stem != path.parent.name:
			continue
		data = json.loads(path.read_text())
		for row in data.get("permissions") or []:
			if row.get("role") in ("Guest", "All") and any(
				v for k, v in row.items() if k not in ("role", "permlevel", "doctype")
			):
				problems.append(f"{rel(index, path)}: guest: the {row['role']} role is granted rights")
	return problems


# ------------------------------------------------------------------ rule 5: argument checks


def scan_arguments(index: Index) -> list[str]:
	problems = []
	for function in index.functions.values():
		node = function.node
		parameters = [a.arg for a in [*node.args.args, *node.args.kwonlyargs] if a.arg != "self"]
		if not function.whitelisted or not (parameters or node.args.vararg or node.args.kwarg):
			continue
		names = [decorator_name(d) for d in node.decorator_list]
		position = next(i for i, name in enumerate(names) if name in ("frappe.whitelist", "whitelist"))
		if names[position + 1 : position + 2] != ["check_arguments"]:
			problems.append(
				f"{rel(index, function.path)}:{node.lineno}: arguments: {function.dotted} takes parameters; "
				"put @check_arguments right under @frappe.whitelist"
			)
	return problems


# ------------------------------------------------------------------ entry points


def rel(index: Index, path: Path) -> str:
	return path.relative_to(index.app_root).as_posix()


def scan_app(app_root: Path = APP_ROOT) -> list[str]:
	index = Index(app_root)
	return [
		*scan_permissions(index),
		*scan_ignore_permissions(index),
		*scan_sql(index),
		*scan_guest(index),
		*scan_arguments(index),
	]


def whitelisted(app_root: Path = APP_ROOT) -> list[Function]:
	"""Every whitelisted function or method of the app (for other tests)."""
	return [f for f in Index(app_root).functions.values() if f.whitelisted]


if __name__ == "__main__":
	found = scan_app(Path(sys.argv[1]) if len(sys.argv) > 1 else APP_ROOT)
	print("\n".join(found) or "security scan: no findings")
	sys.exit(1 if found else 0)
