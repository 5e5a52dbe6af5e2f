"""The OpenAPI description stays in sync with the whitelisted API and the intake parser."""

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "oms_omnichannel"
SPEC = json.loads((ROOT / "api" / "openapi.json").read_text())


def whitelisted_functions() -> dict[str, list[str]]:
	"""module.function -> its parameters, for every @frappe.whitelist function under api/v1."""
	found = {}
	for path in (ROOT / "api" / "v1").glob("*.py"):
		tree = ast.parse(path.read_text())
		for node in tree.body:
			if isinstance(node, ast.FunctionDef) and any(
				"whitelist" in ast.unparse(decorator) for decorator in node.decorator_list
			):
				found[f"oms_omnichannel.api.v1.{path.stem}.{node.name}"] = [a.arg for a in node.args.args]
	return found


def documented_parameters(operation: dict) -> set[str]:
	names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
	body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
	return names | set(body.get("properties", {}))


def test_every_whitelisted_api_function_is_documented_with_its_parameters():
	functions = whitelisted_functions()
	assert functions
	for dotted, params in functions.items():
		path = f"/api/method/{dotted}"
		assert path in SPEC["paths"], f"{path} is not in api/openapi.json"
		operation = next(iter(SPEC["paths"][path].values()))
		if dotted.endswith(".ingest"):
			continue  # takes the raw JSON body
		if ".webhooks." in dotted:
			# the platform's raw body; the channel comes from the query string, never from arguments
			assert params == [] and documented_parameters(operation) == {"channel"}, dotted
			assert {p["name"] for p in operation["parameters"] if p["in"] == "header"}, dotted
			continue
		assert set(params) == documented_parameters(operation), dotted


def test_no_documented_path_is_missing_from_the_code():
	functions = whitelisted_functions()
	for path in SPEC["paths"]:
		assert path.removeprefix("/api/method/") in functions, f"{path} documented but not whitelisted"


def test_intake_schema_lists_exactly_the_fields_the_parser_reads():
	source = (ROOT / "core" / "intake.py").read_text()
	read = set(re.findall(r'_(?:text|number|object|coordinate)\(\s*data,\s*"(\w+)"', source))
	read |= set(re.findall(r'data\.get\("(\w+)"', source))
	order = SPEC["components"]["schemas"]["IntakeOrder"]
	line = order["properties"]["lines"]["items"]
	address = order["properties"]["shipping_address"]
	customer = order["properties"]["customer"]
	documented = (
		set(order["properties"])
		| set(line["properties"])
		| set(address["properties"])
		| set(customer["properties"])
	)
	assert read == documented


def test_spec_is_openapi_3():
	assert SPEC["openapi"].startswith("3.")
	for path, operations in SPEC["paths"].items():
		for method, operation in operations.items():
			assert method in ("get", "post"), path
			assert operation["responses"], path


def required_in_code() -> dict[str, set[str]]:
	"""module.function -> its parameters without a default, for every whitelisted function of api/v1."""
	found = {}
	for path in (ROOT / "api" / "v1").glob("*.py"):
		for node in ast.parse(path.read_text()).body:
			if isinstance(node, ast.FunctionDef) and any(
				"whitelist" in ast.unparse(decorator) for decorator in node.decorator_list
			):
				args = node.args.args
				without_default = args[: len(args) - len(node.args.defaults)]
				found[f"oms_omnichannel.api.v1.{path.stem}.{node.name}"] = {a.arg for a in without_default}
	return found


def documented_required(operation: dict) -> set[str]:
	names = {p["name"] for p in operation.get("parameters", []) if p.get("required")}
	body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
	return names | set(body.get("required", []))


def test_what_the_code_requires_is_described_as_required():
	for dotted, needed in required_in_code().items():
		operation = next(iter(SPEC["paths"][f"/api/method/{dotted}"].values()))
		assert needed <= documented_required(operation), dotted


def test_every_operation_describes_the_refusals_every_request_can_get():
	# 400: a parameter missing or of the wrong type (check_arguments); 401: a wrong API key (for a
	# webhook: a wrong signature); 403: no permission, or an HTTP method the operation does not take;
	# a webhook (no login, `security: []`) has no permissions: another HTTP method is 405.
	for path, operations in SPEC["paths"].items():
		for operation in operations.values():
			refusals = {"400", "401", "405"} if operation.get("security") == [] else {"400", "401", "403"}
			assert refusals <= set(operation["responses"]), path
			assert any(code.startswith("2") for code in operation["responses"]), path


def test_an_operation_that_only_reads_takes_only_get():
	source = {path.stem: path.read_text() for path in (ROOT / "api" / "v1").glob("*.py")}
	for path, operations in SPEC["paths"].items():
		if "get" in operations:
			module, function = path.removeprefix("/api/method/oms_omnichannel.api.v1.").split(".")
			# optionally checked arguments, optionally served by the read replica
			only_get = re.compile(
				r'@frappe\.whitelist\(methods=\["GET"\]\)\n(@check_arguments\n)?(@frappe\.read_only\(\)\n)?'
				rf"def {function}\("
			)
			assert only_get.search(source[module]), path
