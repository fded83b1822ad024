"""Live meter data: what a consumer device (Octopus Home Mini, a CAD) reads from a smart meter.

Octopus Energy GB answers `smartMeterTelemetry(deviceId:, start:, end:, grouping:)` for the
EUI-64 of an electricity meter (`ElectricityMeterType.smartDevices[].deviceId`), but only when
a consumer device feeds it (research kraken_energy_data.md section 2; developer.octopus.energy
reference). Without range arguments it gives the latest reading; with a range and a grouping,
one row per group. Values are Decimals (strings on the wire), in Wh, W and pence, and may be
null. The field is throttled on its own (KT-GB-4042), so its errors never cost the rest of
the answer: they are tolerated per field (`PARTIAL`) and read as "not known this time".

Two aliases per meter ride in the request the device poll sends anyway: the latest reading
(demand, the meter's import and export registers) and today's half-hourly rows (today's
consumption and cost).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..json_fields import JsonFields
from .exceptions import KrakenParseError
from .selection import F, f, fields

_FIELDS = JsonFields(KrakenParseError)

LATEST_ALIAS = "meterNow"
"""`meterNow0`, `meterNow1`, ...: one meter's latest reading each."""
TODAY_ALIAS = "meterToday"
"""`meterToday0`, ...: one meter's rows since the start of the local day."""
METER_VARIABLE = "meter"
DAY_START = "dayStart"
DAY_END = "dayEnd"
# Half-hourly rows: at most 48 a day, and each half hour's cost at that half hour's rate.
DAY_GROUPING = "HALF_HOURLY"

WH_PER_KWH = 1000.0
PENCE_PER_POUND = 100.0

# Errors of the telemetry field that leave the rest of the answer standing (the developer
# reference lists them for this query): unable to query, range errors, too many requests,
# network error, smart meter not found, range too far back, no HAN record; and Kraken's
# generic internal error and disabled field.
PARTIAL_ERROR_CODES = frozenset(
    {
        "KT-GB-4039",
        "KT-GB-4040",
        "KT-GB-4041",
        "KT-GB-4042",
        "KT-GB-4043",
        "KT-GB-4050",
        "KT-GB-4051",
        "KT-GB-4056",
        "KT-CT-1113",
        "KT-CT-7899",
    }
)
PARTIAL: Mapping[str, frozenset[str]] = {
    LATEST_ALIAS: PARTIAL_ERROR_CODES,
    TODAY_ALIAS: PARTIAL_ERROR_CODES,
}

# The smart devices of an electricity meter; `type` tells the meter (ESME) from the hub. Most
# public clients read the import meter's own field instead; both are asked where they exist.
_DEVICE = fields("deviceId", "type", "status")
SMART_DEVICES = (f("smartImportElectricityMeter", *_DEVICE), f("smartDevices", *_DEVICE))
ELECTRICITY_METER = "ESME"


@dataclass(frozen=True, slots=True)
class SmartMeterDevice:
    """A device on the meter's home area network: the meter itself (ESME), the hub (CHF)."""

    device_id: str
    """The EUI-64 ("12-34-5A-FF-FF-6B-C7-89"): an identifier, kept out of logs."""
    kind: str | None
    status: str | None

    @property
    def may_have_telemetry(self) -> bool:
        """An electricity meter, or a device whose kind the instance does not say."""
        return self.kind is None or self.kind.upper() == ELECTRICITY_METER


@dataclass(frozen=True, slots=True, kw_only=True)
class LatestReading:
    """The meter's latest reading; every value None when the meter has no live data."""

    read_at: datetime | None = None
    demand: float | None = None
    """Power drawn now, W."""
    import_total: float | None = None
    """The import register, kWh."""
    export_total: float | None = None
    """The export register, kWh."""

    @property
    def has_data(self) -> bool:
        """Whether anything was read: a consumer device feeds the meter's data."""
        return self.demand is not None or self.import_total is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class DayTotals:
    """Consumption and cost since `start` (the local day's start), from the day's rows."""

    start: datetime
    consumption: float | None = None
    """kWh."""
    cost: float | None = None
    """Major currency units, VAT included."""
    cost_ex_vat: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterTelemetry:
    """One meter's live data. A part is None when its field failed or was not asked."""

    device_id: str
    latest: LatestReading | None = None
    today: DayTotals | None = None

    @property
    def has_data(self) -> bool:
        """Whether the meter's latest reading carried values."""
        return self.latest is not None and self.latest.has_data


@dataclass(frozen=True, slots=True)
class TelemetryQuery:
    """Which meters to ask about, and the local day whose totals to ask for."""

    device_ids: tuple[str, ...]
    day_start: datetime
    day_end: datetime


def parse_smart_devices(meter: dict[str, Any], path: str) -> tuple[SmartMeterDevice, ...]:
    """A meter's smart devices, its import meter first, each once; those without an id skipped."""
    import_meter = meter.get("smartImportElectricityMeter")
    listed = _FIELDS.as_list(meter.get("smartDevices"), f"{path}.smartDevices")
    devices: dict[str, SmartMeterDevice] = {}
    for index, item in enumerate([import_meter, *listed]):
        if item is None:
            continue
        device = _FIELDS.as_dict(item, f"{path}.smartDevices[{index}]")
        device_id = device.get("deviceId")
        if not isinstance(device_id, str) or not device_id or device_id in devices:
            continue
        kind, status = device.get("type"), device.get("status")
        devices[device_id] = SmartMeterDevice(
            device_id,
            # The import meter's own field names an electricity meter whatever its `type`.
            "ESME" if item is import_meter else kind if isinstance(kind, str) else None,
            status if isinstance(status, str) else None,
        )
    return tuple(devices.values())


def selections(count: int) -> tuple[F, ...]:
    """The latest reading and today's rows of `count` meters ($meter0, ...)."""
    nodes: list[F] = []
    for index in range(count):
        device = f"${METER_VARIABLE}{index}"
        nodes.append(
            f(
                "smartMeterTelemetry",
                *fields("readAt", "consumption", "demand", "export"),
                alias=f"{LATEST_ALIAS}{index}",
                args={"deviceId": device},
            )
        )
        nodes.append(
            f(
                "smartMeterTelemetry",
                *fields("readAt", "consumptionDelta", "costDelta", "costDeltaWithTax"),
                alias=f"{TODAY_ALIAS}{index}",
                args={
                    "deviceId": device,
                    "start": f"${DAY_START}",
                    "end": f"${DAY_END}",
                    "grouping": DAY_GROUPING,
                },
            )
        )
    return tuple(nodes)


def variable_types(count: int) -> dict[str, str]:
    """The variables `selections` may use, with their types."""
    return {
        **{f"{METER_VARIABLE}{index}": "String!" for index in range(count)},
        DAY_START: "DateTime",
        DAY_END: "DateTime",
    }


def variables(query: TelemetryQuery) -> dict[str, str]:
    """The values of those variables."""
    return {
        **{f"{METER_VARIABLE}{index}": device for index, device in enumerate(query.device_ids)},
        DAY_START: query.day_start.isoformat(),
        DAY_END: query.day_end.isoformat(),
    }


def _kilo(value: Any, path: str) -> float | None:
    number = _FIELDS.opt_number(value, path, strings=True)
    return None if number is None else number / WH_PER_KWH


def _latest(raw: Any, path: str) -> LatestReading | None:
    if raw is None:
        return None  # the field failed (or the instance lacks it): not known this time
    rows = [row for row in _FIELDS.as_list(raw, path) if row is not None]
    if not rows:
        return LatestReading()
    # The newest row, should the instance send more than one (undated rows count as oldest).
    dated = []
    for index, item in enumerate(rows):
        row = _FIELDS.as_dict(item, f"{path}[{index}]")
        dated.append((_FIELDS.opt_datetime(row.get("readAt"), f"{path}[{index}].readAt"), row))
    read_at, row = dated[-1]
    for candidate_at, candidate in dated:
        if candidate_at is not None and (read_at is None or candidate_at > read_at):
            read_at, row = candidate_at, candidate
    return LatestReading(
        read_at=read_at,
        demand=_FIELDS.opt_number(row.get("demand"), f"{path}.demand", strings=True),
        import_total=_kilo(row.get("consumption"), f"{path}.consumption"),
        export_total=_kilo(row.get("export"), f"{path}.export"),
    )


def _sum(rows: list[dict[str, Any]], key: str, path: str) -> float | None:
    values = [
        value
        for row in rows
        if (value := _FIELDS.opt_number(row.get(key), f"{path}.{key}", strings=True)) is not None
    ]
    return sum(values) if values else None


def _today(raw: Any, path: str, start: datetime) -> DayTotals | None:
    if raw is None:
        return None
    rows = []
    for index, item in enumerate(_FIELDS.as_list(raw, path)):
        if item is None:
            continue
        row = _FIELDS.as_dict(item, f"{path}[{index}]")
        read_at = _FIELDS.opt_datetime(row.get("readAt"), f"{path}[{index}].readAt")
        if read_at is None or read_at >= start:
            rows.append(row)
    consumption = _sum(rows, "consumptionDelta", path)
    cost = _sum(rows, "costDeltaWithTax", path)
    cost_ex_vat = _sum(rows, "costDelta", path)
    return DayTotals(
        start=start,
        consumption=None if consumption is None else consumption / WH_PER_KWH,
        cost=None if cost is None else round(cost / PENCE_PER_POUND, 6),
        cost_ex_vat=None if cost_ex_vat is None else round(cost_ex_vat / PENCE_PER_POUND, 6),
    )


def parse_telemetry(data: Any, query: TelemetryQuery) -> tuple[MeterTelemetry, ...]:
    """Each asked meter's live data from an answer (aliases in the order asked)."""
    body = _FIELDS.as_dict(data, "data")
    return tuple(
        MeterTelemetry(
            device_id=device_id,
            latest=_latest(body.get(f"{LATEST_ALIAS}{index}"), f"smartMeterTelemetry[{index}]"),
            today=_today(
                body.get(f"{TODAY_ALIAS}{index}"), f"smartMeterTelemetry[{index}]", query.day_start
            ),
        )
        for index, device_id in enumerate(query.device_ids)
    )


def candidates(meters: Sequence[tuple[SmartMeterDevice, ...]]) -> tuple[str, ...]:
    """The devices of these meters that may have live data, each once, in order."""
    found: dict[str, None] = {}
    for devices in meters:
        for device in devices:
            if device.may_have_telemetry:
                found.setdefault(device.device_id)
    return tuple(found)
