"""Live meter data: how answers of `smartMeterTelemetry` read, and which of its errors cost what."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from typing import Any

import pytest

from custom_components.kraken_energy.api.kraken import documents
from custom_components.kraken_energy.api.kraken.client import read_answer
from custom_components.kraken_energy.api.kraken.exceptions import (
    KrakenParseError,
    KrakenRateLimitError,
)
from custom_components.kraken_energy.api.kraken.telemetry import (
    TelemetryQuery,
    parse_smart_devices,
    parse_telemetry,
)

EUI = "00-1D-12-00-00-00-E5-01"
DAY = TelemetryQuery((EUI,), datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC))


def _throttled(path: str) -> dict[str, Any]:
    return {
        "message": "Too many requests. Please wait before trying again.",
        "path": [path],
        "extensions": {"errorCode": "KT-GB-4042", "errorType": "SERVICE_AVAILABILITY"},
    }


def test_decimal_strings_read_in_kwh_w_and_pounds() -> None:
    """Registers in Wh become kWh, costs in pence pounds; the newest row is the latest."""
    data = {
        "meterNow0": [
            {"readAt": "2026-11-23T10:09:50+00:00", "consumption": "22905794", "demand": "108.0"},
            {"readAt": "2026-11-23T10:00:00+00:00", "consumption": "22905000", "demand": "90"},
        ],
        "meterToday0": [
            None,
            {"readAt": "2026-11-22T23:30:00+00:00", "consumptionDelta": "999", "costDelta": "1"},
            {"readAt": "2026-11-23T00:00:00+00:00", "consumptionDelta": "66", "costDelta": "2"},
            {
                "readAt": "2026-11-23T00:30:00+00:00",
                "consumptionDelta": "54.5",
                "costDelta": "1.5",
                "costDeltaWithTax": "1.575",
            },
        ],
    }
    (meter,) = parse_telemetry(data, DAY)
    assert meter.latest is not None
    assert meter.latest.demand == 108
    assert meter.latest.import_total == pytest.approx(22905.794)
    assert meter.latest.export_total is None
    assert meter.today is not None
    # The row before the day's start is not today's.
    assert meter.today.consumption == pytest.approx(0.1205)
    assert meter.today.cost_ex_vat == pytest.approx(0.035)
    assert meter.today.cost == pytest.approx(0.01575)
    assert meter.has_data


def test_failed_empty_and_null_readings_differ() -> None:
    """A failed field is "not known", an empty list "no live data", nulls no values."""
    failed, empty = parse_telemetry(
        {"meterNow0": None, "meterNow1": [], "meterToday1": []},
        TelemetryQuery(("a", "b"), DAY.day_start, DAY.day_end),
    )
    assert failed.latest is None
    assert failed.today is None
    assert empty.latest is not None
    assert not empty.has_data
    assert empty.today is not None
    assert empty.today.consumption is None
    (nulls,) = parse_telemetry({"meterNow0": [{"readAt": None, "demand": None}]}, DAY)
    assert nulls.latest is not None
    assert not nulls.has_data


def test_a_reading_that_is_not_a_number_is_a_parse_error() -> None:
    with pytest.raises(KrakenParseError):
        parse_telemetry({"meterNow0": [{"demand": "lots"}]}, DAY)


def test_the_import_meter_and_the_listed_devices_each_once() -> None:
    meter = {
        "smartImportElectricityMeter": {"deviceId": EUI, "type": None, "status": "COMMISSIONED"},
        "smartDevices": [
            {"deviceId": EUI, "type": "ESME", "status": "COMMISSIONED"},
            {"deviceId": "hub", "type": "CHF", "status": "COMMISSIONED"},
            {"deviceId": None, "type": "ESME"},
            None,
        ],
    }
    devices = parse_smart_devices(meter, "meters[0]")
    assert [(device.device_id, device.may_have_telemetry) for device in devices] == [
        (EUI, True),
        ("hub", False),
    ]


def test_too_many_requests_for_the_telemetry_keeps_the_rest() -> None:
    """KT-GB-4042 on a telemetry alias: devices and the other meter's data stand."""
    body = {
        "errors": [_throttled("meterNow0"), _throttled("meterToday0")],
        "data": {"devices": [], "meterNow0": None, "meterToday0": None, "meterNow1": []},
    }
    data = read_answer("SmartFlex", 200, json.dumps(body).encode(), partial=documents.PARTIAL)
    assert data["devices"] == []
    assert data["meterNow1"] == []


def test_too_many_requests_elsewhere_is_still_a_rate_limit() -> None:
    """Only the telemetry's own throttle is tolerated; the same code on the devices is not."""
    body = {"errors": [_throttled("devices")], "data": {"devices": None}}
    with pytest.raises(KrakenRateLimitError):
        read_answer("SmartFlex", 200, json.dumps(body).encode(), partial=documents.PARTIAL)
