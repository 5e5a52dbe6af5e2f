# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import json

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_location, unique


class TestStockLocation(OMSTestCase):
	def test_map_is_set_from_coordinates(self):
		location = make_location(latitude=52.5219, longitude=13.4132)
		point = json.loads(location.map)["features"][0]["geometry"]
		self.assertEqual(point, {"type": "Point", "coordinates": [13.4132, 52.5219]})

	def test_latitude_out_of_range_is_refused_and_nothing_written(self):
		name = unique("LOC")
		with self.assertRaisesRegex(frappe.ValidationError, "Latitude.*123.*out of range"):
			make_location(location_name=name, latitude=123, longitude=13.4)
		self.assertFalse(frappe.db.exists("Stock Location", name))

	def test_longitude_out_of_range_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Longitude.*-200.*out of range"):
			make_location(latitude=52.5, longitude=-200)

	def test_half_given_coordinates_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Longitude is missing"):
			make_location(latitude=52.5, longitude=None)

	def test_location_without_coordinates_is_allowed_and_has_no_map(self):
		location = make_location(latitude=None, longitude=None)
		self.assertFalse(location.map)

	def test_duplicate_name_is_refused(self):
		location = make_location()
		with self.assertRaises(frappe.DuplicateEntryError):
			make_location(location_name=location.location_name)

	def test_unknown_location_type_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Location Type"):
			make_location(location_type="Castle")

	def test_missing_mandatory_name_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Location Name is required"):
			frappe.get_doc({"doctype": "Stock Location", "location_type": "Store"}).insert()
