import pytest

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.geo import haversine_km, line_geojson, point_geojson, validate_coordinates


def test_haversine_berlin_to_munich():
	# Berlin Alexanderplatz to Munich Marienplatz: about 504 km as the crow flies.
	assert haversine_km(52.5219, 13.4132, 48.1374, 11.5755) == pytest.approx(504, abs=3)


def test_haversine_is_zero_for_the_same_point_and_symmetric():
	assert haversine_km(10, 20, 10, 20) == 0
	assert haversine_km(1, 2, 3, 4) == pytest.approx(haversine_km(3, 4, 1, 2))


@pytest.mark.parametrize(
	"lat, lon, field, text",
	[
		(123, 13, "latitude", "Latitude 123 is out of range"),
		(-90.5, 13, "latitude", "Latitude -90.5 is out of range"),
		(52, 181, "longitude", "Longitude 181 is out of range"),
		(52, None, "longitude", "Longitude is missing"),
		(None, 13, "latitude", "Latitude is missing"),
	],
)
def test_impossible_coordinates_are_refused_naming_the_field(lat, lon, field, text):
	with pytest.raises(ValidationFailed) as raised:
		validate_coordinates(lat, lon)
	assert raised.value.field == field
	assert text in str(raised.value)


def test_valid_and_absent_coordinates_pass():
	validate_coordinates(52.52, 13.40)
	validate_coordinates(-90, 180)
	validate_coordinates(None, None)
	with pytest.raises(ValidationFailed, match="required"):
		validate_coordinates(None, None, required=True)


def test_geojson_puts_longitude_first():
	assert '"coordinates": [13.4, 52.5]' in point_geojson(52.5, 13.4)
	trail = line_geojson([(52.5, 13.4), (52.6, 13.5)])
	assert "LineString" in trail and '"coordinates": [13.5, 52.6]' in trail
