"""Order intake from channels: validate, map SKUs, find the customer, create and submit the
order — once per channel order id, however often or concurrently it is sent.

Every order sent gets an Intake Log with its payload and outcome; failed ones can be replayed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import convert_utc_to_system_timezone, cstr, flt, now_datetime, strip_html

from oms_omnichannel.bulk import apply_defaults, assign_names, insert_new_documents, run_insert_events
from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.orders.lifecycle import start_fulfilment
from oms_omnichannel.utils import get_settings

CREATED, REPLAYED, FAILED, QUEUED = "Created", "Replayed", "Failed", "Queued"


class IntakeRefused(frappe.ValidationError):
	"""The whole request is refused (bad body, batch too large...): 400 with the field."""

	http_status_code = 400


class OrderRefused(Exception):
	"""One order of a request is refused; the others go on."""

	def __init__(self, message: str, field: str | None = None):
		super().__init__(message)
		self.message, self.field = message, field


# ---------------------------------------------------------------- request level


def check_channel(channel: str) -> None:
	try:
		channel_doc = frappe.get_cached_doc("Sales Channel", channel)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		frappe.throw(_("Sales Channel {0} does not exist").format(channel), frappe.DoesNotExistError)
	frappe.has_permission("Sales Channel", "read", doc=channel_doc, throw=True)
	frappe.has_permission("OMS Order", "create", throw=True)
	if not channel_doc.is_active:
		frappe.throw(_("Sales Channel {0} is not active").format(channel), IntakeRefused)


def split(payload) -> tuple[str, list]:
	try:
		return intake_core.split_payload(payload, int(get_settings().intake_batch_limit or 500))
	except DomainError as error:
		frappe.throw(error.message, IntakeRefused, title=_("Invalid Request"))


def ingest(payload, idempotency_key: str | None = None) -> dict:
	"""Process a request body synchronously, or queue it when it is a large batch."""
	channel, raw_orders = split(payload)
	check_channel(channel)
	threshold = int(get_settings().intake_async_threshold or 0)
	if threshold and len(raw_orders) > threshold:
		return queue_batch(channel, raw_orders, idempotency_key)
	results = process_orders(channel, raw_orders, idempotency_key=idempotency_key)
	return {"channel": channel, "results": results, "summary": summarise(results)}


def summarise(results: list[dict]) -> dict:
	summary = {"created": 0, "replayed": 0, "failed": 0, "queued": 0}
	for result in results:
		summary[result["outcome"].lower()] += 1
	return summary


# ---------------------------------------------------------------- orders, together


class IntakeContext:
	"""What a batch of orders needs from the database, read once for all of them.

	`locking` reads see rows other transactions committed after this one began (used to settle
	a race on the unique indexes: the other request's order or customer is then found).
	"""

	def __init__(self, channel: str, orders: list[intake_core.IntakeOrder], locking: bool = False):
		self.channel = frappe.get_cached_doc("Sales Channel", channel)
		self.locking = locking
		skus = {line.channel_sku for order in orders for line in order.lines if line.channel_sku}
		self.listings = dict(
			self.read(
				"SELECT `channel_sku`, `item` FROM `tabChannel Listing` "
				"WHERE `sales_channel`=%s AND `is_active`=1 AND `channel_sku` IN %s",
				(channel, tuple(skus)),
			)
			if skus
			else []
		)
		items = {line.sku for order in orders for line in order.lines if line.sku} | set(
			self.listings.values()
		)
		self.items = {
			row[0]
			for row in (
				self.read(
					"SELECT `name` FROM `tabOMS Item` WHERE `disabled`=0 AND `name` IN %s", (tuple(items),)
				)
				if items
				else []
			)
		}
		self.customers = CustomerDirectory(channel, [order.customer for order in orders], self.read)
		countries = {
			text
			for order in orders
			for text in (order.shipping.country, order.billing and order.billing.country)
			if text
		}
		self.countries: dict[str, str] = {}
		if countries:
			for name, code in frappe.db.sql(
				"SELECT `name`, `code` FROM `tabCountry` WHERE `name` IN %(names)s OR `code` IN %(codes)s",
				{"names": tuple(countries), "codes": tuple(c.lower() for c in countries)},
			):
				self.countries[name.lower()] = name
				if code:
					self.countries.setdefault(code.lower(), name)

	def read(self, query: str, values) -> tuple:
		"""A query, as a locking read when the context is one."""
		return frappe.db.sql(query + (" LOCK IN SHARE MODE" if self.locking else ""), values)

	def existing_orders(self, channel_order_ids: list[str]) -> dict[str, tuple[str, str]]:
		"""{channel order id: (order, status)} of the ids already taken on this channel."""
		if not channel_order_ids:
			return {}
		rows = frappe.db.sql(
			"SELECT `channel_order_id`, `name`, `status` FROM `tabOMS Order` "
			"WHERE `sales_channel`=%s AND `channel_order_id` IN %s" + (" FOR UPDATE" if self.locking else ""),
			(self.channel.name, tuple(channel_order_ids)),
		)
		return {row[0]: (row[1], row[2]) for row in rows}

	def country(self, text: str | None) -> str | None:
		return self.countries.get(text.lower()) if text else None

	def item(self, line: intake_core.Line, path: str) -> str:
		"""The OMS Item of a line: its channel SKU through Channel Listing, or the OMS SKU itself."""
		if line.channel_sku:
			item = self.listings.get(line.channel_sku)
			if not item:
				raise OrderRefused(
					_("{0}channel_sku: {1} is not listed on {2}").format(
						path, line.channel_sku, self.channel.name
					),
					f"{path}channel_sku",
				)
			return item
		if line.sku not in self.items:
			raise OrderRefused(_("{0}sku: unknown or disabled SKU {1}").format(path, line.sku), f"{path}sku")
		return line.sku


class CustomerDirectory:
	"""One profile per person: by channel identity, then email, then phone; else a new profile
	(one for every order of the batch from the same person)."""

	def __init__(self, channel: str, customers: list[intake_core.Customer], read):
		self.channel = channel
		ids = {c.channel_customer_id for c in customers if c.channel_customer_id}
		emails = {c.email for c in customers if c.email}
		phones = {c.phone for c in customers if c.phone}
		self.by_identity = dict(
			read(
				"SELECT `channel_customer_id`, `parent` FROM `tabCustomer Channel Identity` WHERE "
				"`parenttype`='Customer Profile' AND `sales_channel`=%s AND `channel_customer_id` IN %s",
				(channel, tuple(ids)),
			)
			if ids
			else []
		)
		self.by_email, self.by_phone = {}, {}
		if emails or phones:
			for name, email, phone in read(
				"SELECT `name`, `email`, `phone` FROM `tabCustomer Profile` "
				"WHERE `email` IN %(emails)s OR `phone` IN %(phones)s ORDER BY `creation`",
				{"emails": tuple(emails) or ("",), "phones": tuple(phones) or ("",)},
			):
				if email:
					self.by_email.setdefault(email, name)
				if phone:
					self.by_phone.setdefault(phone, name)
		self.new_profiles: list = []
		self.identities_to_add: set[tuple[str, str]] = set()

	def find_or_add(self, parsed: intake_core.IntakeOrder, country: str | None):
		"""The profile's name, or the new (not yet written) profile document."""
		customer = parsed.customer
		found = (
			self.by_identity.get(customer.channel_customer_id)
			or self.by_email.get(customer.email)
			or self.by_phone.get(customer.phone)
		)
		if found:
			if customer.channel_customer_id and customer.channel_customer_id not in self.by_identity:
				if isinstance(found, str):
					self.identities_to_add.add((found, customer.channel_customer_id))
				else:
					found.append(
						"channel_identities",
						{"sales_channel": self.channel, "channel_customer_id": customer.channel_customer_id},
					)
				self.by_identity[customer.channel_customer_id] = found
			return found
		if not (customer.email or customer.phone or customer.name):
			return None
		profile = frappe.get_doc(
			{
				"doctype": "Customer Profile",
				"full_name": customer.name or customer.email or customer.phone,
				"email": customer.email,
				"phone": customer.phone,
				"address_line1": parsed.shipping.line1,
				"city": parsed.shipping.city,
				"postcode": parsed.shipping.postcode,
				"country": country,
				"first_channel": self.channel,
				"channel_identities": [
					{"sales_channel": self.channel, "channel_customer_id": customer.channel_customer_id}
				]
				if customer.channel_customer_id
				else [],
			}
		)
		profile.flags.email_checked = True  # looked up above; the unique index settles a race
		profile.run_method("validate")
		self.new_profiles.append(profile)
		for index, value in ((self.by_identity, customer.channel_customer_id), (self.by_email, customer.email),
			(self.by_phone, customer.phone)):  # fmt: skip
			if value:
				index[value] = profile
		return profile

	def write(self) -> None:
		insert_new_documents(self.new_profiles)
		for profile, channel_customer_id in sorted(self.identities_to_add):
			add_identity(profile, self.channel, channel_customer_id)


def add_identity(profile: str, channel: str, channel_customer_id: str) -> None:
	doc = frappe.get_doc("Customer Profile", profile)
	if any(
		r.sales_channel == channel and r.channel_customer_id == channel_customer_id
		for r in doc.channel_identities
	):
		return
	doc.append("channel_identities", {"sales_channel": channel, "channel_customer_id": channel_customer_id})
	doc.save(ignore_permissions=True)


@dataclass
class Entry:
	"""One order of a request on its way through intake."""

	position: int
	raw: object
	log_name: str | None = None
	channel_order_id: str = ""
	parsed: intake_core.IntakeOrder | None = None
	order: object = None  # the new OMS Order document
	existing: tuple[str, str] | None = None  # (order, status) when replayed
	error: tuple[str, str | None] | None = None  # (message, field)

	@property
	def path(self) -> str:
		return f"orders[{self.position}]."


def process_orders(
	channel: str,
	raw_orders: list,
	*,
	positions: list[int] | None = None,
	batch_id: str | None = None,
	idempotency_key: str | None = None,
	log_names: list[str] | None = None,
) -> list[dict]:
	"""Create (or find) the orders of many payloads at once; never raises for a bad order.

	All orders are validated in memory, then written together: one query per table instead of
	dozens per order. Should the batch meet something only the database can settle (another
	request created one of these orders or customers a moment ago), it is rolled back and each
	order is taken on its own.
	"""
	entries = [
		Entry(
			position=(positions[index] if positions else index),
			raw=raw,
			log_name=log_names[index] if log_names else None,
		)
		for index, raw in enumerate(raw_orders)
	]
	frappe.db.savepoint("oms_intake_batch")
	try:
		take_together(channel, entries)
	except Exception as error:
		frappe.db.rollback(save_point="oms_intake_batch")
		if len(entries) > 1:
			return [
				result
				for entry in entries
				for result in process_orders(
					channel,
					[entry.raw],
					positions=[entry.position],
					batch_id=batch_id,
					idempotency_key=idempotency_key,
					log_names=[entry.log_name] if entry.log_name else None,
				)
			]
		if not is_unique_violation(error):
			raise
		# A concurrent request took this order (or created its customer) first: read what it
		# committed and go again; the order is then a replay, or is linked to that customer.
		entries = [Entry(position=e.position, raw=e.raw, log_name=e.log_name) for e in entries]
		take_together(channel, entries, locking=True)
	return write_logs(channel, entries, batch_id, idempotency_key)


def is_unique_violation(error: Exception) -> bool:
	if isinstance(error, frappe.UniqueValidationError | frappe.DuplicateEntryError):
		return True
	return frappe.db.is_unique_key_violation(error) or frappe.db.is_primary_key_violation(error)


def process_one(channel: str, raw, *, position: int = 0, batch_id=None, idempotency_key=None, log_name=None):
	"""One payload (desk replay, demo data)."""
	return process_orders(
		channel,
		[raw],
		positions=[position],
		batch_id=batch_id,
		idempotency_key=idempotency_key,
		log_names=[log_name] if log_name else None,
	)[0]


def raw_channel_order_id(raw) -> str:
	"""The channel order id as sent, for logs and answers even when the payload is refused."""
	return cstr(raw.get("channel_order_id")).strip()[:140] if isinstance(raw, dict) else ""


def take_together(channel: str, entries: list[Entry], locking: bool = False) -> None:
	for entry in entries:
		entry.channel_order_id = raw_channel_order_id(entry.raw)
		try:
			entry.parsed = intake_core.parse_order(entry.raw, entry.path)
		except DomainError as error:
			entry.error = (error.message, error.field)
	parsed = [entry for entry in entries if entry.parsed]
	context = IntakeContext(channel, [entry.parsed for entry in parsed], locking)
	existing = context.existing_orders([entry.parsed.channel_order_id for entry in parsed])
	first_of_id: dict[str, Entry] = {}
	repeats: list[tuple[Entry, Entry]] = []  # (repeat, first) of an id sent twice in this batch
	orders = []
	for entry in parsed:
		channel_order_id = entry.parsed.channel_order_id
		if channel_order_id in existing:
			entry.existing = existing[channel_order_id]
			continue
		if channel_order_id in first_of_id:  # sent twice in one batch: the second is a replay
			repeats.append((entry, first_of_id[channel_order_id]))
			continue
		try:
			entry.order = build_order(context, entry.parsed, entry.path)
		except (DomainError, OrderRefused, frappe.ValidationError) as error:
			frappe.clear_messages()
			entry.error = (
				error.message if isinstance(error, DomainError | OrderRefused) else strip_html(str(error)),
				getattr(error, "field", None),
			)
			continue
		first_of_id[channel_order_id] = entry
		orders.append(entry.order)
	if not orders:
		return
	customers = [order.flags.customer for order in orders if order.flags.customer is not None]
	assign_names([c for c in customers if not isinstance(c, str)] + orders)
	count_previous_orders(orders)
	start_fulfilment(orders)
	for repeat, first in repeats:
		repeat.existing = (first.order.name, first.order.status)
	context.customers.write()
	insert_new_documents(orders)
	insert_new_documents([comment for order in orders for comment in order.flags.deferred_comments])
	for order in orders:
		order.flags.deferred_comments = None
		run_insert_events(order, ("after_insert", "on_update", "on_submit", "on_change"))
	frappe.publish_realtime(
		"list_update", {"doctype": "OMS Order", "name": orders[-1].name}, after_commit=True
	)


def build_order(context: IntakeContext, parsed: intake_core.IntakeOrder, path: str):
	"""A new, submitted-to-be OMS Order from a parsed payload, validated by its controller."""
	channel = context.channel
	if parsed.currency and parsed.currency != channel.currency:
		raise OrderRefused(
			_("{0}currency: {1} differs from the channel's currency {2}").format(
				path, parsed.currency, channel.currency
			),
			f"{path}currency",
		)
	order = frappe.get_doc({"doctype": "OMS Order", "__islocal": 1})
	order.sales_channel = channel.name
	order.channel_order_id = parsed.channel_order_id
	order.order_datetime = to_system_time(parsed.ordered_at) if parsed.ordered_at else now_datetime()
	order.currency = channel.currency
	order.payment_status = parsed.payment_status
	order.paid_amount = flt(parsed.paid_amount) if parsed.paid_amount is not None else 0
	order.shipping_fee = flt(parsed.shipping_fee)
	order.notes = parsed.notes
	set_address(order, parsed, context)
	set_delivery(order, parsed, path)
	for index, line in enumerate(parsed.lines):
		order.append(
			"items",
			{
				"item": context.item(line, f"{path}lines[{index}]."),
				"channel_sku": line.channel_sku or None,
				"qty": flt(line.qty),
				"rate": flt(line.price),
				"discount_amount": flt(line.discount),
				"tax_amount": flt(line.tax),
			},
		)
	order.docstatus = 1
	order.flags.links_resolved = True
	order.flags.fulfilment_started = True
	order.flags.deferred_comments = []
	order.flags.ignore_permissions = True
	apply_defaults(order)
	for event in ("before_insert", "before_validate", "validate", "before_submit"):
		order.run_method(event)
	check_fields(order)
	# the customer last: a refused order leaves no profile behind
	order.flags.customer = context.customers.find_or_add(parsed, context.country(parsed.shipping.country))
	return order


def check_fields(doc) -> None:
	"""Frappe's own field checks (mandatory, options, lengths) on the order and its rows (which
	get their parent when written)."""
	rows = (doc, *doc.get_all_children())
	missing = [
		strip_html(message)
		for row in rows
		for fieldname, message in row._get_missing_mandatory_fields()
		if fieldname not in ("parent", "parenttype")
	]
	if missing:
		raise frappe.MandatoryError("; ".join(missing))
	for row in rows:
		row._validate_selects()
		row._validate_length()


def count_previous_orders(orders: list) -> None:
	"""For the hold rules: each customer's submitted orders before this one (earlier in the batch too)."""
	names = {c if isinstance(c, str) else c.name for c in (o.flags.customer for o in orders) if c is not None}
	counts = dict(
		frappe.db.sql(
			"SELECT `customer`, COUNT(*) FROM `tabOMS Order` WHERE `docstatus`=1 AND `customer` IN %s "
			"GROUP BY `customer`",
			(tuple(names),),
		)
		if names
		else []
	)
	for order in orders:
		customer = order.flags.customer
		order.customer = customer if isinstance(customer, str) or customer is None else customer.name
		order.flags.previous_orders = counts.get(order.customer, 0) if order.customer else 0
		if order.customer:
			counts[order.customer] = counts.get(order.customer, 0) + 1


def result_of(entry: Entry) -> dict:
	if entry.error:
		message, field = entry.error
		return {
			"channel_order_id": entry.channel_order_id or None,
			"outcome": FAILED,
			"errors": [{"field": field, "message": message}],
			"intake_log": entry.log_name,
		}
	order, status = (entry.order.name, entry.order.status) if entry.order else entry.existing
	return {
		"channel_order_id": entry.channel_order_id,
		"outcome": CREATED if entry.order else REPLAYED,
		"replay": not entry.order,
		"order": order,
		"status": status,
		"intake_log": entry.log_name,
	}


def to_system_time(moment):
	if moment.tzinfo is None:
		return moment
	from datetime import timezone

	return convert_utc_to_system_timezone(moment.astimezone(timezone.utc).replace(tzinfo=None)).replace(
		tzinfo=None
	)


def set_address(order, parsed: intake_core.IntakeOrder, context: IntakeContext) -> None:
	shipping = parsed.shipping
	order.shipping_name = shipping.name or parsed.customer.name
	order.shipping_address_line1 = shipping.line1
	order.shipping_address_line2 = shipping.line2
	order.shipping_city = shipping.city
	order.shipping_postcode = shipping.postcode
	order.shipping_region = shipping.region
	order.shipping_country = context.country(shipping.country)
	order.shipping_phone = shipping.phone or parsed.customer.phone
	order.shipping_latitude = shipping.latitude
	order.shipping_longitude = shipping.longitude
	if parsed.billing:
		order.billing_same_as_shipping = 0
		order.billing_address_line1 = parsed.billing.line1
		order.billing_city = parsed.billing.city
		order.billing_postcode = parsed.billing.postcode
		order.billing_country = context.country(parsed.billing.country)


def set_delivery(order, parsed: intake_core.IntakeOrder, path: str) -> None:
	method = parsed.delivery_method or get_settings().default_delivery_method
	if method:
		delivery_type = frappe.get_cached_value("Delivery Method", method, "delivery_type")
		if not delivery_type:
			raise OrderRefused(
				_("{0}delivery_method: {1} is not a delivery method").format(path, method),
				f"{path}delivery_method",
			)
		order.delivery_method = method
		order.delivery_type = delivery_type
	if parsed.pickup_store:
		if not frappe.get_cached_value("Stock Location", parsed.pickup_store, "can_pickup"):
			raise OrderRefused(
				_("{0}pickup_store: {1} is not a store that offers pickup").format(path, parsed.pickup_store),
				f"{path}pickup_store",
			)
		order.pickup_location = parsed.pickup_store


# ---------------------------------------------------------------- log, replay, batches


def write_logs(channel: str, entries: list[Entry], batch_id, idempotency_key) -> list[dict]:
	"""An Intake Log per order (new ones in one statement), a replayed log updated; returns each
	order's answer, naming its log."""
	results, new_logs = [], []
	for entry in entries:
		result = result_of(entry)
		results.append(result)
		fields = {
			"sales_channel": channel,
			"channel_order_id": entry.channel_order_id or None,
			"outcome": result["outcome"],
			"order": result.get("order"),
			"error": entry.error[0] if entry.error else None,
			"error_field": entry.error[1] if entry.error else None,
		}
		if entry.log_name:
			attempts = frappe.db.get_value("Intake Log", entry.log_name, "attempts") or 0
			frappe.db.set_value(
				"Intake Log",
				entry.log_name,
				{**fields, "attempts": attempts + 1, "last_replayed_at": now_datetime()},
			)
			continue
		log = new_log(channel, entry.raw, entry.position, batch_id, idempotency_key, **fields)
		new_logs.append((result, log))
	insert_new_documents(log for _result, log in new_logs)
	for result, log in new_logs:
		result["intake_log"] = log.name
	return results


def new_log(channel, raw, position, batch_id, idempotency_key, **fields):
	return frappe.get_doc(
		{
			"doctype": "Intake Log",
			**fields,
			"sales_channel": channel,
			"received_at": now_datetime(),
			"received_by": frappe.session.user,
			"payload": json.dumps(raw, indent=1, default=str, ensure_ascii=False)[:1_000_000],
			"batch_id": batch_id,
			"batch_position": position,
			"idempotency_key": idempotency_key,
		}
	)


def replay(log_name: str) -> dict:
	"""Run a logged payload again (after a fix, e.g. a new Channel Listing); idempotent."""
	log = frappe.get_doc("Intake Log", log_name)
	raw = json.loads(log.payload or "null")
	return process_one(
		log.sales_channel, raw, position=log.batch_position or 0, batch_id=log.batch_id, log_name=log.name
	)


def queue_batch(channel: str, raw_orders: list, idempotency_key: str | None) -> dict:
	"""Log every order as Queued now; a background job takes them, committing chunk by chunk."""
	batch_id = frappe.generate_hash(length=12)
	logs = [
		new_log(
			channel,
			raw,
			position,
			batch_id,
			idempotency_key,
			outcome=QUEUED,
			channel_order_id=raw_channel_order_id(raw) or None,
		)
		for position, raw in enumerate(raw_orders)
	]
	insert_new_documents(logs)
	frappe.enqueue(
		"oms_omnichannel.channels.intake.process_batch",
		queue="long",
		timeout=3600,
		job_id=f"oms-intake-{batch_id}",
		deduplicate=True,
		enqueue_after_commit=True,
		batch_id=batch_id,
	)
	return {
		"channel": channel,
		"batch_id": batch_id,
		"queued": len(logs),
		"results": [{"intake_log": log.name, "outcome": QUEUED} for log in logs],
		"summary": {"created": 0, "replayed": 0, "failed": 0, "queued": len(logs)},
	}


BATCH_CHUNK = 50  # orders a background batch commits at once


def process_batch(batch_id: str, commit: bool = True) -> dict:
	"""Background job: the Queued logs of the batch, a chunk at a time, each chunk committed,
	with progress.

	A worker killed mid-batch loses nothing: what was committed stays, the rest is still Queued
	(or replays as its existing order) when the batch is run again.
	"""
	logs = frappe.get_all(
		"Intake Log",
		filters={"batch_id": batch_id, "outcome": QUEUED},
		fields=["name", "sales_channel", "payload", "batch_position"],
		order_by="batch_position asc",
	)
	total = len(logs)
	for start in range(0, total, BATCH_CHUNK):
		chunk = logs[start : start + BATCH_CHUNK]
		for channel in dict.fromkeys(log.sales_channel for log in chunk):
			of_channel = [log for log in chunk if log.sales_channel == channel]
			process_orders(
				channel,
				[json.loads(log.payload or "null") for log in of_channel],
				positions=[log.batch_position or 0 for log in of_channel],
				batch_id=batch_id,
				log_names=[log.name for log in of_channel],
			)
		if commit:
			frappe.db.commit()
		done = start + len(chunk)
		frappe.publish_progress(done * 100 / total, title=_("Order intake"), description=f"{done}/{total}")
	return summarise_batch(batch_id)


def summarise_batch(batch_id: str) -> dict:
	rows = frappe.get_all(
		"Intake Log",
		filters={"batch_id": batch_id},
		fields=["outcome", "count(name) as count"],
		group_by="outcome",
	)
	return {row.outcome.lower(): row.count for row in rows}
