"""Forecasting core: every figure on small series worked out by hand, and the forecaster against
seasonal naive on a real seasonal series (Mauna Loa CO2, weekly, shipped with statsmodels)."""

import math
import random
from datetime import date
from statistics import NormalDist

import pytest

from oms_omnichannel.core import forecast as fc

Z80 = NormalDist().inv_cdf(0.9)  # 80 % interval: 1.2816


# -- the method rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
	"n, expected",
	[
		(0, fc.NO_HISTORY),
		(1, fc.MEAN),
		(3, fc.MEAN),
		(4, fc.SEASONAL_NAIVE),
		(7, fc.SEASONAL_NAIVE),
		(8, fc.ETS),
	],
)
def test_method_rule(n, expected):
	assert fc.choose_method(n, season_length=4) == expected


def test_default_season_is_a_year_of_weeks():
	assert fc.choose_method(103) == fc.SEASONAL_NAIVE
	assert fc.choose_method(104) == fc.ETS


def test_no_history_forecasts_zero():
	result = fc.forecast([], 3, season_length=4)
	assert result == fc.Forecast(fc.NO_HISTORY, [0.0] * 3, [0.0] * 3, [0.0] * 3)


def test_a_failed_ets_fit_falls_back_to_seasonal_naive(monkeypatch):
	monkeypatch.setattr(fc, "_ets", lambda *args: None)
	history = [10, 20, 30, 40] * 2
	result = fc.forecast(history, 2, season_length=4)
	assert result.method == fc.SEASONAL_NAIVE
	assert result.values == [10, 20]


# -- seasonal naive and mean, by hand ----------------------------------------------------------


def test_seasonal_naive_by_hand():
	# one-season differences 12-10, 22-20, 32-30 = 2 each: sigma 2
	result = fc.seasonal_naive([10, 20, 30, 12, 22, 32], 4, season_length=3)
	assert result.method == fc.SEASONAL_NAIVE
	assert result.values == [12, 22, 32, 12]
	widths = [Z80 * 2, Z80 * 2, Z80 * 2, Z80 * 2 * math.sqrt(2)]  # the 4th point is a season further
	assert result.lower == pytest.approx([v - w for v, w in zip(result.values, widths, strict=True)])
	assert result.upper == pytest.approx([v + w for v, w in zip(result.values, widths, strict=True)])


def test_seasonal_naive_needs_a_full_season():
	with pytest.raises(ValueError):
		fc.seasonal_naive([1, 2], 1, season_length=3)


def test_mean_forecast_by_hand():
	result = fc.mean_forecast([2, 4, 6], 2)  # mean 4, sample sd 2
	assert result.values == [4, 4]
	assert result.upper == pytest.approx([4 + Z80 * 2 * math.sqrt(4 / 3)] * 2)
	assert result.lower == pytest.approx([4 - Z80 * 2 * math.sqrt(4 / 3)] * 2)


def test_demand_bounds_never_go_below_zero():
	result = fc.mean_forecast([0, 10], 1)  # mean 5, sd 7.07: the raw lower bound is negative
	assert result.lower == [0.0]


# -- accuracy ------------------------------------------------------------------------------------


def test_mase_by_hand():
	# in-sample seasonal naive (m=2) errors: 3-1, 4-2, 5-3, 6-4 = 2 each; forecast MAE (1+2)/2
	assert fc.mase([7, 8], [6, 10], [1, 2, 3, 4, 5, 6], season_length=2) == pytest.approx(0.75)


def test_mase_scales_by_one_step_naive_without_a_season_in_sample():
	# 3 points, season 4: scale = mean(|3-1|, |2-3|) = 1.5; error 3
	assert fc.mase([4], [1], [1, 3, 2], season_length=4) == pytest.approx(2.0)


def test_mase_of_a_flat_history_is_undefined():
	assert fc.mase([5], [4], [5, 5, 5, 5, 5], season_length=2) is None
	with pytest.raises(ValueError):
		fc.mase([], [], [1, 2, 3], season_length=1)


def test_backtest_seasonal_naive_by_hand():
	# train [10,20,30,40,12,22] (6 < 2*4: seasonal naive) forecasts 30, 40 for the held-out 32, 42
	result = fc.backtest([10, 20, 30, 40, 12, 22, 32, 42], 2, season_length=4)
	assert result.method == fc.SEASONAL_NAIVE
	assert result.predicted == [30, 40]
	assert result.actual == [32, 42]
	assert result.mae == 2
	assert result.mase == 1.0  # in-sample scale: |12-10|, |22-20| = 2
	assert result.baseline_mase == 1.0


def test_backtest_mean_by_hand():
	# train [4, 6, 5]: mean 5 against 9; shorter than a season, so scaled by one-step naive: 1.5
	result = fc.backtest([4, 6, 5, 9], 1, season_length=4)
	assert result.method == fc.MEAN
	assert result.mase == pytest.approx(2.667)
	assert result.baseline_mase is None


def test_backtest_needs_two_points_to_fit():
	assert fc.backtest([1, 2], 1, season_length=4) is None
	assert fc.backtest([1, 2, 3], 0, season_length=4) is None


# -- ETS -----------------------------------------------------------------------------------------


def seasonal_demand(weeks: int, season: int = 52, seed: int = 0) -> list[float]:
	"""Yearly seasonal demand with a slight trend and seeded Gaussian noise (sd 3)."""
	rng = random.Random(seed)
	return [40 + 0.05 * t + 15 * math.sin(2 * math.pi * t / season) + rng.gauss(0, 3) for t in range(weeks)]


def test_ets_on_two_seasons_of_seasonal_demand():
	full = seasonal_demand(142)
	history, truth = full[:130], full[130:]
	result = fc.forecast(history, 12)
	assert result.method == fc.ETS
	assert len(result.values) == len(result.lower) == len(result.upper) == 12
	assert all(lo <= v <= up for lo, v, up in zip(result.lower, result.values, result.upper, strict=True))
	naive = fc.seasonal_naive(history, 12, season_length=52)
	assert fc.mean_absolute_error(truth, result.values) < fc.mean_absolute_error(truth, naive.values)


def test_ets_forecast_of_no_demand_is_zero():
	result = fc.forecast([0.0] * 104, 4)
	assert result.values == pytest.approx([0.0] * 4, abs=1e-6)
	assert min(result.lower) >= 0


def test_forecaster_beats_seasonal_naive_on_real_co2_series():
	"""Mauna Loa CO2 (weekly, 1958-2001): genuinely seasonal (52 weeks) with a trend. The last
	eight years, gaps interpolated; the last year held out."""
	co2 = pytest.importorskip("statsmodels.datasets.co2")
	series = co2.load_pandas().data["co2"].interpolate().to_list()[-8 * 52 :]
	result = fc.backtest(series, 52)
	assert result.method == fc.ETS
	assert result.mase < 1
	assert result.mase < result.baseline_mase
	print(f"CO2 holdout MASE: ETS {result.mase}, seasonal naive {result.baseline_mase}")


# -- weeks and trends --------------------------------------------------------------------------


def test_weekly_series_fills_missing_weeks_with_zero():
	assert fc.week_start(date(2024, 1, 3)) == date(2024, 1, 1)  # a Wednesday -> its Monday
	quantities = {date(2024, 1, 1): 3, date(2024, 1, 15): 5}
	assert fc.weekly_series(quantities, date(2024, 1, 3), date(2024, 1, 20)) == [3, 0, 5]


def test_growth_rates_by_hand():
	assert fc.growth_rates([100, 150, 0, 50]) == [None, 50.0, -100.0, None]
	assert fc.growth_rates([100, 150, 0, 50], lag=2) == [None, None, -100.0, -66.7]


def test_moving_average_by_hand():
	assert fc.moving_average([1, 2, 3, 4, 5], 3) == [None, None, 2, 3, 4]
	assert fc.moving_average([4], 1) == [4]
	with pytest.raises(ValueError):
		fc.moving_average([1], 0)


# -- stock efficiency -------------------------------------------------------------------------


def test_days_of_cover_by_hand():
	assert fc.days_of_cover(70, 14 / 7) == 35  # 14 a week forecast: 2 a day
	assert fc.days_of_cover(5, 0) is None  # no demand: lasts indefinitely
	assert fc.days_of_cover(-3, 2) == 0


def test_inventory_turnover_by_hand():
	average = fc.average_inventory(500, 700)
	assert average == 600
	turnover = fc.inventory_turnover(1200, average)
	assert turnover == 2
	assert fc.days_of_inventory(30, turnover) == 15
	assert fc.inventory_turnover(100, 0) is None
	assert fc.days_of_inventory(30, None) is None
	assert fc.days_of_inventory(30, 0) is None


def test_movement_flags():
	assert fc.movement_flag(moved=False, on_hand=5, days_inventory=None, slow_after_days=90) == fc.DEAD_STOCK
	assert fc.movement_flag(moved=True, on_hand=5, days_inventory=None, slow_after_days=90) == fc.SLOW_MOVER
	assert fc.movement_flag(moved=True, on_hand=5, days_inventory=120, slow_after_days=90) == fc.SLOW_MOVER
	assert fc.movement_flag(moved=True, on_hand=5, days_inventory=15, slow_after_days=90) is None
	assert fc.movement_flag(moved=False, on_hand=0, days_inventory=None, slow_after_days=90) is None
