# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from frappe.model.document import Document

from oms_omnichannel.core.geo import point_geojson, validate_coordinates
from oms_omnichannel.utils import domain_errors


class StockLocation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address_line1: DF.Data | None
		address_line2: DF.Data | None
		can_pickup: DF.Check
		can_ship: DF.Check
		city: DF.Data | None
		country: DF.Link | None
		disabled: DF.Check
		email: DF.Data | None
		latitude: DF.Float
		location_name: DF.Data
		location_type: DF.Literal["Warehouse", "Store", "Dark Store", "3PL"]
		longitude: DF.Float
		manager: DF.Link | None
		phone: DF.Data | None
		postcode: DF.Data | None
		priority: DF.Int
		region: DF.Data | None

	# end: auto-generated types
	def validate(self):
		self.validate_coordinates()
		self.set_map()

	def validate_coordinates(self):
		latitude, longitude = self.get_coordinates()
		with domain_errors():
			validate_coordinates(latitude, longitude)

	def get_coordinates(self) -> tuple[float | None, float | None]:
		"""Coordinates as entered; a blank field is None (0 is a real coordinate only when both are set)."""
		latitude = self.latitude if self.latitude not in (None, "") else None
		longitude = self.longitude if self.longitude not in (None, "") else None
		if latitude == 0 and longitude == 0:
			return None, None
		return latitude, longitude

	def set_map(self):
		latitude, longitude = self.get_coordinates()
		self.map = point_geojson(latitude, longitude) if latitude is not None else None
