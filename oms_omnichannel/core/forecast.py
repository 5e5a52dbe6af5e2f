"""Demand forecasting, backtesting and stock-efficiency figures from plain series.

Pure Python (statsmodels for exponential smoothing): weekly quantities in, forecasts and figures
out. The forecast service (`analytics/forecasting.py`) and the reports call these; nothing here
knows about Frappe.

Method rule (`choose_method`), for a history of n points and a season of m points:

- n >= 2m: ETS (additive error, damped additive trend, additive season; statsmodels `ETSModel`);
  if the fit fails or gives no finite forecast, seasonal naive;
- m <= n < 2m: seasonal naive (the value one season back);
- 1 <= n < m: the mean of the history;
- n = 0: zero, with no interval.

Forecasts and interval bounds are demand, so never below zero.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

from oms_omnichannel.core.analytics import change_percent

WEEKS_PER_YEAR = 52
DEFAULT_LEVEL = 0.8  # prediction interval coverage

ETS = "ETS"
SEASONAL_NAIVE = "Seasonal Naive"
MEAN = "Mean"
NO_HISTORY = "No History"


@dataclass(frozen=True)
class Forecast:
	method: str
	values: list[float]
	lower: list[float]
	upper: list[float]


@dataclass(frozen=True)
class Backtest:
	method: str  # the method the rule chose for the training part
	mase: float | None  # of the method on the holdout
	baseline_mase: float | None  # of seasonal naive on the same holdout, for comparison
	mae: float
	actual: list[float]
	predicted: list[float]


# -- method choice and forecasts -------------------------------------------------------


def choose_method(n: int, season_length: int = WEEKS_PER_YEAR) -> str:
	if n <= 0:
		return NO_HISTORY
	if n >= 2 * season_length:
		return ETS
	if n >= season_length:
		return SEASONAL_NAIVE
	return MEAN


def forecast(
	history: Sequence[float],
	horizon: int,
	season_length: int = WEEKS_PER_YEAR,
	level: float = DEFAULT_LEVEL,
	method: str | None = None,
) -> Forecast:
	"""The next `horizon` values of `history` with a `level` prediction interval.

	`method` forces one method (used to compare with seasonal naive); by default the rule above."""
	history = [float(value) for value in history]
	if horizon <= 0:
		return Forecast(method or choose_method(len(history), season_length), [], [], [])
	method = method or choose_method(len(history), season_length)
	if method == ETS:
		result = _ets(history, horizon, season_length, level)
		if result is not None:
			return result
		method = SEASONAL_NAIVE if len(history) >= season_length else MEAN
	if method == SEASONAL_NAIVE:
		return seasonal_naive(history, horizon, season_length, level)
	if method == MEAN:
		return mean_forecast(history, horizon, level)
	return Forecast(NO_HISTORY, [0.0] * horizon, [0.0] * horizon, [0.0] * horizon)


def seasonal_naive(
	history: Sequence[float], horizon: int, season_length: int, level: float = DEFAULT_LEVEL
) -> Forecast:
	"""Each future point is the value one season earlier. The interval widens with every season
	ahead: sigma * sqrt(k + 1), k = whole seasons between the last point and the forecast
	(Hyndman & Athanasopoulos, FPP3 5.5); sigma from the in-sample one-season differences."""
	m = season_length
	if len(history) < m:
		raise ValueError(f"seasonal naive needs a full season ({m} points), got {len(history)}")
	last_season = list(history[-m:])
	values = [last_season[h % m] for h in range(horizon)]
	residuals = [history[t] - history[t - m] for t in range(m, len(history))]
	sigma = _rms(residuals)
	widths = [_z(level) * sigma * math.sqrt(h // m + 1) for h in range(horizon)]
	return _bounded(SEASONAL_NAIVE, values, widths)


def mean_forecast(history: Sequence[float], horizon: int, level: float = DEFAULT_LEVEL) -> Forecast:
	"""The mean of the history, with interval sd * sqrt(1 + 1/n) (no interval from one point)."""
	n = len(history)
	mean = sum(history) / n
	sd = math.sqrt(sum((value - mean) ** 2 for value in history) / (n - 1)) if n > 1 else 0.0
	width = _z(level) * sd * math.sqrt(1 + 1 / n)
	return _bounded(MEAN, [mean] * horizon, [width] * horizon)


def _ets(history: list[float], horizon: int, season_length: int, level: float) -> Forecast | None:
	import numpy as np
	import pandas as pd
	from statsmodels.tsa.exponential_smoothing.ets import ETSModel

	# ETSModel's prediction needs an indexed series (a bare array fails in statsmodels 0.14/0.15).
	series = pd.Series(np.asarray(history, dtype=float))
	try:
		with warnings.catch_warnings():
			warnings.simplefilter("ignore")  # convergence chatter on flat or intermittent demand
			fitted = ETSModel(
				series,
				error="add",
				trend="add",
				damped_trend=True,
				seasonal="add",
				seasonal_periods=season_length,
				initialization_method="heuristic",
			).fit(disp=False, maxiter=200)
			frame = fitted.get_prediction(start=len(series), end=len(series) + horizon - 1).summary_frame(
				alpha=1 - level
			)
	except (ValueError, np.linalg.LinAlgError):
		return None
	values = frame["mean"].to_list()
	lower, upper = frame["pi_lower"].to_list(), frame["pi_upper"].to_list()
	if not all(math.isfinite(v) for v in (*values, *lower, *upper)):
		return None
	return Forecast(
		ETS,
		[max(v, 0.0) for v in values],
		[max(v, 0.0) for v in lower],
		[max(v, 0.0) for v in upper],
	)


def _bounded(method: str, values: list[float], widths: list[float]) -> Forecast:
	return Forecast(
		method,
		[max(v, 0.0) for v in values],
		[max(v - w, 0.0) for v, w in zip(values, widths, strict=True)],
		[max(v + w, 0.0) for v, w in zip(values, widths, strict=True)],
	)


def _z(level: float) -> float:
	return NormalDist().inv_cdf(0.5 + level / 2)


def _rms(values: Sequence[float]) -> float:
	return math.sqrt(sum(v * v for v in values) / len(values)) if values else 0.0


# -- accuracy ----------------------------------------------------------------------------


def mase(
	actual: Sequence[float], predicted: Sequence[float], insample: Sequence[float], season_length: int
) -> float | None:
	"""Mean absolute scaled error (Hyndman & Koehler 2006): the forecast's MAE divided by the
	in-sample MAE of the seasonal naive forecast. Below 1: better than seasonal naive was in
	sample. With less than a season plus one point in sample, the scale is the one-step naive MAE;
	None when the scale is zero (a flat history) or nothing can be scaled."""
	if len(actual) != len(predicted) or not actual:
		raise ValueError("actual and predicted must be non-empty and of equal length")
	m = season_length if len(insample) > season_length else 1
	if len(insample) <= m:
		return None
	scale = sum(abs(insample[t] - insample[t - m]) for t in range(m, len(insample))) / (len(insample) - m)
	if scale == 0:
		return None
	return mean_absolute_error(actual, predicted) / scale


def mean_absolute_error(actual: Sequence[float], predicted: Sequence[float]) -> float:
	return sum(abs(a - p) for a, p in zip(actual, predicted, strict=True)) / len(actual)


def backtest(
	history: Sequence[float], horizon: int, season_length: int = WEEKS_PER_YEAR, level: float = DEFAULT_LEVEL
) -> Backtest | None:
	"""Hold out the last `horizon` points, forecast them from the rest with the method the rule
	picks for that length, and score it (MASE) beside seasonal naive on the same holdout.
	None when fewer than two points would be left to fit on."""
	history = [float(value) for value in history]
	if horizon <= 0 or len(history) - horizon < 2:
		return None
	train, actual = history[:-horizon], history[-horizon:]
	result = forecast(train, horizon, season_length, level)
	baseline = (
		seasonal_naive(train, horizon, season_length, level).values if len(train) >= season_length else None
	)
	return Backtest(
		method=result.method,
		mase=_rounded(mase(actual, result.values, train, season_length)),
		baseline_mase=_rounded(mase(actual, baseline, train, season_length)) if baseline else None,
		mae=round(mean_absolute_error(actual, result.values), 4),
		actual=actual,
		predicted=result.values,
	)


def _rounded(value: float | None, digits: int = 3) -> float | None:
	return None if value is None else round(value, digits)


# -- weeks ---------------------------------------------------------------------------------


def week_start(day: date) -> date:
	"""The Monday of the ISO week `day` falls in."""
	return day - timedelta(days=day.weekday())


def weekly_series(quantities: Mapping[date, float], first: date, last: date) -> list[float]:
	"""One value per week from the week of `first` to the week of `last`, zero where nothing
	was recorded (keys are week starts)."""
	week, end = week_start(first), week_start(last)
	series = []
	while week <= end:
		series.append(float(quantities.get(week, 0.0)))
		week += timedelta(days=7)
	return series


# -- trends ----------------------------------------------------------------------------------


def growth_rates(series: Sequence[float], lag: int = 1) -> list[float | None]:
	"""Period-over-period change in % (`lag` periods back); None where there is nothing to
	compare with (the first `lag` periods, or a zero before)."""
	return [None if t < lag else change_percent(series[t], series[t - lag]) for t in range(len(series))]


def moving_average(series: Sequence[float], window: int) -> list[float | None]:
	"""Trailing mean of `window` periods; None until a full window is there."""
	if window <= 0:
		raise ValueError("window must be positive")
	averages: list[float | None] = []
	total = 0.0
	for t, value in enumerate(series):
		total += value
		if t >= window:
			total -= series[t - window]
		averages.append(total / window if t >= window - 1 else None)
	return averages


# -- stock efficiency ------------------------------------------------------------------------


def days_of_cover(available_qty: float, daily_demand: float) -> float | None:
	"""How many days the available stock lasts at the forecast demand; None when no demand is
	forecast (it lasts indefinitely). Stock below zero covers nothing."""
	if daily_demand <= 0:
		return None
	return max(available_qty, 0.0) / daily_demand


def average_inventory(opening_value: float, closing_value: float) -> float:
	return (opening_value + closing_value) / 2


def inventory_turnover(cost_of_goods_shipped: float, average_inventory_value: float) -> float | None:
	"""How many times the average inventory was shipped in the period; None without inventory."""
	if average_inventory_value <= 0:
		return None
	return cost_of_goods_shipped / average_inventory_value


def days_of_inventory(period_days: int, turnover: float | None) -> float | None:
	"""Days the average inventory lasts at the period's rate; None when nothing was shipped."""
	if not turnover or turnover <= 0:
		return None
	return period_days / turnover


DEAD_STOCK = "Dead Stock"
SLOW_MOVER = "Slow Mover"


def movement_flag(
	moved: bool, on_hand: float, days_inventory: float | None, slow_after_days: float
) -> str | None:
	"""Dead stock: on hand and no movement at all in the period. Slow mover: the average
	inventory lasts longer than `slow_after_days`, or stock sat there and none was shipped."""
	if on_hand > 0 and not moved:
		return DEAD_STOCK
	if on_hand > 0 and (days_inventory is None or days_inventory > slow_after_days):
		return SLOW_MOVER
	return None
