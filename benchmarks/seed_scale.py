"""Bulk-load a site with N orders and their stock history, for timing the reports at scale.

Run with the bench's Python, from anywhere, against a site of its own (never the test site):

    /opt/oms-bench/env/bin/python benchmarks/seed_scale.py --bench /opt/oms-bench --site scale.test \
        --orders 200000

It first fills the site with the demo retailer (`setup.demo.create_demo_data`: locations, channels,
carriers, methods) and adds a USD channel, `--items` items and `--customers` customers. Then, day by
day over the last `--days` days, it writes orders with their lines, a reservation per line, a
shipment per shipped order (with tracking events), receipts (stock entries) that keep every
location stocked, and the ledger rows of receipts and shipments, with multi-row parameterised
INSERTs. What it writes keeps the app's invariants: each ledger row's qty_after is the running
balance of its item x location x status; balances equal the ledger plus the open reservations
(`inventory.integrity.check_stock_integrity` finds no drift, and the script checks that at the
end); a line's reserved + shipped never exceeds its ordered quantity; cancelled orders
(docstatus 2) released their reservations and moved no stock.

Mix per order: 1-3 lines (items drawn with a long-tailed popularity, weekly and yearly
seasonality in volume), 4 % cancelled, the rest shipped a few hours after the order and delivered
1-4 days later (Completed), or still in transit (Shipped); orders of the last two days are
partly still Processing with open reservations. It refuses a site that was already seeded.
A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import connect, print_json

PREFIX = "SCL"  # every seeded record's name starts with it
USD_CHANNEL = "Scale US Web Store"
CHUNK_ROWS = 2000  # rows per INSERT statement
EXTRA_COLUMNS = ("creation", "modified", "modified_by", "owner")


def parse_args(argv=None):
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--bench", default="/opt/oms-bench")
	parser.add_argument("--site", required=True)
	parser.add_argument("--orders", type=int, default=200_000)
	parser.add_argument("--days", type=int, default=730)
	parser.add_argument("--items", type=int, default=1000)
	parser.add_argument("--customers", type=int, default=20_000)
	parser.add_argument("--seed", type=int, default=20261129)
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	return parser.parse_args(argv)


class Writer:
	"""Buffers rows per table and writes them as multi-row parameterised INSERTs."""

	def __init__(self, frappe, stamp: datetime):
		self.frappe = frappe
		self.stamp = stamp
		self.buffers: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}
		self.counts: dict[str, int] = defaultdict(int)
		self.known: dict[str, set[str]] = {}

	def add(self, doctype: str, row: dict, at: datetime | None = None) -> None:
		"""Queue a row; its creation and modified are `at` (default: when the seed started)."""
		at = at or self.stamp
		known = self.columns_of(doctype)
		row = {column: value for column, value in row.items() if column in known}
		columns = tuple(row) + EXTRA_COLUMNS
		buffer = self.buffers.setdefault(doctype, (columns, []))
		if buffer[0] != columns:
			raise ValueError(f"{doctype}: rows must share their columns ({buffer[0]} != {columns})")
		buffer[1].append((*row.values(), at, at, "Administrator", "Administrator"))
		if len(buffer[1]) >= CHUNK_ROWS:
			self.flush(doctype)

	def columns_of(self, doctype: str) -> set[str]:
		"""The table's columns: a field the site's version of the app lacks is left out."""
		if doctype not in self.known:
			self.known[doctype] = set(self.frappe.db.get_table_columns(doctype))
		return self.known[doctype]

	def flush(self, doctype: str | None = None) -> None:
		for name in [doctype] if doctype else list(self.buffers):
			columns, rows = self.buffers.get(name, ((), []))
			if not rows:
				continue
			placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
			names = ", ".join(f"`{column}`" for column in columns)
			self.frappe.db.sql(
				f"INSERT INTO `tab{name}` ({names}) VALUES {', '.join([placeholders] * len(rows))}",
				[value for row in rows for value in row],
			)
			self.counts[name] += len(rows)
			rows.clear()


def ensure_masters(frappe, args, rng: random.Random) -> dict:
	"""Demo retailer, a USD channel, the scale items and customers; returns what orders draw on."""
	from oms_omnichannel.setup.demo import create_demo_data

	create_demo_data(commit=False)
	if not frappe.db.exists("Sales Channel", USD_CHANNEL):
		frappe.get_doc(
			{
				"doctype": "Sales Channel",
				"channel_name": USD_CHANNEL,
				"channel_type": "Online Store",
				"currency": "USD",
				"fulfilment_locations": [{"location": "Central Warehouse Berlin", "priority": 1}],
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	now = frappe.utils.now_datetime()
	writer = Writer(frappe, now)
	categories = frappe.get_all("OMS Item Category", pluck="name", order_by="name")
	first_items = frappe.db.count("OMS Item", {"name": ("like", f"{PREFIX}-%")})
	for n in range(first_items + 1, args.items + 1):
		price = round(rng.choice([9.9, 14.9, 19.9, 24.9, 39.0, 59.0, 79.0, 119.0]), 2)
		writer.add(
			"OMS Item",
			{
				"name": f"{PREFIX}-{n:05d}",
				"sku": f"{PREFIX}-{n:05d}",
				"item_name": f"Scale Item {n}",
				"category": categories[n % len(categories)],
				"uom": "Nos",
				"is_stock_item": 1,
				"disabled": 0,
				"standard_price": price,
				"currency": "EUR",
				"weight_kg": 0.5,
				"safety_stock": 5,
				"reorder_level": 10,
				"reorder_qty": 40,
			},
		)
	first_customers = frappe.db.count("Customer Profile", {"name": ("like", f"{PREFIX}-CUST-%")})
	for n in range(first_customers + 1, args.customers + 1):
		writer.add(
			"Customer Profile",
			{
				"name": f"{PREFIX}-CUST-{n:07d}",
				"full_name": f"Scale Customer {n}",
				"email": f"scale.customer.{n}@example.com",
				"city": "Berlin",
				"customer_since": (now - timedelta(days=args.days)).date(),
			},
		)
	writer.flush()
	frappe.db.commit()
	channels = frappe.get_all("Sales Channel", fields=["name", "currency"], order_by="name")
	locations = defaultdict(list)
	for row in frappe.get_all(
		"Sales Channel Location", fields=["parent", "location"], order_by="parent, priority"
	):
		locations[row.parent].append(row.location)
	methods = frappe.get_all(
		"Delivery Method",
		filters={"delivery_type": ("!=", "Self Pickup")},
		fields=["name", "delivery_type", "carrier", "transit_days"],
		order_by="name",
	)
	items = frappe.get_all(
		"OMS Item",
		filters={"name": ("like", f"{PREFIX}-%")},
		fields=["name", "item_name", "standard_price"],
		order_by="name",
	)
	return {
		"channels": [
			(c.name, c.currency, locations.get(c.name) or ["Central Warehouse Berlin"]) for c in channels
		],
		"methods": methods,
		"items": items,
		# long tail: item k is ordered about 1/(k+10) as often as the first
		"weights": [1 / (k + 10) for k in range(len(items))],
		"customers": args.customers,
		"writer": writer,
	}


def day_volume(day: datetime, per_day: float, rng: random.Random) -> int:
	"""Orders on `day`: weekends busier, a yearly swell towards December, Poisson-ish noise."""
	weekly = 1.25 if day.weekday() >= 5 else 0.9
	yearly = 1 + 0.3 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 350) / 365)
	mean = per_day * weekly * yearly
	return max(0, int(rng.gauss(mean, math.sqrt(mean)) + 0.5))


class Seeder:
	def __init__(self, frappe, args, masters: dict, rng: random.Random):
		self.frappe, self.args, self.m, self.rng = frappe, args, masters, rng
		self.w: Writer = masters["writer"]
		self.now = frappe.utils.now_datetime()
		self.stock: dict[tuple[str, str], float] = defaultdict(float)  # ledger running balance
		self.committed: dict[tuple[str, str], float] = defaultdict(float)  # stock minus demand so far
		self.open_reserved: dict[tuple[str, str], float] = defaultdict(float)
		self.rates = {item.name: round(float(item.standard_price) * 0.45, 2) for item in masters["items"]}
		self.pending: list[tuple] = []  # ledger events not yet written: (posting, kind, ...)
		self.ledger_name = int(
			frappe.db.sql("SELECT IFNULL(MAX(`name`), 0) FROM `tabOMS Stock Ledger Entry`")[0][0]
		)
		self.reservation_name = int(
			frappe.db.sql("SELECT IFNULL(MAX(`name`), 0) FROM `tabOMS Stock Reservation`")[0][0]
		)
		self.order_no = self.shipment_no = self.entry_no = self.row_no = 0
		from oms_omnichannel.inventory.reservations import OPEN_STATUSES

		# what the site holds already of the seeded items (the demo steps may have touched them)
		for item, location, qty in frappe.db.sql(
			"""SELECT `item`, `location`, SUM(`qty_change`) FROM `tabOMS Stock Ledger Entry`
			WHERE `item` LIKE %s AND `stock_status` = 'Available' GROUP BY `item`, `location`""",
			f"{PREFIX}-%",
		):
			self.stock[(item, location)] = self.committed[(item, location)] = float(qty)
		for item, location, qty in frappe.db.sql(
			"""SELECT `item`, `location`, SUM(`open_qty`) FROM `tabOMS Stock Reservation`
			WHERE `item` LIKE %s AND `stock_status` = 'Available' AND `status` IN %s
			GROUP BY `item`, `location`""",
			(f"{PREFIX}-%", OPEN_STATUSES),
		):
			self.open_reserved[(item, location)] = float(qty)
			self.committed[(item, location)] -= float(qty)

	def next_row(self, kind: str) -> str:
		self.row_no += 1
		return f"{PREFIX.lower()}{kind}{self.row_no:010d}"

	def run(self) -> None:
		args = self.args
		start = (self.now - timedelta(days=args.days)).replace(hour=0, minute=0, second=0, microsecond=0)
		per_day = args.orders / args.days
		total, started = 0, time.monotonic()
		for d in range(args.days + 1):
			day = start + timedelta(days=d)
			if day > self.now:
				break
			count = day_volume(day, per_day, self.rng)
			if d == args.days or total + count > args.orders:
				count = max(0, args.orders - total)
			self.seed_day(day, count)
			total += count
			self.flush_ledger(before=day + timedelta(days=1))
			self.w.flush()
			self.frappe.db.commit()
			if d % 30 == 0:
				print(f"  {day.date()}: {total} orders, {time.monotonic() - started:.0f} s", flush=True)
		self.flush_ledger(before=datetime.max)
		self.write_balances()
		self.w.flush()
		self.frappe.db.commit()

	def seed_day(self, day: datetime, count: int) -> None:
		rng = self.rng
		seconds = sorted(rng.randrange(60, 86_400) for _ in range(count))
		orders = [self.plan_order(day + timedelta(seconds=s)) for s in seconds]
		# receipts first thing in the morning: what the day's orders need, plus about a week's cover
		need: dict[tuple[str, str], float] = defaultdict(float)
		for order in orders:
			if order["status"] != "Cancelled":
				for item, qty in order["lines"]:
					need[(item, order["location"])] += qty
		receipts: dict[str, list[tuple[str, float]]] = defaultdict(list)
		for key, qty in sorted(need.items()):
			short = qty - self.committed[key]
			if short > 0:
				receipts[key[1]].append((key[0], math.ceil(short + qty * 6 + 5)))
		for location, rows in sorted(receipts.items()):
			self.write_receipt(day + timedelta(seconds=30), location, rows)
		for order in orders:
			self.write_order(order)

	def plan_order(self, at: datetime) -> dict:
		rng, m = self.rng, self.m
		channel, currency, locations = rng.choice(m["channels"])
		lines = {}
		for item in rng.choices(m["items"], weights=m["weights"], k=rng.choice((1, 1, 1, 2, 2, 3))):
			lines[item.name] = lines.get(item.name, 0) + rng.choice((1, 1, 1, 2))
		age = self.now - at
		roll = rng.random()
		if roll < 0.04:
			status = "Cancelled"
		elif age < timedelta(days=2) and roll < 0.5:
			status = "Processing"
		else:
			status = "Shipped"  # becomes Completed when delivered before now
		return {
			"at": at,
			"channel": channel,
			"currency": currency,
			"location": locations[0] if rng.random() < 0.8 else rng.choice(locations),
			"lines": sorted(lines.items()),
			"status": status,
			"customer": rng.randrange(1, m["customers"] + 1),
			"method": rng.choice(m["methods"]),
			"discount": rng.random() < 0.2,
		}

	def write_receipt(self, at: datetime, location: str, rows: list[tuple[str, float]]) -> None:
		self.entry_no += 1
		name = f"STE-{PREFIX}-{self.entry_no:08d}"
		self.w.add(
			"OMS Stock Entry",
			{
				"name": name,
				"docstatus": 1,
				"naming_series": "STE-.YYYY.-",
				"entry_type": "Receipt",
				"posting_datetime": at,
				"to_location": location,
				"to_status": "Available",
				"reason": "Replenishment (scale seed)",
			},
			at,
		)
		for idx, (item, qty) in enumerate(rows, start=1):
			detail = self.next_row("sei")
			self.w.add(
				"OMS Stock Entry Item",
				{
					"name": detail,
					"parent": name,
					"parenttype": "OMS Stock Entry",
					"parentfield": "items",
					"idx": idx,
					"docstatus": 1,
					"item": item,
					"qty": qty,
					"valuation_rate": self.rates[item],
				},
				at,
			)
			self.committed[(item, location)] += qty
			self.pending.append(
				(at, 0, item, location, qty, self.rates[item], "OMS Stock Entry", name, detail)
			)

	def write_order(self, order: dict) -> None:
		self.order_no += 1
		rng, at, location = self.rng, order["at"], order["location"]
		name = f"ORD-{PREFIX}-{self.order_no:08d}"
		cancelled = order["status"] == "Cancelled"
		shipped_at = delivered_at = None
		if order["status"] == "Shipped":
			shipped_at = at + timedelta(minutes=rng.randrange(60, 1800))
			if shipped_at >= self.now:
				order["status"], shipped_at = "Processing", None
			else:
				delivered_at = shipped_at + timedelta(hours=rng.randrange(20, 100))
				if delivered_at < self.now:
					order["status"] = "Completed"
				else:
					delivered_at = None
		rate_factor = 1.1 if order["currency"] == "USD" else 1.0
		lines, merchandise, discount_total, qty_total = [], 0.0, 0.0, 0.0
		for idx, (item, qty) in enumerate(order["lines"], start=1):
			rate = round(float(self.m_price(item)) * rate_factor, 2)
			value = round(rate * qty, 2)
			discount = round(value * 0.1, 2) if order["discount"] else 0.0
			merchandise, discount_total, qty_total = (
				merchandise + value,
				discount_total + discount,
				qty_total + qty,
			)
			lines.append((self.next_row("oi"), idx, item, qty, rate, value, discount))
		shipping = 0.0 if merchandise >= 50 else 4.9
		grand = round(merchandise - discount_total + shipping, 2)
		method = order["method"]
		customer = f"{PREFIX}-CUST-{order['customer']:07d}"
		self.w.add(
			"OMS Order",
			{
				"name": name,
				"docstatus": 2 if cancelled else 1,
				"naming_series": "ORD-.YYYY.-",
				"sales_channel": order["channel"],
				"channel_order_id": f"{PREFIX}-{self.order_no:08d}",
				"order_datetime": at,
				"customer": customer,
				"customer_name": f"Scale Customer {order['customer']}",
				"currency": order["currency"],
				"status": order["status"],
				"payment_status": "Paid",
				"total_qty": qty_total,
				"merchandise_value": round(merchandise, 2),
				"discount_total": round(discount_total, 2),
				"tax_total": 0,
				"shipping_fee": shipping,
				"grand_total": grand,
				"paid_amount": 0 if cancelled else grand,
				"refunded_amount": 0,
				"delivery_method": method.name,
				"delivery_type": method.delivery_type,
				"shipping_name": f"Scale Customer {order['customer']}",
				"shipping_city": "Berlin",
				"shipping_postcode": "10115",
				"billing_same_as_shipping": 1,
			},
			at,
		)
		shipment = None
		if shipped_at:
			self.shipment_no += 1
			shipment = f"SHP-{PREFIX}-{self.shipment_no:08d}"
		for detail, idx, item, qty, rate, value, discount in lines:
			key = (item, location)
			reservation_status = "Released" if cancelled else "Consumed" if shipment else "Open"
			self.w.add(
				"OMS Order Item",
				{
					"name": detail,
					"parent": name,
					"parenttype": "OMS Order",
					"parentfield": "items",
					"idx": idx,
					"docstatus": 2 if cancelled else 1,
					"item": item,
					"item_name": self.m_name(item),
					"qty": qty,
					"rate": rate,
					"discount_amount": discount,
					"tax_amount": 0,
					"amount": round(value - discount, 2),
					"value": value,
					"fulfilment_location": location,
					"reserved_qty": qty if reservation_status == "Open" else 0,
					"shipped_qty": qty if shipment else 0,
					"delivered_qty": qty if delivered_at else 0,
					"returned_qty": 0,
					"cancelled_qty": qty if cancelled else 0,
				},
				at,
			)
			self.reservation_name += 1
			self.w.add(
				"OMS Stock Reservation",
				{
					"name": self.reservation_name,
					"docstatus": 0,
					"item": item,
					"location": location,
					"stock_status": "Available",
					"status": reservation_status,
					"voucher_type": "OMS Order",
					"voucher_no": name,
					"voucher_detail_no": detail,
					"sales_channel": order["channel"],
					"reserved_qty": qty,
					"consumed_qty": qty if shipment else 0,
					"released_qty": qty if cancelled else 0,
					"open_qty": qty if reservation_status == "Open" else 0,
				},
				at,
			)
			if not cancelled:
				self.committed[key] -= qty
			if reservation_status == "Open":
				self.open_reserved[key] += qty
			if shipment:
				self.pending.append(
					(shipped_at, 1, item, location, -qty, 0, "OMS Shipment", shipment, detail)
				)
		if shipment:
			self.write_shipment(shipment, name, order, lines, shipped_at, delivered_at)

	def m_price(self, item: str) -> float:
		return self.rates[item] / 0.45

	def m_name(self, item: str) -> str:
		return f"Scale Item {int(item.rsplit('-', 1)[1])}"

	def write_shipment(self, shipment, order_name, order, lines, shipped_at, delivered_at) -> None:
		method = order["method"]
		promised = (order["at"] + timedelta(days=(method.transit_days or 0) + 2)).date()
		self.w.add(
			"OMS Shipment",
			{
				"name": shipment,
				"docstatus": 1,
				"naming_series": "SHP-.YYYY.-",
				"order": order_name,
				"customer_name": f"Scale Customer {order['customer']}",
				"sales_channel": order["channel"],
				"customer": f"{PREFIX}-CUST-{order['customer']:07d}",
				"source_location": order["location"],
				"status": "Delivered" if delivered_at else "In Transit",
				"promised_date": promised,
				"delivery_method": method.name,
				"delivery_type": method.delivery_type,
				"carrier": method.carrier,
				"tracking_number": f"{PREFIX}{self.shipment_no:010d}",
				"packages": 1,
				"weight_kg": 0.5 * len(lines),
				"cost": 4.9,
				"currency": order["currency"],
				"last_event_at": delivered_at or shipped_at,
				"tracking_token": f"{PREFIX}-{self.shipment_no:010d}-{self.rng.getrandbits(48):012x}",
			},
			shipped_at,
		)
		for idx, (detail, _i, item, qty, *_rest) in enumerate(lines, start=1):
			self.w.add(
				"OMS Shipment Item",
				{
					"name": self.next_row("si"),
					"parent": shipment,
					"parenttype": "OMS Shipment",
					"parentfield": "items",
					"idx": idx,
					"docstatus": 1,
					"order_item": detail,
					"item": item,
					"item_name": self.m_name(item),
					"qty": qty,
				},
				shipped_at,
			)
		events = [(shipped_at, "In Transit", "Left the depot")]
		if delivered_at:
			events.append((delivered_at, "Delivered", "Delivered"))
		for idx, (when, status, text) in enumerate(events, start=1):
			self.w.add(
				"Shipment Tracking Event",
				{
					"name": self.next_row("te"),
					"parent": shipment,
					"parenttype": "OMS Shipment",
					"parentfield": "tracking_events",
					"idx": idx,
					"docstatus": 1,
					"event_time": when,
					"status": status,
					"description": text,
					"source": "carrier",
				},
				shipped_at,
			)

	def flush_ledger(self, before: datetime) -> None:
		"""Write the ledger rows posted before `before`, in posting order, with running balances."""
		ready = sorted(event for event in self.pending if event[0] < before)
		self.pending = [event for event in self.pending if event[0] >= before]
		for at, _kind, item, location, qty, rate, voucher_type, voucher_no, detail in ready:
			key = (item, location)
			self.stock[key] += qty
			if self.stock[key] < 0:
				raise RuntimeError(f"negative stock for {key} at {at}")
			self.ledger_name += 1
			self.w.add(
				"OMS Stock Ledger Entry",
				{
					"name": self.ledger_name,
					"docstatus": 0,
					"item": item,
					"location": location,
					"stock_status": "Available",
					"posting_datetime": at,
					"qty_change": qty,
					"qty_after": self.stock[key],
					"valuation_rate": rate,
					"voucher_type": voucher_type,
					"voucher_no": voucher_no,
					"voucher_detail_no": detail,
					"is_cancellation": 0,
				},
				at,
			)

	def write_balances(self) -> None:
		"""Balances of the seeded items: rows the site has are updated, the others inserted."""
		existing = {
			(item, location): name
			for name, item, location in self.frappe.db.sql(
				"""SELECT `name`, `item`, `location` FROM `tabOMS Stock Balance`
				WHERE `item` LIKE %s AND `stock_status` = 'Available'""",
				f"{PREFIX}-%",
			)
		}
		for n, key in enumerate(sorted(self.stock.keys() | self.open_reserved.keys()), start=1):
			actual, reserved = self.stock[key], self.open_reserved[key]
			if key in existing:
				self.frappe.db.sql(
					"""UPDATE `tabOMS Stock Balance` SET `actual_qty` = %s, `reserved_qty` = %s,
					`available_qty` = %s WHERE `name` = %s""",
					(actual, reserved, actual - reserved, existing[key]),
				)
				continue
			self.w.add(
				"OMS Stock Balance",
				{
					"name": f"{PREFIX.lower()}sb{n:08d}",
					"docstatus": 0,
					"item": key[0],
					"item_name": self.m_name(key[0]),
					"location": key[1],
					"stock_status": "Available",
					"actual_qty": actual,
					"reserved_qty": reserved,
					"available_qty": actual - reserved,
					"incoming_qty": 0,
					"safety_stock": 5,
					"reorder_level": 10,
					"reorder_qty": 40,
				},
			)


def main(argv=None) -> int:
	args = parse_args(argv)
	frappe = connect(args.bench, args.site)
	if frappe.db.exists("OMS Order", {"name": ("like", f"ORD-{PREFIX}-%")}):
		print(f"{args.site} is already seeded; drop the site (or use another) to seed again", file=sys.stderr)
		return 1
	rng = random.Random(args.seed)
	started = time.monotonic()
	frappe.db.sql("SET SESSION unique_checks = 0")
	masters = ensure_masters(frappe, args, rng)
	print(f"masters: {len(masters['items'])} items, {args.customers} customers", flush=True)
	seeder = Seeder(frappe, args, masters, rng)
	seeder.run()
	# fresh statistics, as a site that grew to this size would have them (plans depend on them)
	for doctype in sorted(seeder.w.counts):
		frappe.db.sql(f"ANALYZE TABLE `tab{doctype}`")
	seeded = time.monotonic() - started
	for doctype, count in sorted(seeder.w.counts.items()):
		print(f"{doctype:>26}: {count:>10,} rows")
	print(f"seeded in {seeded:.0f} s")
	from oms_omnichannel.inventory.integrity import find_drift

	checked = time.monotonic()
	drift = find_drift()
	print(f"stock integrity: {len(drift)} drift(s) ({time.monotonic() - checked:.0f} s)")
	totals = {
		doctype: frappe.db.sql(f"SELECT COUNT(*) FROM `tab{doctype}`")[0][0]
		for doctype in ("OMS Order", "OMS Order Item", "OMS Stock Ledger Entry", "OMS Shipment")
	}
	print("site totals: " + ", ".join(f"{doctype} {count:,}" for doctype, count in totals.items()))
	if args.json:
		print_json(
			{"orders": args.orders, "seconds": seeded, "rows": dict(seeder.w.counts), "drift": len(drift)}
		)
	frappe.destroy()
	return 1 if drift else 0


if __name__ == "__main__":
	sys.exit(main())
