"""Demo data: a believable Berlin retailer selling on five channels.

    bench --site <site> execute oms_omnichannel.setup.demo.create_demo_data

Idempotent: every record is looked up by its natural key first, so running it twice
creates nothing new. Generated values come from a seeded random generator, so two sites
get the same data.
"""

from __future__ import annotations

import random

import frappe

DEMO_CURRENCY = "EUR"
DEMO_EMAIL_DOMAIN = "mail.example"
SEED = 20261125

LOCATIONS = [
	# name, type, lat, lon, address, postcode, can_ship, can_pickup, priority
	("Central Warehouse Berlin", "Warehouse", 52.4386, 13.3876, "Ordensmeisterstraße 15", "12099", 1, 0, 1),
	("Store Mitte", "Store", 52.5219, 13.4132, "Alexanderplatz 9", "10178", 1, 1, 5),
	("Store Charlottenburg", "Store", 52.5035, 13.3320, "Kurfürstendamm 26", "10719", 1, 1, 6),
	("Dark Store Kreuzberg", "Dark Store", 52.4990, 13.4030, "Oranienstraße 40", "10999", 1, 0, 3),
	("Partner 3PL Schönefeld", "3PL", 52.3700, 13.5200, "Hans-Grade-Allee 5", "12529", 1, 0, 8),
]

CHANNELS = [
	# name, type, store location, ships from, buffer, allocation %
	(
		"Web Store",
		"Online Store",
		None,
		["Central Warehouse Berlin", "Dark Store Kreuzberg", "Store Mitte"],
		0,
		100,
	),
	("Marketplace Prime", "Marketplace", None, ["Central Warehouse Berlin", "Partner 3PL Schönefeld"], 5, 80),
	("Store Mitte POS", "Physical Store", "Store Mitte", ["Store Mitte"], 0, 100),
	("Store Charlottenburg POS", "Physical Store", "Store Charlottenburg", ["Store Charlottenburg"], 0, 100),
	("Instagram Shop", "Social Media", None, ["Central Warehouse Berlin"], 2, 50),
	("Phone Orders", "Phone", None, [], 0, 100),
]

CARRIERS = [
	("SwiftParcel", "https://track.swiftparcel.example/{tracking_number}"),
	("MetroCourier", "https://metrocourier.example/track?id={tracking_number}"),
	("EuroFreight", "https://eurofreight.example/tracking/{tracking_number}"),
]

DELIVERY_METHODS = [
	# name, type, carrier, transit days, base cost, per kg
	("Standard Delivery", "Standard", "SwiftParcel", 3, 4.90, 0.50),
	("Express Delivery", "Express", "SwiftParcel", 1, 9.90, 1.00),
	("Same-Day Courier", "Express", "MetroCourier", 0, 12.50, 0.00),
	("Freight Delivery", "Standard", "EuroFreight", 5, 29.00, 0.20),
	("Click & Collect", "Self Pickup", None, 0, 0.00, 0.00),
]

CATEGORIES = {
	"Apparel": [
		("TEE", "Organic Cotton T-Shirt", 24.90, 0.2),
		("HOOD", "Fleece Hoodie", 59.00, 0.6),
		("JEAN", "Slim Jeans", 79.00, 0.7),
	],
	"Footwear": [("RUN", "Trail Running Shoe", 119.00, 0.9), ("SNK", "Canvas Sneaker", 69.00, 0.8)],
	"Accessories": [
		("CAP", "Baseball Cap", 19.90, 0.1),
		("BAG", "Recycled Tote Bag", 14.90, 0.2),
		("BTL", "Steel Water Bottle", 24.00, 0.4),
	],
	"Home": [
		("MUG", "Stoneware Mug", 12.00, 0.4),
		("CND", "Soy Candle", 18.50, 0.3),
		("THR", "Wool Throw Blanket", 89.00, 1.2),
	],
	"Sports": [("MAT", "Yoga Mat", 39.00, 1.5), ("BND", "Resistance Band Set", 24.90, 0.4)],
	"Electronics": [
		("EAR", "Wireless Earbuds", 79.90, 0.1),
		("PWR", "Power Bank 10000mAh", 34.90, 0.3),
		("SPK", "Bluetooth Speaker", 49.00, 0.5),
	],
}
VARIANTS = {
	"TEE": ["BLK-S", "BLK-M", "BLK-L", "WHT-S", "WHT-M", "WHT-L", "NAV-M", "NAV-L", "GRN-M", "GRN-L"],
	"HOOD": ["GRY-M", "GRY-L", "BLK-M", "BLK-L", "NAV-M", "NAV-L"],
	"JEAN": ["30", "32", "34", "36"],
	"RUN": ["41", "42", "43", "44", "45"],
	"SNK": ["39", "40", "41", "42", "43"],
	"CAP": ["BLK", "BEI", "NAV"],
	"BAG": ["NAT"],
	"BTL": ["500", "750"],
	"MUG": ["SAND", "SLATE"],
	"CND": ["FIG", "CEDAR"],
	"THR": ["OAT"],
	"EAR": ["BLK", "WHT"],
	"PWR": ["BLK"],
	"SPK": ["RED", "BLU"],
	"MAT": ["PUR", "GRN", "BLK"],
	"BND": ["LIGHT", "HEAVY"],
}

MOBILE_PREFIXES = ("151", "152", "157", "160", "170", "171", "176")  # German mobile networks
FIRST_NAMES = [
	"Anna",
	"Ben",
	"Clara",
	"David",
	"Emma",
	"Felix",
	"Greta",
	"Hannah",
	"Jonas",
	"Katrin",
	"Leon",
	"Lena",
	"Mia",
	"Noah",
	"Olivia",
	"Paul",
	"Sophie",
	"Tim",
	"Yasmin",
	"Ali",
	"Mehmet",
	"Elif",
	"Lukas",
	"Marie",
]
LAST_NAMES = [
	"Müller",
	"Schmidt",
	"Schneider",
	"Fischer",
	"Weber",
	"Meyer",
	"Wagner",
	"Becker",
	"Schulz",
	"Hoffmann",
	"Koch",
	"Richter",
	"Klein",
	"Wolf",
	"Yilmaz",
	"Kaya",
	"Neumann",
	"Schwarz",
	"Braun",
	"Zimmermann",
]
STREETS = [
	"Torstraße",
	"Kastanienallee",
	"Bergmannstraße",
	"Sonnenallee",
	"Schönhauser Allee",
	"Karl-Marx-Straße",
	"Friedrichstraße",
	"Warschauer Straße",
	"Prenzlauer Allee",
	"Kantstraße",
	"Boxhagener Straße",
	"Hermannstraße",
]
POSTCODES = [
	"10115",
	"10119",
	"10178",
	"10245",
	"10405",
	"10437",
	"10551",
	"10623",
	"10961",
	"10999",
	"12043",
	"12047",
]

CUSTOMER_COUNT = 220


def create_demo_data(commit: bool = True) -> dict[str, int]:
	"""Fill the site with the demo retailer; returns how many records of each kind exist now."""
	frappe.only_for(("System Manager", "OMS Manager", "Administrator"))
	rng = random.Random(SEED)
	ensure_currency(DEMO_CURRENCY)
	create_locations()
	create_carriers_and_methods()
	create_channels()
	items = create_items()
	create_channel_listings(items)
	create_customers(rng)
	set_demo_settings()
	for hook in frappe.get_hooks("oms_demo_data_steps"):
		frappe.get_attr(hook)(rng)
	if commit:
		frappe.db.commit()  # run as a bench command: make the data stick
	return summary()


def summary() -> dict[str, int]:
	doctypes = [
		"Stock Location",
		"Sales Channel",
		"OMS Item",
		"Channel Listing",
		"Customer Profile",
		"Carrier",
		"Delivery Method",
		"OMS Stock Balance",
		"OMS Order",
		"OMS Shipment",
	]
	from oms_omnichannel.orders.demo import cross_channel_summary

	counts = {
		doctype: frappe.db.count(doctype) for doctype in doctypes if frappe.db.exists("DocType", doctype)
	}
	return {**counts, **cross_channel_summary()}


def ensure_currency(currency: str) -> None:
	if not frappe.db.exists("Currency", currency):
		frappe.get_doc(
			{"doctype": "Currency", "currency_name": currency, "enabled": 1, "symbol": "€"}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Currency", currency, "enabled", 1)


def insert_if_missing(doctype: str, name_or_filters, values: dict):
	"""Insert a record unless one with this name (or matching these filters) exists."""
	existing = frappe.db.exists(doctype, name_or_filters)
	if existing:
		return existing
	doc = frappe.get_doc({"doctype": doctype, **values})
	doc.insert(ignore_permissions=True)
	return doc.name


def create_locations() -> None:
	for name, kind, lat, lon, street, postcode, can_ship, can_pickup, priority in LOCATIONS:
		insert_if_missing(
			"Stock Location",
			name,
			{
				"location_name": name,
				"location_type": kind,
				"latitude": lat,
				"longitude": lon,
				"address_line1": street,
				"postcode": postcode,
				"city": "Berlin",
				"country": "Germany" if frappe.db.exists("Country", "Germany") else None,
				"can_ship": can_ship,
				"can_pickup": can_pickup,
				"priority": priority,
			},
		)


def create_carriers_and_methods() -> None:
	for name, template in CARRIERS:
		insert_if_missing("Carrier", name, {"carrier_name": name, "tracking_url_template": template})
	for name, kind, carrier, days, base, per_kg in DELIVERY_METHODS:
		insert_if_missing(
			"Delivery Method",
			name,
			{
				"method_name": name,
				"delivery_type": kind,
				"carrier": carrier,
				"transit_days": days,
				"base_cost": base,
				"cost_per_kg": per_kg,
			},
		)


def create_channels() -> None:
	for name, kind, store, ships_from, buffer, allocation in CHANNELS:
		insert_if_missing(
			"Sales Channel",
			name,
			{
				"channel_name": name,
				"channel_type": kind,
				"currency": DEMO_CURRENCY,
				"default_phone_region": "DE",  # a Berlin retailer: national numbers are German
				"store_location": store,
				"atp_buffer_qty": buffer,
				"atp_allocation_percent": allocation,
				"fulfilment_locations": [
					{"location": location, "priority": priority}
					for priority, location in enumerate(ships_from, start=1)
				],
			},
		)


def demo_items() -> list[dict]:
	items = []
	for category, products in CATEGORIES.items():
		for code, product, price, weight in products:
			for variant in VARIANTS[code]:
				sku = f"{code}-{variant}"
				items.append(
					{
						"sku": sku,
						"item_name": f"{product} {variant.replace('-', ' ')}",
						"category": category,
						"standard_price": price,
						"currency": DEMO_CURRENCY,
						"weight_kg": weight,
						"barcode": "400" + str(abs(hash_sku(sku)) % 10**10).zfill(10),
						"safety_stock": 5 if price < 50 else 2,
						"reorder_level": 10 if price < 50 else 4,
						"reorder_qty": 50 if price < 50 else 20,
					}
				)
	return items


def hash_sku(sku: str) -> int:
	"""A stable (not per-process salted) number from a SKU, for demo barcodes."""
	value = 0
	for ch in sku:
		value = (value * 131 + ord(ch)) % (2**61 - 1)
	return value


def create_items() -> list[dict]:
	for category in CATEGORIES:
		insert_if_missing("OMS Item Category", category, {"category_name": category})
	items = demo_items()
	for item in items:
		insert_if_missing("OMS Item", item["sku"], item)
	return items


def create_channel_listings(items: list[dict]) -> None:
	prefixes = {"Marketplace Prime": "MP-", "Instagram Shop": "IG-", "Web Store": ""}
	for channel, prefix in prefixes.items():
		for item in items:
			if channel == "Instagram Shop" and item["category"] not in ("Apparel", "Accessories"):
				continue
			channel_sku = prefix + item["sku"]
			insert_if_missing(
				"Channel Listing",
				{"sales_channel": channel, "channel_sku": channel_sku},
				{"sales_channel": channel, "channel_sku": channel_sku, "item": item["sku"]},
			)


def create_customers(rng: random.Random) -> None:
	channels = [name for name, *_ in CHANNELS]
	for index in range(CUSTOMER_COUNT):
		first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
		email = f"{ascii_name(first)}.{ascii_name(last)}{index}@{DEMO_EMAIL_DOMAIN}".lower()
		channel = rng.choice(channels)
		street = f"{rng.choice(STREETS)} {rng.randint(1, 180)}"
		postcode = rng.choice(POSTCODES)
		phone = f"+49 {rng.choice(MOBILE_PREFIXES)} {rng.randint(10000000, 99999999)}"
		insert_if_missing(
			"Customer Profile",
			{"email": email},
			{
				"full_name": f"{first} {last}",
				"email": email,
				"phone": phone,
				"address_line1": street,
				"postcode": postcode,
				"city": "Berlin",
				"country": "Germany" if frappe.db.exists("Country", "Germany") else None,
				"channel_identities": [
					{"sales_channel": channel, "channel_customer_id": f"C{SEED % 1000}{index:05d}"}
				],
			},
		)


def ascii_name(name: str) -> str:
	return name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss")


def set_demo_settings() -> None:
	settings = frappe.get_single("OMS Settings")
	settings.default_currency = DEMO_CURRENCY
	settings.default_source_location = settings.default_source_location or "Central Warehouse Berlin"
	settings.default_delivery_method = settings.default_delivery_method or "Standard Delivery"
	settings.flags.ignore_permissions = True
	settings.save()
