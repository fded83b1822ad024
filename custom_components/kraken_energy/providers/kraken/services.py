"""The `get_rates` action: rate periods of a Kraken meter point between two instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType
import probatio

from ...api.kraken.models import Fuel, MeterPoint, RatePeriod
from ...const import DOMAIN, Provider
from ...runtime import provider_of
from .coordinator import KrakenConfigEntry
from .rates import rate_periods

SERVICE_GET_RATES = "get_rates"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_METER_POINT = "meter_point"
ATTR_START = "start"
ATTR_END = "end"
# Long enough for a month's chart, short enough to keep the response small.
MAX_PERIOD = timedelta(days=31)
# Moments outside these years have no tariff, and near year 1 or 9999 date arithmetic overflows.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)

GET_RATES_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(ATTR_METER_POINT): cv.string,
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Required(ATTR_END): cv.datetime,
    }
)


def _as_utc(value: datetime) -> datetime:
    """The moment in UTC, or a translated error for one no tariff can cover."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    try:
        moment = dt_util.as_utc(value)
    except OverflowError, ValueError:
        moment = None
    if moment is None or not EARLIEST <= moment <= LATEST:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="date_out_of_range",
            translation_placeholders={
                "earliest": str(EARLIEST.year),
                "latest": str(LATEST.year),
            },
        )
    return moment


def _loaded_entry(hass: HomeAssistant, entry_id: str) -> KrakenConfigEntry:
    entry: KrakenConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    # Rates belong to supplier accounts: Easee and Enode entries have none.
    if entry is None or entry.domain != DOMAIN or provider_of(entry) is not Provider.KRAKEN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_config_entry",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="config_entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    return entry


def _meter_point(entry: KrakenConfigEntry, identifier: str | None) -> MeterPoint:
    account = entry.runtime_data.account.data
    if identifier is None:
        point = next(
            (
                point
                for point in account.meter_points
                if point.fuel is Fuel.ELECTRICITY and point.direction == "import"
            ),
            None,
        )
    else:
        point = account.meter_point(identifier)
    if point is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_meter_point",
            translation_placeholders={"meter_point": identifier or "import"},
        )
    return point


async def _async_get_rates(call: ServiceCall) -> ServiceResponse:
    start = _as_utc(call.data[ATTR_START])
    end = _as_utc(call.data[ATTR_END])
    if end <= start:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="end_before_start")
    if end - start > MAX_PERIOD:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="period_too_long",
            translation_placeholders={"days": str(MAX_PERIOD.days)},
        )
    entry = _loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    point = _meter_point(entry, call.data.get(ATTR_METER_POINT))
    coordinator = entry.runtime_data.account
    zone = dt_util.get_default_time_zone()
    periods: list[tuple[RatePeriod, str]] = []
    for agreement in point.agreements:
        if agreement.tariff is None:
            continue
        window_start = max(start, agreement.valid_from or start)
        window_end = min(end, agreement.valid_to or end)
        periods.extend(
            (period, agreement.tariff.tariff_code)
            for period in rate_periods(
                agreement.tariff, window_start, window_end, zone, coordinator.bands
            )
        )
    periods.sort(key=lambda item: item[0].start)
    rates: list[JsonValueType] = [
        {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "value_inc_vat": period.price.inc_vat,
            "value_ex_vat": period.price.ex_vat,
            "band": period.band.value,
            "tariff_code": tariff_code,
        }
        for period, tariff_code in periods
    ]
    return {
        "meter_point": point.identifier,
        "currency": coordinator.currency,
        "unit": f"{coordinator.currency}/kWh",
        "rates": rates,
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the Kraken actions (once, when the integration loads)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_RATES,
        _async_get_rates,
        schema=GET_RATES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
