"""Heat pump controllers: the backend documents against the simulator, and junk answers."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.kraken_energy.api.kraken import KrakenNotFoundError, KrakenParseError
from custom_components.kraken_energy.api.kraken.heat_pump import (
    fetch_controllers,
    fetch_performance,
    parse_controllers,
    parse_performance,
)
from simulator.app import RunningSimulator
from simulator.kraken.heat_pump import HeatPumpController
from simulator.kraken.scenario import GB_ACCOUNT, GB_HEAT_PUMP_EUID

from .conftest import ClientFactory

GB_PROPERTY = "100001"


def _live(**overrides: Any) -> dict[str, Any]:
    return {
        "readAt": "2026-11-30T08:00:00+00:00",
        "coefficientOfPerformance": "3.15",
        "powerInput": {"value": "0.812", "unit": "KILOWATT"},
        "heatOutput": {"value": "2.558", "unit": "KILOWATT"},
        "outdoorTemperature": {"value": "4.5", "unit": "DEGREES_CELSIUS"},
        **overrides,
    }


def _lifetime(**overrides: Any) -> dict[str, Any]:
    return {
        "readAt": "2026-11-30T08:00:00+00:00",
        "seasonalCoefficientOfPerformance": "2.985",
        "energyInput": {"value": "256.439", "unit": "KILOWATT_HOUR"},
        "heatOutput": {"value": "765.599", "unit": "KILOWATT_HOUR"},
        **overrides,
    }


async def test_controllers_and_performance_from_the_backend(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    client = make_client()
    endpoint = simulator.kraken_backend_url
    euids = await fetch_controllers(client, endpoint, GB_ACCOUNT, [GB_PROPERTY, "999999"])
    assert euids == (GB_HEAT_PUMP_EUID,)

    (answer,) = await fetch_performance(client, endpoint, GB_ACCOUNT, euids, lifetime=True)
    controller = simulator.state.kraken.scenario.account(GB_ACCOUNT).properties[0]
    pump = controller.heat_pump_controllers[0]
    assert answer.euid == GB_HEAT_PUMP_EUID
    assert answer.live is not None
    assert answer.lifetime is not None
    read_at = answer.live.read_at
    assert read_at is not None
    assert float(answer.live.power_input_kw or 0) == pytest.approx(
        pump.power_input_kw(read_at), abs=1e-3
    )
    assert float(answer.lifetime.energy_input_kwh or 0) == pytest.approx(
        pump.energy_input_kwh(read_at), abs=1e-2
    )
    # Only the live part when the lifetime is not asked for.
    (live_only,) = await fetch_performance(client, endpoint, GB_ACCOUNT, euids, lifetime=False)
    assert live_only.lifetime is None
    assert live_only.live is not None


async def test_no_properties_no_request(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    client = make_client()
    assert await fetch_controllers(client, simulator.kraken_backend_url, GB_ACCOUNT, []) == ()
    assert (
        await fetch_performance(client, simulator.kraken_backend_url, GB_ACCOUNT, [], lifetime=True)
        == ()
    )
    assert client.request_count == 0


async def test_an_unknown_controller_is_refused(
    make_client: ClientFactory, simulator: RunningSimulator
) -> None:
    with pytest.raises(KrakenNotFoundError, match="KT-CT-4301"):
        await fetch_performance(
            make_client(), simulator.kraken_backend_url, GB_ACCOUNT, ["ff:ff"], lifetime=False
        )


def test_simulated_counters_grow_by_what_the_live_power_delivered() -> None:
    """The simulator's lifetime counters are the integral of its live power and COP."""
    pump = HeatPumpController(euid="x", provisioned_at=datetime(2025, 10, 1, tzinfo=UTC))
    start = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    step = timedelta(seconds=60)
    energy = heat = 0.0
    at = start
    for _ in range(180):
        middle = at + step / 2
        energy += pump.power_input_kw(middle) / 60
        heat += pump.heat_output_kw(middle) / 60
        at += step
    assert pump.energy_input_kwh(at) - pump.energy_input_kwh(start) == pytest.approx(
        energy, rel=1e-5
    )
    assert pump.heat_output_kwh(at) - pump.heat_output_kwh(start) == pytest.approx(heat, rel=1e-5)


def test_decimal_strings_numbers_and_nulls() -> None:
    data = {
        "live0": _live(
            coefficientOfPerformance=None,
            powerInput={"value": 0.5, "unit": "KILOWATT"},
            heatOutput={"value": None, "unit": "KILOWATT"},
        ),
        "lifetime0": _lifetime(seasonalCoefficientOfPerformance="NaN"),
        "live1": None,
        "lifetime1": None,
    }
    first, second = parse_performance(data, ["a", "b"], lifetime=True)
    assert first.live is not None
    assert first.live.power_input_kw == Decimal("0.5")
    assert first.live.heat_output_kw is None
    assert first.live.coefficient_of_performance is None
    assert first.lifetime is not None
    assert first.lifetime.energy_input_kwh == Decimal("256.439")
    assert first.lifetime.seasonal_coefficient_of_performance is None
    # A controller without telemetry yet: null parts, not an error.
    assert second.live is None
    assert second.lifetime is None


def test_watt_units_are_converted() -> None:
    data = {
        "live0": _live(powerInput={"value": "812", "unit": "WATT"}),
        "lifetime0": _lifetime(energyInput={"value": "256439", "unit": "WATT_HOUR"}),
    }
    (answer,) = parse_performance(data, ["a"], lifetime=True)
    assert answer.live is not None
    assert answer.live.power_input_kw == Decimal("0.812")
    assert answer.lifetime is not None
    assert answer.lifetime.energy_input_kwh == Decimal("256.439")


@pytest.mark.parametrize(
    ("part", "field", "unit"),
    [
        ("lifetime0", "energyInput", "MEGAJOULE"),
        ("lifetime0", "heatOutput", None),
        ("live0", "powerInput", "HORSEPOWER"),
        ("live0", "outdoorTemperature", "DEGREES_FAHRENHEIT"),
    ],
)
def test_unknown_units_are_refused_by_name(part: str, field: str, unit: str | None) -> None:
    data: dict[str, Any] = {"live0": _live(), "lifetime0": _lifetime()}
    data[part][field] = {"value": "1", "unit": unit}
    with pytest.raises(KrakenParseError, match=rf"{part}\.{field}\.unit: unknown unit"):
        parse_performance(data, ["a"], lifetime=True)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"live0": "fast"},
        {"live0": _live(powerInput="1.2")},
        {"live0": _live(powerInput={"value": "lots", "unit": "KILOWATT"})},
        {"live0": _live(powerInput={"value": True, "unit": "KILOWATT"})},
        {"live0": _live(readAt="yesterday")},
        {"live0": _live(coefficientOfPerformance={"value": "3"})},
    ],
)
def test_junk_performance_is_a_parse_error(data: Any) -> None:
    with pytest.raises(KrakenParseError):
        parse_performance(data, ["a"], lifetime=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"at0": {"controller": {"euid": "a"}}},
        {"at0": [{"controller": None}]},
        {"at0": [{"controller": {"euid": ""}}]},
        {"at0": [{"controller": {"euid": 7}}]},
    ],
)
def test_junk_controllers_are_a_parse_error(data: Any) -> None:
    with pytest.raises(KrakenParseError):
        parse_controllers(data, 1)


def test_controllers_are_listed_once_in_order() -> None:
    data = {
        "at0": [{"controller": {"euid": "b"}}, {"controller": {"euid": "a"}}],
        "at1": None,
        "at2": [{"controller": {"euid": "b"}}],
    }
    assert parse_controllers(data, 3) == ("b", "a")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["value", "unit", "readAt", "live0"]), children, max_size=3
        )
    ),
    max_leaves=12,
)


@given(live=_JSON, lifetime=_JSON)
def test_any_json_parses_or_is_a_parse_error(live: Any, lifetime: Any) -> None:
    with contextlib.suppress(KrakenParseError):
        parse_performance({"live0": live, "lifetime0": lifetime}, ["a"], lifetime=True)
