# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Real concurrency: separate processes, each with its own database connection, race for the
last units of one SKU. Exactly the stock on hand is reserved, nothing is oversold, and no
deadlock reaches a client: each client's transaction is wrapped in `retry_on_lock_conflict`, as
the intake REST request is (a retry rolls the whole transaction back first, so only an entry point
that is the transaction may use it; the stock services themselves do not retry)."""

import multiprocessing
import statistics
import time

import frappe

from oms_omnichannel.inventory import reservations
from oms_omnichannel.inventory.locks import StockLockConflict, retry_on_lock_conflict
from oms_omnichannel.inventory.reservations import ReservationRequest
from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.utils import OMSTestCase, balance, make_item, make_location, receive

CLIENTS = 16
ATTEMPTS_PER_CLIENT = 25
STOCK = 100


@retry_on_lock_conflict
def reserve_one(item: str, locations: list[str], voucher_no: str) -> bool:
	"""One client's order for 1 unit: the whole transaction, committed on success."""
	result = reservations.reserve(
		"ToDo", voucher_no, [ReservationRequest(item, 1, "line-1", locations)], allow_partial=False
	)
	frappe.db.commit()
	return result.fully_reserved


def client(
	site: str, sites_path: str, item: str, locations: list[str], client_no: int, results, start_together
) -> None:
	outcome = {"ok": 0, "refused": 0, "errors": [], "seconds": [], "retries": 0}
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		# Warm this process (metadata, settings) so the timings measure reservations, not start-up.
		for doctype in ("OMS Stock Reservation", "OMS Stock Balance", "OMS Item", "OMS Settings"):
			frappe.get_meta(doctype)
		frappe.get_cached_doc("OMS Settings")
		frappe.db.rollback()
		start_together.wait(timeout=120)
		for attempt in range(ATTEMPTS_PER_CLIENT):
			started = time.perf_counter()
			try:
				if reserve_one(item, locations, f"concurrency-{client_no}-{attempt}"):
					outcome["ok"] += 1
				else:
					outcome["refused"] += 1
			except StockLockConflict as error:
				outcome["errors"].append(f"lock conflict: {error}")
				frappe.db.rollback()
			except Exception as error:  # anything else reaching the client is a failure
				outcome["errors"].append(repr(error))
				frappe.db.rollback()
			outcome["seconds"].append(time.perf_counter() - started)
		outcome["retries"] = getattr(frappe.local, "lock_retries", 0)
	except Exception:
		import traceback

		outcome["errors"].append(traceback.format_exc())
	finally:
		results.put(outcome)
		frappe.destroy()


class TestStockConcurrency(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.item = make_item().name
		# two locations, so clients lock several balance rows in the same global order
		cls.locations = [make_location().name, make_location().name]
		receive(cls.item, cls.locations[0], STOCK // 2)
		receive(cls.item, cls.locations[1], STOCK - STOCK // 2)
		frappe.db.commit()  # the clients are other connections: they must see the stock

	@classmethod
	def tearDownClass(cls):
		# Committed test data is removed directly; the ledger's append-only rule is for users.
		for doctype, field in (
			("OMS Stock Reservation", "item"),
			("OMS Stock Ledger Entry", "item"),
			("OMS Stock Balance", "item"),
			("OMS Stock Entry Item", "item"),
		):
			frappe.db.delete(doctype, {field: cls.item})
		frappe.db.delete("OMS Stock Entry", {"to_location": ("in", cls.locations)})
		frappe.db.delete("Reorder Suggestion", {"item": cls.item})
		frappe.db.delete("OMS Item", {"name": cls.item})
		frappe.db.delete("Stock Location", {"name": ("in", cls.locations)})
		frappe.db.commit()
		purge_committed_test_records()
		super().tearDownClass()

	def test_concurrent_clients_never_oversell(self):
		context = multiprocessing.get_context("spawn")
		results = context.Queue()
		start_together = context.Barrier(CLIENTS)
		site, sites_path = frappe.local.site, frappe.local.sites_path
		processes = [
			context.Process(
				target=client, args=(site, sites_path, self.item, self.locations, n, results, start_together)
			)
			for n in range(CLIENTS)
		]
		started = time.perf_counter()
		for process in processes:
			process.start()
		outcomes = [results.get(timeout=120) for _ in processes]
		for process in processes:
			process.join(timeout=60)
		elapsed = time.perf_counter() - started

		ok = sum(o["ok"] for o in outcomes)
		refused = sum(o["refused"] for o in outcomes)
		errors = [e for o in outcomes for e in o["errors"]]
		seconds = sorted(s for o in outcomes for s in o["seconds"])
		retries = sum(o["retries"] for o in outcomes)
		p50 = statistics.median(seconds) * 1000
		p99 = seconds[int(len(seconds) * 0.99) - 1] * 1000
		print(
			f"\nconcurrency: {CLIENTS} clients, {len(seconds)} attempts, {ok} reserved, {refused} refused, "
			f"{len(errors)} errors, {retries} lock retries, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {elapsed:.1f} s"
		)

		self.assertEqual(errors, [])
		self.assertEqual(len(seconds), CLIENTS * ATTEMPTS_PER_CLIENT)
		self.assertEqual(ok, STOCK)
		self.assertEqual(refused, CLIENTS * ATTEMPTS_PER_CLIENT - STOCK)
		for location in self.locations:
			row = balance(self.item, location)
			self.assertEqual(row.available_qty, 0)
			self.assertEqual(row.reserved_qty, row.actual_qty)
		reserved = frappe.db.sql(
			"select sum(open_qty) from `tabOMS Stock Reservation` where item=%s and status='Open'", self.item
		)[0][0]
		self.assertEqual(reserved, STOCK)

		from oms_omnichannel.inventory.integrity import find_drift

		self.assertEqual(find_drift(self.item), [])
