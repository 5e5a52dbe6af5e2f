"""Bulk-load a site with N orders and their stock history, for timing the reports at scale.

Run with the bench's Python, from anywhere, against a site of its own (never the test site):

    /opt/oms-bench/env/bin/python benchmarks/seed_scale.py --bench /opt/oms-bench --site scale.test \
        --orders 200000

It first fills the site with the demo retailer (`setup.demo.create_demo_data`: locations, channels,
carriers, methods) and adds a USD channel, `--items` items and `--customers` customers. Then, day by
day over the last `--days` days, it writes orders with their lines, a reservation per line, a
shipment per shipped order (with tracking events), returns, and the stock that serves them: the
central warehouse receives from suppliers (Receipts, about a week's cover) and sends the stores,
the dark store and the 3PL what each part of the day needs, `--deliveries` times a day, by
transfers via In Transit (four ledger rows a line, as the app posts them). Everything goes in with
multi-row parameterised INSERTs, each below max_allowed_packet. What it writes keeps the app's
invariants: each ledger row's qty_after is the running balance of its item x location x status;
balances equal the ledger plus the open reservations (`inventory.integrity.check_stock_integrity`
finds no drift, and the script checks that at the end); a line's reserved + shipped never exceeds
its ordered quantity; cancelled orders (docstatus 2) released their reservations and moved no
stock; a return's line, refund and payment status agree with its order.

Mix per order: 1-4 lines (2.2 on average; items drawn with a long-tailed popularity, weekly and
yearly seasonality in volume), 4 % cancelled, the rest shipped a few hours after the order and
delivered 1-4 days later (Completed), or still in transit (Shipped); orders of the last two days
are partly still Processing with open reservations. Half the orders ship from their channel's
first location, the others from any of its locations. A quarter of the delivered orders send a
line back 2-14 days later (15 % of them damaged). At 1,000,000 orders that is about 2.2 million
lines and 4.8 million ledger rows.

Each day is one transaction that also records how far the seed got; a seed that lost its
connection (MariaDB restarted, say) reconnects and resumes after the last day it committed, as
does a run started again on the same site with the same options (the same draws give the same
rows, so the days already written are replayed without writing). A complete seed is refused.
A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import json
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
CHUNK_ROWS = 2000  # rows per INSERT statement, at most
MAX_STATEMENT_BYTES = 2 * 1024 * 1024  # and about this many bytes of values (max_allowed_packet / 4 if lower)
PRICES = (9.9, 14.9, 19.9, 24.9, 39.0, 59.0, 79.0, 119.0)
CENTRAL = "Central Warehouse Berlin"  # buys from suppliers; replenishes the other locations
PROGRESS = "__oms_scale_seed"  # tabDefaultValue parent of the seed's progress (resuming)
LINES_PER_ORDER = (1, 1, 2, 2, 3, 4)  # lines an order has, drawn from (2.2 on average)
# an order ships from its channel's first location, else from any of them (stores, dark store, 3PL)
FIRST_LOCATION_SHARE = 0.5
RETURN_REASONS = ("Wrong Size", "Wrong Size", "Not as Described", "Changed Mind", "Damaged in Transit")
# the tables the seed writes, with the names of its rows (to count them)
SEEDED = {
	"OMS Item": f"{PREFIX}-%",
	"Customer Profile": f"{PREFIX}-CUST-%",
	"OMS Order": f"ORD-{PREFIX}-%",
	"OMS Order Item": f"{PREFIX.lower()}oi%",
	"OMS Stock Reservation": "%",
	"OMS Shipment": f"SHP-{PREFIX}-%",
	"OMS Shipment Item": f"{PREFIX.lower()}si%",
	"Shipment Tracking Event": f"{PREFIX.lower()}te%",
	"OMS Stock Entry": f"STE-{PREFIX}-%",
	"OMS Stock Entry Item": f"{PREFIX.lower()}sei%",
	"Return Request": f"RET-{PREFIX}-%",
	"Return Request Item": f"{PREFIX.lower()}ri%",
	"OMS Stock Ledger Entry": "%",
	"OMS Stock Balance": f"{PREFIX.lower()}sb%",
}
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
	parser.add_argument(
		"--store-cover",
		type=float,
		default=0,
		help="days of demand a replenishment transfer to a store adds to what the day needs",
	)
	parser.add_argument(
		"--deliveries", type=int, default=3, help="replenishment transfers a day to each other location"
	)
	parser.add_argument(
		"--return-rate", type=float, default=0.25, help="share of delivered orders that send a line back"
	)
	parser.add_argument(
		"--retries", type=int, default=5, help="times to reconnect and resume after losing MariaDB"
	)
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	return parser.parse_args(argv)


class Writer:
	"""Buffers rows per table and writes them as multi-row parameterised INSERTs.

	A statement holds at most CHUNK_ROWS rows and about `max_bytes` of values: MariaDB drops the
	connection on a statement larger than its max_allowed_packet. With `dry` set, rows are counted
	and dropped (a resumed seed replays the days it wrote before without writing them again)."""

	def __init__(self, frappe, stamp: datetime):
		self.frappe = frappe
		self.stamp = stamp
		self.dry = False
		self.buffers: dict[str, tuple[tuple[str, ...], list[tuple], list[int]]] = {}
		self.counts: dict[str, int] = defaultdict(int)
		self.known: dict[str, set[str]] = {}
		packet = int(frappe.db.sql("SELECT @@max_allowed_packet")[0][0])
		self.max_bytes = min(packet // 4, MAX_STATEMENT_BYTES)
		self.largest = 0  # bytes of the largest statement sent

	def add(self, doctype: str, row: dict, at: datetime | None = None) -> None:
		"""Queue a row; its creation and modified are `at` (default: when the seed started)."""
		if self.dry:
			return
		at = at or self.stamp
		known = self.columns_of(doctype)
		row = {column: value for column, value in row.items() if column in known}
		columns = tuple(row) + EXTRA_COLUMNS
		buffer = self.buffers.setdefault(doctype, (columns, [], [0]))
		if buffer[0] != columns:
			raise ValueError(f"{doctype}: rows must share their columns ({buffer[0]} != {columns})")
		values = (*row.values(), at, at, "Administrator", "Administrator")
		size = sum(len(str(value)) + 4 for value in values) + 4
		if buffer[1] and buffer[2][0] + size > self.max_bytes:
			self.flush(doctype)
		buffer[1].append(values)
		buffer[2][0] += size
		if len(buffer[1]) >= CHUNK_ROWS:
			self.flush(doctype)

	def columns_of(self, doctype: str) -> set[str]:
		"""The table's columns: a field the site's version of the app lacks is left out."""
		if doctype not in self.known:
			self.known[doctype] = set(self.frappe.db.get_table_columns(doctype))
		return self.known[doctype]

	def flush(self, doctype: str | None = None) -> None:
		for name in [doctype] if doctype else list(self.buffers):
			columns, rows, size = self.buffers.get(name, ((), [], [0]))
			if not rows:
				continue
			placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
			names = ", ".join(f"`{column}`" for column in columns)
			self.frappe.db.sql(
				f"INSERT INTO `tab{name}` ({names}) VALUES {', '.join([placeholders] * len(rows))}",
				[value for row in rows for value in row],
			)
			self.largest = max(self.largest, size[0])
			self.counts[name] += len(rows)
			rows.clear()
			size[0] = 0

	def discard(self) -> None:
		"""Drop what is queued (the transaction it was for was lost)."""
		for _columns, rows, size in self.buffers.values():
			rows.clear()
			size[0] = 0


def ensure_masters(frappe, args, now: datetime, demo: bool = True) -> dict:
	"""Demo retailer, a USD channel, the scale items and customers; returns what orders draw on."""
	from oms_omnichannel.setup.demo import create_demo_data

	if demo:
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
	writer = Writer(frappe, now)
	categories = frappe.get_all("OMS Item Category", pluck="name", order_by="name")
	first_items = frappe.db.count("OMS Item", {"name": ("like", f"{PREFIX}-%")})
	for n in range(first_items + 1, args.items + 1):
		# each item's own draw: a resumed seed that adds the missing ones gives them the same prices
		price = random.Random(args.seed * 100_003 + n).choice(PRICES)
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
	def __init__(self, frappe, args, masters: dict, rng: random.Random, progress: dict):
		self.frappe, self.args, self.m, self.rng = frappe, args, masters, rng
		self.w: Writer = masters["writer"]
		self.progress = progress
		self.now = datetime.fromisoformat(progress["now"])
		self.stock: dict[tuple[str, str, str], float] = defaultdict(float)  # ledger running balance
		self.committed: dict[tuple[str, str], float] = defaultdict(float)  # Available minus demand so far
		self.open_reserved: dict[tuple[str, str], float] = defaultdict(float)
		self.rates = {item.name: round(float(item.standard_price) * 0.45, 2) for item in masters["items"]}
		# ledger events not yet written: (posting, sequence, item, location, status, qty, rate,
		# voucher type, voucher, voucher line); the sequence keeps a voucher's rows in order
		self.pending: list[tuple] = []
		self.sequence = 0
		self.ledger_name = progress["ledger_base"]
		self.reservation_name = progress["reservation_base"]
		self.order_no = self.shipment_no = self.entry_no = self.return_no = self.row_no = 0

	def next_row(self, kind: str) -> str:
		self.row_no += 1
		return f"{PREFIX.lower()}{kind}{self.row_no:010d}"

	def post(self, at, item, location, status, qty, voucher_type, voucher_no, detail, rate=0.0) -> None:
		"""A ledger row to write; only receipts carry a valuation rate (what the stock cost)."""
		self.sequence += 1
		event = (at, self.sequence, item, location, status, qty, rate, voucher_type, voucher_no, detail)
		self.pending.append(event)

	def run(self) -> None:
		"""Day by day; each day is one transaction that also records it as done. The days a lost
		run committed already are replayed without writing (the same draws give the same rows)."""
		args = self.args
		start = (self.now - timedelta(days=args.days)).replace(hour=0, minute=0, second=0, microsecond=0)
		per_day = args.orders / args.days
		total, started, done = 0, time.monotonic(), self.progress["day"]
		if done >= 0:
			print(f"  resuming after day {done} (replaying it without writing)", flush=True)
		for d in range(args.days + 1):
			day = start + timedelta(days=d)
			if day > self.now:
				break
			count = day_volume(day, per_day, self.rng)
			if d == args.days or total + count > args.orders:
				count = max(0, args.orders - total)
			self.w.dry = d <= done
			self.seed_day(day, count)
			total += count
			# what was posted before this day is complete now (its replenishment came on the eve)
			self.flush_ledger(before=day)
			if not self.w.dry:
				self.w.flush()
				save_progress(self.frappe, {**self.progress, "day": d})
				self.advance_sequences()
				self.frappe.db.commit()
			if d % 30 == 0:
				print(f"  {day.date()}: {total} orders, {time.monotonic() - started:.0f} s", flush=True)
		self.w.dry = False
		self.flush_ledger(before=datetime.max)
		self.write_balances()
		self.w.flush()
		save_progress(self.frappe, {**self.progress, "done": True})
		self.advance_sequences()
		self.frappe.db.commit()

	def advance_sequences(self) -> None:
		"""Past the names the seed gave: the app names ledger rows and reservations from sequences,
		which explicit names do not move (a reservation made after the seed would collide)."""
		from frappe.database.sequence import set_next_val

		set_next_val("OMS Stock Ledger Entry", self.ledger_name, is_val_used=True)
		set_next_val("OMS Stock Reservation", self.reservation_name, is_val_used=True)

	def seed_day(self, day: datetime, count: int) -> None:
		"""The day's orders, after their stock came: the central warehouse receives from suppliers
		the afternoon before (about a week's cover); the other locations get `--deliveries` transfers
		a day from it via In Transit, each bringing what the orders of its part of the day need
		(plus `--store-cover` days) and arriving before that part begins."""
		rng, args = self.rng, self.args
		seconds = sorted(rng.randrange(60, 86_400) for _ in range(count))
		orders = [self.plan_order(day + timedelta(seconds=s)) for s in seconds]
		waves = max(1, args.deliveries)
		need: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * waves)
		for order in orders:
			if order["status"] != "Cancelled":
				wave = min(waves - 1, (order["at"] - day).seconds * waves // 86_400)
				for item, qty in order["lines"]:
					need[(item, order["location"])][wave] += qty
		transfers: list[dict[str, list[tuple[str, float]]]] = [defaultdict(list) for _ in range(waves)]
		central_need: dict[str, float] = defaultdict(float)
		for (item, location), by_wave in sorted(need.items()):
			if location == CENTRAL:
				central_need[item] += sum(by_wave)
				continue
			have = self.committed[(item, location)]
			for wave, qty in enumerate(by_wave):
				short = qty - have
				sent = math.ceil(short + qty * args.store_cover) if short > 0 else 0
				if sent:
					transfers[wave][location].append((item, sent))
					central_need[item] += sent
				have += sent - qty
		receipts = []
		for item, qty in sorted(central_need.items()):
			short = qty - self.committed[(item, CENTRAL)]
			if short > 0:
				receipts.append((item, math.ceil(short + qty * 6 + 5)))
		if receipts:
			self.write_receipt(day - timedelta(hours=10), receipts)
		for wave, by_location in enumerate(transfers):
			starts = day + timedelta(hours=24 * wave / waves)
			dispatch, arrival = (
				(day - timedelta(hours=8), day - timedelta(hours=2))
				if wave == 0
				else (starts - timedelta(hours=4), starts - timedelta(hours=1))
			)
			for location, rows in sorted(by_location.items()):
				self.write_transfer(dispatch, arrival, location, rows)
		for order in orders:
			self.write_order(order)

	def plan_order(self, at: datetime) -> dict:
		rng, m = self.rng, self.m
		channel, currency, locations = rng.choice(m["channels"])
		lines = {}
		for item in rng.choices(m["items"], weights=m["weights"], k=rng.choice(LINES_PER_ORDER)):
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
			"location": locations[0] if rng.random() < FIRST_LOCATION_SHARE else rng.choice(locations),
			"lines": sorted(lines.items()),
			"status": status,
			"customer": rng.randrange(1, m["customers"] + 1),
			"method": rng.choice(m["methods"]),
			"discount": rng.random() < 0.2,
		}

	def stock_entry(self, name: str, at: datetime, fields: dict, rows, valued: bool) -> list:
		"""A submitted stock entry and its lines; returns (line name, item, qty) per line."""
		self.w.add(
			"OMS Stock Entry",
			{
				"name": name,
				"docstatus": 1,
				"naming_series": "STE-.YYYY.-",
				"posting_datetime": at,
				"from_location": None,
				"from_status": None,
				"via_in_transit": 0,
				"received": 0,
				**fields,
			},
			at,
		)
		lines = []
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
					"valuation_rate": self.rates[item] if valued else 0,
				},
				at,
			)
			lines.append((detail, item, qty))
		return lines

	def next_entry(self) -> str:
		self.entry_no += 1
		return f"STE-{PREFIX}-{self.entry_no:08d}"

	def write_receipt(self, at: datetime, rows: list[tuple[str, float]]) -> None:
		name = self.next_entry()
		fields = {
			"entry_type": "Receipt",
			"to_location": CENTRAL,
			"to_status": "Available",
			"reason": "Replenishment (scale seed)",
		}
		for detail, item, qty in self.stock_entry(name, at, fields, rows, valued=True):
			self.committed[(item, CENTRAL)] += qty
			self.post(at, item, CENTRAL, "Available", qty, "OMS Stock Entry", name, detail, self.rates[item])

	def write_transfer(self, at: datetime, arrival: datetime, location: str, rows) -> None:
		"""A transfer from the central warehouse via In Transit, received at `arrival`: four ledger
		rows a line, as `OMS Stock Entry.receive_in_transit` posts them."""
		name = self.next_entry()
		fields = {
			"entry_type": "Transfer",
			"from_location": CENTRAL,
			"from_status": "Available",
			"to_location": location,
			"to_status": "Available",
			"via_in_transit": 1,
			"received": 1,
			"reason": "Store replenishment (scale seed)",
		}
		for detail, item, qty in self.stock_entry(name, at, fields, rows, valued=False):
			self.committed[(item, CENTRAL)] -= qty
			self.committed[(item, location)] += qty
			self.post(at, item, CENTRAL, "Available", -qty, "OMS Stock Entry", name, detail)
			self.post(at, item, location, "In Transit", qty, "OMS Stock Entry", name, detail)
			self.post(arrival, item, location, "In Transit", -qty, "OMS Stock Entry", name, detail)
			self.post(arrival, item, location, "Available", qty, "OMS Stock Entry", name, detail)

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
		returned = self.plan_return(lines, delivered_at) if delivered_at else None
		refunded = returned["refund"] if returned else 0
		payment = "Paid"
		if refunded:
			payment = "Refunded" if refunded >= grand - 0.005 else "Partially Refunded"
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
				"payment_status": payment,
				"total_qty": qty_total,
				"merchandise_value": round(merchandise, 2),
				"discount_total": round(discount_total, 2),
				"tax_total": 0,
				"shipping_fee": shipping,
				"grand_total": grand,
				"paid_amount": 0 if cancelled else grand,
				"refunded_amount": refunded,
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
					"returned_qty": qty if returned and returned["line"] == detail else 0,
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
				self.post(shipped_at, item, location, "Available", -qty, "OMS Shipment", shipment, detail)
		if shipment:
			self.write_shipment(shipment, name, order, lines, shipped_at, delivered_at)
		if returned:
			self.write_return(returned, name, order)

	def plan_return(self, lines: list, delivered_at: datetime) -> dict | None:
		"""A delivered order sends one line back (`--return-rate` of them), received at the central
		warehouse 2-14 days after delivery: resellable to Available, 15 % Damaged."""
		rng = self.rng
		if rng.random() >= self.args.return_rate:
			return None
		detail, _idx, item, qty, _rate, value, discount = rng.choice(lines)
		received = delivered_at + timedelta(hours=rng.randrange(48, 336))
		condition = "Damaged" if rng.random() < 0.15 else "Resellable"
		reason = rng.choice(RETURN_REASONS)
		if received >= self.now:
			return None
		refund = round(value - discount, 2)
		return {
			"line": detail,
			"item": item,
			"qty": qty,
			"refund": refund,
			"at": received,
			"condition": condition,
			"reason": reason,
		}

	def write_return(self, returned: dict, order_name: str, order: dict) -> None:
		self.return_no += 1
		name = f"RET-{PREFIX}-{self.return_no:08d}"
		at = returned["at"]
		self.w.add(
			"Return Request",
			{
				"name": name,
				"docstatus": 1,
				"naming_series": "RET-.YYYY.-",
				"order": order_name,
				"customer": f"{PREFIX}-CUST-{order['customer']:07d}",
				"sales_channel": order["channel"],
				"return_location": CENTRAL,
				"received_at": at,
				"reason": returned["reason"],
				"refund_amount": returned["refund"],
				"needs_approval": 0,
				"currency": order["currency"],
			},
			at,
		)
		detail = self.next_row("ri")
		self.w.add(
			"Return Request Item",
			{
				"name": detail,
				"parent": name,
				"parenttype": "Return Request",
				"parentfield": "items",
				"idx": 1,
				"docstatus": 1,
				"order_item": returned["line"],
				"item": returned["item"],
				"qty": returned["qty"],
				"condition": returned["condition"],
				"refund_amount": returned["refund"],
			},
			at,
		)
		status = "Damaged" if returned["condition"] == "Damaged" else "Available"
		self.post(at, returned["item"], CENTRAL, status, returned["qty"], "Return Request", name, detail)

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
		for at, _seq, item, location, status, qty, rate, voucher_type, voucher_no, detail in ready:
			key = (item, location, status)
			self.stock[key] += qty
			if self.stock[key] < 0:
				raise RuntimeError(f"negative stock for {key} at {at}")
			if voucher_type == "Return Request" and status == "Available":
				self.committed[(item, location)] += qty  # resellable returns are sold again
			self.ledger_name += 1
			self.w.add(
				"OMS Stock Ledger Entry",
				{
					"name": self.ledger_name,
					"docstatus": 0,
					"item": item,
					"location": location,
					"stock_status": status,
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
		"""A balance row per item x location x status the ledger or the reservations touched."""
		keys = set(self.stock) | {(item, location, "Available") for item, location in self.open_reserved}
		existing = {  # the app may have made some already (rows the site has are updated)
			(item, location, status): name
			for name, item, location, status in self.frappe.db.sql(
				"""SELECT `name`, `item`, `location`, `stock_status` FROM `tabOMS Stock Balance`
				WHERE `item` LIKE %s""",
				f"{PREFIX}-%",
			)
		}
		for n, key in enumerate(sorted(keys), start=1):
			actual = self.stock[key]
			reserved = self.open_reserved[key[:2]] if key[2] == "Available" else 0
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
					"stock_status": key[2],
					"actual_qty": actual,
					"reserved_qty": reserved,
					"available_qty": actual - reserved,
					"incoming_qty": 0,
					"safety_stock": 5,
					"reorder_level": 10,
					"reorder_qty": 40,
				},
			)


def load_progress(frappe) -> dict | None:
	row = frappe.db.sql(
		"SELECT `defvalue` FROM `tabDefaultValue` WHERE `parent` = %s AND `defkey` = 'progress'", PROGRESS
	)
	return json.loads(row[0][0]) if row else None


def save_progress(frappe, progress: dict) -> None:
	"""Where the seed is, in the transaction of the day it wrote last."""
	frappe.db.sql("DELETE FROM `tabDefaultValue` WHERE `parent` = %s AND `defkey` = 'progress'", PROGRESS)
	frappe.db.sql(
		"""INSERT INTO `tabDefaultValue` (`name`, `parent`, `parenttype`, `parentfield`, `defkey`,
		`defvalue`, `creation`, `modified`, `owner`, `modified_by`)
		VALUES (%s, %s, '__default', 'system_defaults', 'progress', %s, NOW(), NOW(), 'Administrator',
		'Administrator')""",
		(PROGRESS, PROGRESS, json.dumps(progress)),
	)


def generation(args) -> dict:
	"""What the rows drawn depend on: a seed resumes only with the same."""
	keys = ("orders", "days", "items", "customers", "seed", "store_cover", "deliveries", "return_rate")
	return {key: getattr(args, key) for key in keys}


def seed(frappe, args) -> dict | None:
	"""Write what is missing of the seed (all of it on a fresh site); None when it was complete."""
	progress = load_progress(frappe)
	if progress and progress.get("done"):
		return None
	if not progress and frappe.db.exists("OMS Order", {"name": ("like", f"ORD-{PREFIX}-%")}):
		raise SystemExit(f"{args.site} holds orders of an older seed: drop the site (or use another)")
	if progress and progress["generation"] != generation(args):
		raise SystemExit(
			f"{args.site} holds part of a seed drawn with {progress['generation']}: seed it with the same "
			"options, or drop the site"
		)
	frappe.db.sql("SET SESSION unique_checks = 0")
	now = datetime.fromisoformat(progress["now"]) if progress else frappe.utils.now_datetime()
	# the demo retailer once: run again, it would post stock with names the seed counts on
	masters = ensure_masters(frappe, args, now, demo=not progress)
	if not progress or progress["day"] < 0:  # nothing of the seed's own written yet: name from here
		progress = {
			"generation": generation(args),
			"now": now.isoformat(),
			"day": -1,
			"ledger_base": int(
				frappe.db.sql("SELECT IFNULL(MAX(`name`), 0) FROM `tabOMS Stock Ledger Entry`")[0][0]
			),
			"reservation_base": int(
				frappe.db.sql("SELECT IFNULL(MAX(`name`), 0) FROM `tabOMS Stock Reservation`")[0][0]
			),
		}
		save_progress(frappe, progress)
		frappe.db.commit()
	print(f"masters: {len(masters['items'])} items, {args.customers} customers", flush=True)
	seeder = Seeder(frappe, args, masters, random.Random(args.seed), progress)
	seeder.run()
	return {"rows": dict(seeder.w.counts), "largest_statement": seeder.w.largest}


def lost_connection(error: Exception) -> bool:
	"""MariaDB went away (restarted, killed, dropped the connection) rather than refusing a query."""
	import pymysql

	if isinstance(error, pymysql.err.InterfaceError):
		return True
	return isinstance(error, pymysql.err.OperationalError) and error.args[0] in (2003, 2006, 2013)


def reconnect(args):
	"""A new connection once MariaDB answers again (waits up to ten minutes)."""
	import frappe

	deadline = time.monotonic() + 600
	while True:
		try:
			frappe.destroy()
		except Exception:
			pass
		try:
			return connect(args.bench, args.site)
		except Exception as error:
			if time.monotonic() > deadline:
				raise
			print(f"  waiting for MariaDB: {error}"[:200], flush=True)
			time.sleep(5)


def with_retries(args, frappe, label: str, step):
	"""Run step(frappe); on a lost connection, reconnect and run it again (it resumes)."""
	for attempt in range(1, args.retries + 2):
		try:
			return step(frappe), frappe
		except Exception as error:
			if not lost_connection(error) or attempt > args.retries:
				raise
			print(
				f"{label}: lost the connection to MariaDB ({error}); again, attempt {attempt + 1}", flush=True
			)
			frappe = reconnect(args)


def main(argv=None) -> int:
	args = parse_args(argv)
	frappe = connect(args.bench, args.site)
	if (load_progress(frappe) or {}).get("done"):
		print(f"{args.site} is already seeded; drop the site (or use another) to seed again", file=sys.stderr)
		return 1
	started = time.monotonic()
	written, frappe = with_retries(args, frappe, "seed", lambda db: seed(db, args))
	written = written or {"rows": {}, "largest_statement": 0}

	# fresh statistics, as a site that grew to this size would have them (plans depend on them)
	def analyze(db):
		for doctype in SEEDED:
			db.db.sql(f"ANALYZE TABLE `tab{doctype}`")

	_none, frappe = with_retries(args, frappe, "analyze", analyze)
	seeded = time.monotonic() - started
	totals = {
		doctype: frappe.db.sql(f"SELECT COUNT(*) FROM `tab{doctype}` WHERE `name` LIKE %s", pattern)[0][0]
		for doctype, pattern in SEEDED.items()
	}
	for doctype, count in totals.items():
		print(f"{doctype:>26}: {count:>10,} rows")
	print(
		f"seeded in {seeded:.0f} s; the largest INSERT carried {written['largest_statement'] / 1024:.0f} KiB "
		f"of values (max_allowed_packet {frappe.db.sql('SELECT @@max_allowed_packet')[0][0] / 1024:.0f} KiB)"
	)
	from oms_omnichannel.inventory.integrity import find_drift

	checked = time.monotonic()
	drift, frappe = with_retries(args, frappe, "integrity check", lambda db: find_drift())
	print(f"stock integrity: {len(drift)} drift(s) ({time.monotonic() - checked:.0f} s)")
	ledger = frappe.db.sql("SELECT COUNT(*) FROM `tabOMS Stock Ledger Entry`")[0][0]
	if args.json:
		print_json(
			{
				"site": args.site,
				"orders": args.orders,
				"seconds": seeded,
				"rows": totals,
				"ledger_rows": ledger,
				"drift": len(drift),
				"drift_check_s": time.monotonic() - checked,
			}
		)
	frappe.destroy()
	return 1 if drift else 0


if __name__ == "__main__":
	sys.exit(main())
