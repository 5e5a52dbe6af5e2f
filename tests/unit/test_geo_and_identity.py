import pytest

from oms_omnichannel.core.customers import normalise_email, normalise_phone
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


@pytest.mark.parametrize(
	"raw, expected",
	[("  Anna.Muller@Mail.Example ", "anna.muller@mail.example"), ("", None), (None, None)],
)
def test_email_normal_form(raw, expected):
	assert normalise_email(raw) == expected


def test_bad_email_is_refused():
	with pytest.raises(ValidationFailed, match="not a valid email"):
		normalise_email("anna-at-example")


@pytest.mark.parametrize(
	"raw, expected",
	[
		("+49 151 1234567", "+491511234567"),
		("0049 (30) 123-456", "+4930123456"),
		("030 123456", "030123456"),
		("", None),
	],
)
def test_phone_normal_form(raw, expected):
	assert normalise_phone(raw) == expected


def test_national_number_takes_default_country_code():
	assert normalise_phone("030 123456", default_country_code="49") == "+4930123456"


def test_bad_phone_is_refused():
	with pytest.raises(ValidationFailed, match="not a valid phone"):
		normalise_phone("12")
