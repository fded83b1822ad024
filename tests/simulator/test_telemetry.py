"""The simulator's smart meter live data (`smartMeterTelemetry`): shapes, errors, agreement
with the property's measurements and the Agile rates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest

from simulator.kraken.measurements import import_kwh
from simulator.kraken.scenario import (
    GB_ACCOUNT,
    GB_API_KEY,
    GB_HOME_MINI_EUI,
    GB_IMPORT_MPAN,
    LONDON,
    expected_unit_rate,
)
from simulator.kraken.schema import execute
from simulator.kraken.state import KrakenState
from simulator.kraken.telemetry import find_meter, latest_reading

from .conftest import Client

QUERY = """
query T($device: String!, $start: DateTime, $end: DateTime, $grouping: TelemetryGrouping) {
  smartMeterTelemetry(deviceId: $device, start: $start, end: $end, grouping: $grouping) {
    readAt consumption consumptionDelta demand export costDelta costDeltaWithTax
  }
}
"""
NOW = "2026-11-23T10:10:07+00:00"
MIDNIGHT = "2026-11-23T00:00:00+00:00"


def _run(state: KrakenState, **variables: Any) -> tuple[Any, list[dict[str, Any]]]:
    token = state.obtain_token({"APIKey": GB_API_KEY}).token
    result = execute(state, QUERY, {"device": GB_HOME_MINI_EUI, **variables}, "T", token)
    errors: list[dict[str, Any]] = [dict(error.formatted) for error in result.errors or ()]
    return (result.data or {}).get("smartMeterTelemetry"), errors


def _code(errors: list[dict[str, Any]]) -> str:
    assert len(errors) == 1
    return str(errors[0]["extensions"]["errorCode"])


def test_the_latest_reading_is_ten_seconds_old_at_most(freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(NOW)
    rows, errors = _run(KrakenState())
    assert not errors
    (row,) = rows
    assert row["readAt"] == "2026-11-23T10:10:00+00:00"
    # The half hour's energy, drawn evenly: demand in W is twice its kWh per half hour.
    slot = import_kwh(GB_IMPORT_MPAN, datetime(2026, 11, 23, 10, 0, tzinfo=LONDON), 30)
    assert Decimal(row["demand"]) == pytest.approx(slot * 2000)
    assert Decimal(row["consumption"]) > 18_250_000
    assert row["consumptionDelta"] is None


def test_half_hourly_rows_agree_with_measurements_and_rates(
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each half hour's delta is the measured import, costed at the Agile rate then."""
    freezer.move_to(NOW)
    rows, errors = _run(
        KrakenState(), start=MIDNIGHT, end="2026-11-24T00:00:00+00:00", grouping="HALF_HOURLY"
    )
    assert not errors
    # 00:00 to 10:10: twenty whole half hours and the one under way.
    assert len(rows) == 21
    previous = None
    for row in rows[:-1]:
        start = datetime.fromisoformat(row["readAt"])
        measured = import_kwh(GB_IMPORT_MPAN, start.astimezone(LONDON), 30)
        assert Decimal(row["consumptionDelta"]) == pytest.approx(
            measured * 1000, abs=Decimal("0.1")
        )
        rate = expected_unit_rate(start)
        assert float(row["costDeltaWithTax"]) == pytest.approx(
            float(measured) * rate.value, abs=1e-3
        )
        # The register is the group's last reading: it grows by each group's delta.
        if previous is not None:
            assert Decimal(row["consumption"]) - Decimal(previous["consumption"]) == pytest.approx(
                Decimal(row["consumptionDelta"]), abs=Decimal("0.2")
            )
        previous = row
    # The half hour under way counts the ten minutes so far.
    assert rows[-1]["readAt"] == "2026-11-23T10:00:00+00:00"


@pytest.mark.parametrize(
    ("grouping", "rows"), [("TEN_SECONDS", 60), ("FIVE_MINUTES", 2), ("HOURLY", 1)]
)
def test_every_grouping(freezer: FrozenDateTimeFactory, grouping: str, rows: int) -> None:
    freezer.move_to(NOW)
    answer, errors = _run(
        KrakenState(),
        start="2026-11-23T10:00:00",  # no offset: UTC, as the reference says
        end="2026-11-23T10:10:00+00:00",
        grouping=grouping,
    )
    assert not errors
    assert len(answer) == rows


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"start": MIDNIGHT}, "KT-GB-4040"),
        ({"start": NOW, "end": MIDNIGHT, "grouping": "HOURLY"}, "KT-GB-4041"),
        (
            {"start": "2026-01-01T00:00:00+00:00", "end": MIDNIGHT, "grouping": "HOURLY"},
            "KT-GB-4051",
        ),
    ],
)
def test_ranges_it_refuses(
    freezer: FrozenDateTimeFactory, variables: dict[str, str], code: str
) -> None:
    freezer.move_to(NOW)
    rows, errors = _run(KrakenState(), **variables)
    assert rows is None
    assert _code(errors) == code


def test_throttled_and_unknown_meters(freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(NOW)
    state = KrakenState()
    site = find_meter([state.scenario.account(GB_ACCOUNT)], GB_HOME_MINI_EUI)
    assert site is not None
    site.device.throttled = True
    rows, errors = _run(state)
    assert rows is None
    assert _code(errors) == "KT-GB-4042"
    assert errors[0]["path"] == ["smartMeterTelemetry"]
    token = state.obtain_token({"APIKey": GB_API_KEY}).token
    result = execute(state, QUERY, {"device": "00-00-00-00-00-00-00-00"}, "T", token)
    assert [(error.extensions or {}).get("errorCode") for error in result.errors or ()] == [
        "KT-GB-4050"
    ]


def test_a_meter_without_a_home_mini_has_nothing(freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(NOW)
    state = KrakenState()
    site = find_meter([state.scenario.account(GB_ACCOUNT)], GB_HOME_MINI_EUI)
    assert site is not None
    site.device.home_mini = False
    assert _run(state) == ([], [])


@pytest.mark.parametrize(
    ("dialect", "fields", "refused"),
    [
        ("seed", "demand", "smartMeterTelemetry"),
        ("gb-2024", "demand export", "export"),
        ("gb-2024", "demand", None),
        ("gb-2026", "demand export", None),
    ],
)
def test_dialects(
    freezer: FrozenDateTimeFactory, dialect: str, fields: str, refused: str | None
) -> None:
    """The seeds' schema has no telemetry; the 2024 GB schema has it without `export`."""
    freezer.move_to(NOW)
    state = KrakenState(dialect=dialect)
    token = state.obtain_token({"APIKey": GB_API_KEY}).token
    query = f'query {{ smartMeterTelemetry(deviceId: "{GB_HOME_MINI_EUI}") {{ {fields} }} }}'
    result = execute(state, query, None, None, token)
    messages = [error.message for error in result.errors or ()]
    if refused is None:
        assert not messages
    else:
        assert any(f"'{refused}'" in message for message in messages), messages


def test_registers_never_go_back_across_midnight() -> None:
    """The export and import registers count on over the clock change and midnight."""
    state = KrakenState()
    site = find_meter([state.scenario.account(GB_ACCOUNT)], GB_HOME_MINI_EUI)
    assert site is not None
    moment = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    last = latest_reading(site, moment)
    for _ in range(12 * 8):
        moment += timedelta(minutes=5)
        reading = latest_reading(site, moment)
        assert reading["consumption"] >= last["consumption"]
        assert reading["export"] >= last["export"]
        last = reading


async def test_the_control_endpoint_throttles_every_home_mini(client: Client) -> None:
    """`POST /_simulator/kraken/telemetry-throttle`: the knob scripts/develop users can reach."""
    client.sim.state.kraken.dialect = "gb-2026"
    control = client.sim.base_url + "/_simulator/kraken/telemetry-throttle"
    async with client.session.post(control, json={}) as response:
        assert await response.json() == {"throttled": True, "meters": 1}
    token = (await client.token(APIKey=GB_API_KEY))["token"]
    query = f'query {{ smartMeterTelemetry(deviceId: "{GB_HOME_MINI_EUI}") {{ demand }} }}'
    reply = await client.post(query, token=token)
    assert reply.status == 200
    assert reply.body["errors"][0]["extensions"]["errorCode"] == "KT-GB-4042"
    async with client.session.post(control, json={"throttled": False}) as response:
        assert (await response.json())["throttled"] is False
    reply = await client.post(query, token=token)
    assert "errors" not in reply.body
