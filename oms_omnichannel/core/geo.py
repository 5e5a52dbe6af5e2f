"""Coordinates and distances. Haversine is the one distance every module uses when no road
distance service is configured."""

from __future__ import annotations

import math

from oms_omnichannel.core.errors import ValidationFailed

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def validate_coordinates(latitude: float | None, longitude: float | None, *, required: bool = False) -> None:
	"""Refuse impossible coordinates, naming the field; both or neither must be given."""
	if latitude is None and longitude is None:
		if required:
			raise ValidationFailed("Latitude and Longitude are required", field="latitude")
		return
	if latitude is None:
		raise ValidationFailed(
			"Latitude and Longitude must be given together: Latitude is missing", field="latitude"
		)
	if longitude is None:
		raise ValidationFailed(
			"Latitude and Longitude must be given together: Longitude is missing", field="longitude"
		)
	if not -90 <= latitude <= 90:
		raise ValidationFailed(
			"Latitude {0} is out of range: it must be between -90 and 90", latitude, field="latitude"
		)
	if not -180 <= longitude <= 180:
		raise ValidationFailed(
			"Longitude {0} is out of range: it must be between -180 and 180", longitude, field="longitude"
		)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
	"""Great-circle distance in kilometres."""
	phi1, phi2 = math.radians(lat1), math.radians(lat2)
	dphi = phi2 - phi1
	dlambda = math.radians(lon2 - lon1)
	a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
	return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def point_geojson(latitude: float, longitude: float) -> str:
	"""A GeoJSON FeatureCollection with one point, the value Frappe's Geolocation field stores."""
	import json

	return json.dumps(
		{
			"type": "FeatureCollection",
			"features": [
				{
					"type": "Feature",
					"properties": {},
					"geometry": {"type": "Point", "coordinates": [longitude, latitude]},
				}
			],
		}
	)


def line_geojson(points: list[tuple[float, float]], *, mark_last: bool = True) -> str:
	"""A trail (list of (lat, lon)) as GeoJSON for a Geolocation field: a line and the last point."""
	import json

	features: list[dict] = []
	if len(points) >= 2:
		features.append(
			{
				"type": "Feature",
				"properties": {},
				"geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]},
			}
		)
	if points and mark_last:
		lat, lon = points[-1]
		features.append(
			{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
		)
	return json.dumps({"type": "FeatureCollection", "features": features})
