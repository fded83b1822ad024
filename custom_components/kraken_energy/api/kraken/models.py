"""What the Kraken client returns: accounts, meter points, tariffs, SmartFlex devices.

The parser turns every dialect's responses into these objects; nothing here knows about a
wire format or about Home Assistant. Money is in major currency units (pounds, euros).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import cached_property

from .telemetry import MeterTelemetry, SmartMeterDevice


class Fuel(StrEnum):
    """What a meter point supplies."""

    ELECTRICITY = "electricity"
    GAS = "gas"


class TariffKind(StrEnum):
    """The rate structures Kraken tariffs come in."""

    STANDARD = "standard"
    DAY_NIGHT = "day_night"
    THREE_RATE = "three_rate"
    HALF_HOURLY = "half_hourly"
    """Published periods, half-hourly in GB (Agile) and quarter-hourly on dynamic German ones."""
    PREPAY = "prepay"
    GAS = "gas"
    TIME_OF_USE = "time_of_use"
    """Named slots at fixed local clock times (the German instance's time-of-use products)."""


class RateBand(StrEnum):
    """Which register of a multi-rate tariff a period is billed on."""

    STANDARD = "standard"
    DAY = "day"
    NIGHT = "night"
    OFF_PEAK = "off_peak"
    HALF_HOURLY = "half_hourly"


_EARLIEST = datetime.min.replace(tzinfo=UTC)
OFF_PEAK_BANDS = frozenset({RateBand.NIGHT, RateBand.OFF_PEAK})


@dataclass(frozen=True, slots=True, kw_only=True)
class Price:
    """A unit price in major currency units per kWh (or per day for standing charges)."""

    inc_vat: float
    ex_vat: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RatePeriod:
    """A unit rate that applies from start (inclusive) to end (exclusive)."""

    start: datetime
    end: datetime
    price: Price
    band: RateBand


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeSlot:
    """A time-of-use slot: `price` applies daily from `start` to `end`.

    Local clock times; an `end` at or before `start` runs past midnight (00:00 to 00:00 is
    the whole day).
    """

    name: str
    start: time
    end: time
    price: Price


# Tariff and product codes that name export tariffs (GB: "E-1R-OUTGOING-FIX-...",
# "E-1R-FLUX-EXPORT-..."): the last resort where neither the tariff nor the meter point says.
EXPORT_CODE_MARKERS = ("OUTGOING", "EXPORT")


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff:
    """A tariff as agreed for one meter point.

    Which prices are set depends on the kind: `unit_rate` for standard, prepay and gas;
    `day_rate`/`night_rate` (+ `off_peak_rate` for three-rate); `unit_rates` for half-hourly,
    which is None when the rates were not part of the response they were parsed from.
    """

    kind: TariffKind
    tariff_code: str
    product_code: str | None
    display_name: str | None
    full_name: str | None
    is_export: bool | None
    """As the tariff says (`isExport`); None where the instance does not say."""
    standing_charge: Price | None
    standing_charge_per: str = "day"
    """The period a standing charge is per: "day" (GB) or "month" (the German instance)."""
    unit_rate: Price | None = None
    day_rate: Price | None = None
    night_rate: Price | None = None
    off_peak_rate: Price | None = None
    unit_rates: tuple[RatePeriod, ...] | None = None
    time_slots: tuple[TimeSlot, ...] = ()
    clock_zone: str | None = None
    """The IANA zone the time slots' clock times are in, when it is not the household's (a
    German tariff's slots are German time, wherever Home Assistant is)."""

    @property
    def named_export(self) -> bool:
        """Whether the tariff or product code names an export tariff."""
        codes = (self.tariff_code, self.product_code or "")
        return any(marker in code.upper() for code in codes for marker in EXPORT_CODE_MARKERS)

    @property
    def name(self) -> str:
        """The name a person recognises, falling back to the code."""
        return self.display_name or self.full_name or self.tariff_code

    @property
    def bills_dispatches_off_peak(self) -> bool:
        """Intelligent tariffs charge smart-charging dispatches at the off-peak rate.

        Octopus names their products INTELLI-...; other suppliers name them "Intelligent".
        """
        codes = (self.product_code or "", self.tariff_code)
        names = (self.display_name or "", self.full_name or "")
        return any("INTELLI" in code.upper() for code in codes) or any(
            "intelligent" in name.lower() for name in names
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement:
    """A tariff agreed for a meter point over a period (`valid_to` None: open-ended)."""

    agreement_id: str
    valid_from: datetime | None
    valid_to: datetime | None
    tariff: Tariff | None

    def is_active(self, at: datetime) -> bool:
        """Whether the agreement covers the given instant."""
        started = self.valid_from is None or self.valid_from <= at
        return started and (self.valid_to is None or at < self.valid_to)


@dataclass(frozen=True, slots=True, kw_only=True)
class Meter:
    """A physical meter on a meter point."""

    meter_id: str | None
    serial_number: str
    smart_devices: tuple[SmartMeterDevice, ...] = ()
    """Its devices on the home area network (GB smart meters): the meter's EUI-64 is there."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterPoint:
    """An electricity (MPAN) or gas (MPRN) supply point with its agreements."""

    identifier: str
    fuel: Fuel
    property_id: str | None
    meters: tuple[Meter, ...]
    agreements: tuple[Agreement, ...]
    declared_direction: str | None = None
    """IMPORT or EXPORT where the instance says (GB meter points since 2025)."""

    def agreement_at(self, at: datetime) -> Agreement | None:
        """The agreement in force at `at`, the latest-starting one if they overlap."""
        active = [agreement for agreement in self.agreements if agreement.is_active(at)]
        if not active:
            return None
        return max(
            active, key=lambda agreement: agreement.valid_from or datetime.min.replace(tzinfo=UTC)
        )

    @property
    def is_export(self) -> bool:
        """Whether the meter point exports (the rule is in README, "Import or export").

        The tariffs' `isExport` where the instance has it; else the meter point's direction;
        else an export tariff or product code; else import.
        """
        tariffs = [agreement.tariff for agreement in self.agreements if agreement.tariff]
        said = [tariff.is_export for tariff in tariffs if tariff.is_export is not None]
        if said:
            return any(said)
        if self.declared_direction is not None:
            return self.declared_direction.upper() == "EXPORT"
        return any(tariff.named_export for tariff in tariffs)

    @property
    def direction(self) -> str:
        """`import`, `export` or `gas`: the role of the meter point in the home."""
        if self.fuel is Fuel.GAS:
            return "gas"
        return "export" if self.is_export else "import"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSummary:
    """An account as listed for the signed-in user, before it is loaded in full."""

    number: str
    brand: str | None
    status: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """A supplier account with its meter points."""

    number: str
    brand: str | None
    status: str | None
    balance: float | None
    """In major units; None when the supplier sends none (or none that is a number)."""
    currency: str
    next_billing_date: date | None
    billing_period_start: date | None
    billing_period_end: date | None
    meter_points: tuple[MeterPoint, ...] = field(default_factory=tuple)

    def meter_point(self, identifier: str) -> MeterPoint | None:
        """The meter point with the given MPAN/MPRN."""
        return next((point for point in self.meter_points if point.identifier == identifier), None)


class DeviceKind(StrEnum):
    """What a SmartFlex device is."""

    VEHICLE = "vehicle"
    CHARGER = "charger"
    HVAC = "hvac"
    HEAT_PUMP = "heat_pump"
    BATTERY = "battery"
    INVERTER = "inverter"
    METER = "meter"
    STORAGE_HEATER = "storage_heater"
    OTHER = "other"


DAYS_OF_WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
WEEKDAYS = DAYS_OF_WEEK[:5]
WEEKEND = DAYS_OF_WEEK[5:]


@dataclass(frozen=True, slots=True, kw_only=True)
class PreferenceSchedule:
    """A day's target: reach `max` (a percentage or °C) by `ready_by`, never below `min`."""

    day_of_week: str
    ready_by: time
    """Wall-clock time at the device's home; it carries a UTC offset only when the supplier
    sent one, and consumers convert it to local time then (`local_ready_by`)."""
    min: float | None
    max: float


@dataclass(frozen=True, slots=True, kw_only=True)
class DevicePreferences:
    """What the household asked the supplier to aim for."""

    mode: str | None
    target_type: str | None
    unit: str | None
    schedules: tuple[PreferenceSchedule, ...]

    def schedule(self, day_of_week: str) -> PreferenceSchedule | None:
        """The schedule of a day (MONDAY ... SUNDAY)."""
        return next((s for s in self.schedules if s.day_of_week == day_of_week), None)

    def with_days(
        self,
        days: tuple[str, ...],
        *,
        ready_by: time | None = None,
        maximum: float | None = None,
        minimum: float | None = None,
    ) -> DevicePreferences:
        """These preferences with the given days' schedules changed (others kept)."""
        template = self.schedule(days[0]) or (self.schedules[0] if self.schedules else None)
        by_day = {schedule.day_of_week: schedule for schedule in self.schedules}
        for day in days:
            current = by_day.get(day) or template
            by_day[day] = PreferenceSchedule(
                day_of_week=day,
                ready_by=ready_by or (current.ready_by if current else time(7, 0)),
                min=minimum if minimum is not None else (current.min if current else None),
                max=maximum if maximum is not None else (current.max if current else 100.0),
            )
        ordered = tuple(by_day[day] for day in DAYS_OF_WEEK if day in by_day)
        return replace(self, schedules=ordered)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteTelemetry:
    """An inverter's live readings; powers in kW, battery power + when charging."""

    battery_level: float | None = None
    battery_power: float | None = None
    battery_online: bool | None = None
    inverter_power: float | None = None
    inverter_online: bool | None = None
    solar_power: float | None = None
    grid_power: float | None = None
    site_consumption: float | None = None
    site_export: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpState:
    """A heat pump's mode, activity and temperatures (°C)."""

    mode: str | None
    activity: str | None
    target_temperature: float | None
    zone_temperatures: tuple[tuple[str, float], ...]

    @property
    def current_temperature(self) -> float | None:
        """The first zone's temperature: the one a thermostat card shows."""
        return self.zone_temperatures[0][1] if self.zone_temperatures else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dispatch:
    """A window in which the supplier charges (or discharges) the household's devices."""

    start: datetime
    end: datetime
    energy_kwh: float | None
    """Energy the window moves, in kWh, as the supplier signs it (negative: imported)."""
    source: str | None = None
    location: str | None = None
    device_id: str | None = None
    """The device the window charges; None for the account-wide lists of older schemas."""
    kind: str | None = None
    """smart, boost or test where the supplier says (lower case)."""

    def is_active(self, at: datetime) -> bool:
        """Whether the window covers `at`."""
        return self.start <= at < self.end

    @property
    def is_smart(self) -> bool:
        """A smart-charging dispatch (not a boost or a test charge; unknown counts as smart)."""
        return self.kind is None or self.kind in ("smart", "smart-charge")


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """A smart device with the state blocks its kind has."""

    device_id: str
    kind: DeviceKind
    provider: str
    name: str | None
    make: str | None
    model: str | None
    lifecycle: str | None
    state: str | None
    is_suspended: bool | None
    upper_soc_limit: int | None = None
    battery_capacity_kwh: float | None = None
    preferences: DevicePreferences | None = None
    telemetry: SiteTelemetry | None = None
    heat_pump: HeatPumpState | None = None

    @property
    def is_retired(self) -> bool:
        """A retired registration is gone for good; re-registering makes a new device."""
        return self.lifecycle == "RETIRED" or self.state == "RETIRED"

    @property
    def awaits_dispatches(self) -> bool:
        """Under smart control with charging scheduled or under way."""
        return self.charges_vehicles and self.state == "SMART_CONTROL_IN_PROGRESS"

    @property
    def charges_vehicles(self) -> bool:
        """Vehicles and charge points: the devices boost, targets and dispatches apply to."""
        return self.kind in (DeviceKind.VEHICLE, DeviceKind.CHARGER)


@dataclass(frozen=True, kw_only=True)
class SmartFlexData:
    """The account's SmartFlex devices and dispatches at one moment.

    Not slotted: the lookups by device id are built once per answer (cached on it), so every
    device's entities find their device and dispatches in constant time.
    """

    devices: tuple[Device, ...]
    planned_dispatches: tuple[Dispatch, ...]
    completed_dispatches: tuple[Dispatch, ...]
    per_device: bool = False
    """Whether the planned dispatches were asked for per device (`Dispatch.device_id`)."""
    meter_telemetry: tuple[MeterTelemetry, ...] = ()
    """Live data of the account's smart meters (a Home Mini's), where asked for."""

    def meter(self, device_id: str) -> MeterTelemetry | None:
        """A smart meter's live data, by its EUI-64."""
        return next((item for item in self.meter_telemetry if item.device_id == device_id), None)

    @cached_property
    def _live_devices(self) -> dict[str, Device]:
        return {device.device_id: device for device in self.devices if not device.is_retired}

    @cached_property
    def _planned_by_device(self) -> dict[str | None, tuple[Dispatch, ...]]:
        planned: dict[str | None, list[Dispatch]] = {}
        for dispatch in self.planned_dispatches:
            planned.setdefault(dispatch.device_id, []).append(dispatch)
        return {
            device_id: tuple(sorted(dispatches, key=lambda dispatch: dispatch.start))
            for device_id, dispatches in planned.items()
        }

    @property
    def live_devices(self) -> Mapping[str, Device]:
        """The devices that are not retired, by id."""
        return self._live_devices

    def device(self, device_id: str) -> Device | None:
        """The device with the given id, unless it is gone or retired."""
        return self._live_devices.get(device_id)

    def planned_for(self, device: Device) -> tuple[Dispatch, ...]:
        """The planned dispatches of one device, in time order.

        Where the supplier plans per device they are the device's own; the account-wide lists
        of older schemas belong to the vehicles and charge points waiting under smart control,
        not to unplugged or suspended ones.
        """
        if self.per_device:
            return self._planned_by_device.get(device.device_id, ())
        if device.awaits_dispatches:
            return self._planned_by_device.get(None, ())
        return ()

    def dispatch_for(self, device: Device, at: datetime) -> Dispatch | None:
        """The smart-charging dispatch charging a device at `at`.

        A boost or test charge is the household's own charge, not a dispatch.
        """
        return next(
            (d for d in self.planned_for(device) if d.is_active(at) and d.is_smart),
            None,
        )

    def next_dispatch_for(self, device: Device, at: datetime) -> Dispatch | None:
        """The dispatch charging a device now, or else its next planned one (any kind)."""
        return next((d for d in self.planned_for(device) if d.end > at), None)

    def running_dispatch_for(self, device: Device, at: datetime) -> Dispatch | None:
        """The dispatch of any kind (smart, boost, test) charging a device at `at`."""
        return next((d for d in self.planned_for(device) if d.is_active(at)), None)

    def following_dispatch_for(self, device: Device, at: datetime) -> Dispatch | None:
        """The first planned dispatch of a device that starts after `at` (not a running one)."""
        return next((d for d in self.planned_for(device) if d.start > at), None)
