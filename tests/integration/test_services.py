"""The get_rates action and the diagnostics download."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator

from ..conftest import GB_ACCOUNT, GB_API_KEY, MORNING, setup_entry

pytestmark = pytest.mark.usefixtures("london")


async def _get_rates(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "get_rates", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def test_get_rates_returns_todays_half_hours(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A day of an Agile tariff is 48 half-hours at the simulator's prices."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    start = dt_util.start_of_local_day()
    response = await _get_rates(
        hass, config_entry_id=gb_entry.entry_id, start=start, end=start + timedelta(days=1)
    )
    assert response["currency"] == "GBP"
    assert response["unit"] == "GBP/kWh"
    rates = response["rates"]
    assert len(rates) == 48
    first = rates[0]
    assert first["band"] == "half_hourly"
    assert first["start"] == start.astimezone(dt_util.UTC).isoformat()
    expected = simulator.state.kraken.expected_half_hourly_rate(start) / 100
    assert first["value_inc_vat"] == pytest.approx(expected)
    assert first["value_ex_vat"] == pytest.approx(expected / 1.05, rel=1e-3)
    # Money as people write it: pence over 100 leave no float tail (0.13470000000000001).
    for rate in rates:
        for key in ("value_inc_vat", "value_ex_vat"):
            decimals = repr(rate[key]).partition(".")[2]
            assert len(decimals) <= 6, (key, rate[key])


async def test_get_rates_for_a_fixed_tariff_and_naive_times(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Naive times are local; a fixed export tariff is one period over the window."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    response = await _get_rates(
        hass,
        config_entry_id=gb_entry.entry_id,
        meter_point="2000098765432",
        start="2026-11-23 06:00:00",
        end="2026-11-23 18:00:00",
    )
    assert response["rates"] == [
        {
            "start": "2026-11-23T06:00:00+00:00",
            "end": "2026-11-23T18:00:00+00:00",
            "value_inc_vat": pytest.approx(0.15),
            "value_ex_vat": response["rates"][0]["value_ex_vat"],
            "band": "standard",
            "tariff_code": response["rates"][0]["tariff_code"],
        }
    ]


@pytest.mark.parametrize(
    ("data", "translation_key"),
    [
        ({"start": "2026-11-23 10:00:00", "end": "2026-11-23 09:00:00"}, "end_before_start"),
        ({"start": "2026-10-01 00:00:00", "end": "2026-11-23 00:00:00"}, "period_too_long"),
        (
            {"start": "2026-11-23 00:00:00", "end": "2026-11-24 00:00:00", "meter_point": "99"},
            "unknown_meter_point",
        ),
    ],
)
async def test_get_rates_rejects_bad_input_with_translated_errors(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    data: dict[str, str],
    translation_key: str,
) -> None:
    """Bad input names what is wrong, in the user's language."""
    freezer.move_to(MORNING)
    await setup_entry(hass, gb_entry)
    with pytest.raises(ServiceValidationError) as raised:
        await _get_rates(hass, config_entry_id=gb_entry.entry_id, **data)
    assert raised.value.translation_key == translation_key
    assert raised.value.translation_domain == DOMAIN


async def test_get_rates_needs_a_loaded_kraken_entry(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """Unknown and unloaded entries are refused with their own messages."""
    await setup_entry(hass, gb_entry)
    window = {"start": "2026-11-23 00:00:00", "end": "2026-11-24 00:00:00"}
    with pytest.raises(ServiceValidationError) as raised:
        await _get_rates(hass, config_entry_id="nope", **window)
    assert raised.value.translation_key == "unknown_config_entry"

    await hass.config_entries.async_unload(gb_entry.entry_id)
    with pytest.raises(ServiceValidationError) as raised:
        await _get_rates(hass, config_entry_id=gb_entry.entry_id, **window)
    assert raised.value.translation_key == "config_entry_not_loaded"


async def test_diagnostics_redact_secrets_and_identifiers(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
) -> None:
    """Diagnostics show the parsed account, never the key, account number or MPANs."""
    await setup_entry(hass, gb_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, gb_entry)
    text = repr(diagnostics)
    for secret in (GB_API_KEY, GB_ACCOUNT, "2000012345678", "1234567890"):
        assert secret not in text
    assert diagnostics["entry"]["data"]["api_key"] == "**REDACTED**"
    assert diagnostics["coordinator"]["last_update_success"] is True
    points = diagnostics["account"]["meter_points"]
    assert {point["fuel"] for point in points} == {"electricity", "gas"}
    assert diagnostics["account"]["balance"] == pytest.approx(42.5)
    # Smart devices are there by kind and state, without their registration ids.
    devices = diagnostics["smartflex"]["devices"]
    assert {device["kind"] for device in devices} >= {"vehicle", "charger", "heat_pump"}
    assert "6f1c2f50-0001-4e6a-9a55-000000000001" not in text
