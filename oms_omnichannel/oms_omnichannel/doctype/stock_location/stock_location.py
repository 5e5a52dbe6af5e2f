# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from frappe.model.document import Document

from oms_omnichannel.core.geo import point_geojson, validate_coordinates
from oms_omnichannel.utils import domain_errors


class StockLocation(Document):
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
