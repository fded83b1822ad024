"""Heat pump energy counters and live performance, on the SmartFlex heat pump's device.

Octopus serves its heat pump controllers (Cosy and others) at a second GraphQL endpoint of its
own (`Supplier.heat_pump_endpoint`), which takes the account API's token. Only households
whose SmartFlex devices include a heat pump ask it anything: the controllers at the account's
properties once (again daily, and when the heat pumps or properties change), then the live
performance every HEAT_PUMP_LIVE_INTERVAL with the lifetime counters riding along every
HEAT_PUMP_LIFETIME_INTERVAL. Controllers are paired with the account's SmartFlex heat pumps
in the order both are listed (nothing in either answer links them; a household has one).

This poll has a coordinator of its own: whatever it meets (refusals included) never touches
the device poll or the account, and its entities keep their last values until the data is
older than the coordinator's freshness rule allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy, UnitOfPower, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ...api.kraken import KrakenApiError, KrakenAuthError, KrakenClient
from ...api.kraken.heat_pump import (
    HeatPumpLifetimePerformance,
    HeatPumpLivePerformance,
    fetch_controllers,
    fetch_performance,
)
from ...api.kraken.models import Device, DeviceKind, SmartFlexData
from ...const import CONF_ENDPOINT
from ...entity import ItemEntity, ItemEntityDescription, async_add_item_entities, plan
from ...redaction import jsonable, redact
from .const import (
    ACCOUNT_DUE_SLACK,
    ACCOUNT_UPDATE_INTERVAL,
    CONF_HEAT_PUMP_ENDPOINT,
    CONF_SUPPLIER,
    HEAT_PUMP_CONTROLLERS_INTERVAL,
    HEAT_PUMP_LIFETIME_INTERVAL,
    HEAT_PUMP_LIVE_INTERVAL,
    SUPPLIERS,
)
from .coordinator import (
    KrakenAccountCoordinator,
    KrakenConfigEntry,
    KrakenCoordinator,
    KrakenDevicesCoordinator,
)
from .entity import smartflex_device_info, smartflex_unique_prefix

WATTS_PER_KILOWATT = Decimal(1000)


def heat_pump_endpoint(data: Mapping[str, Any]) -> str | None:
    """Where an entry's heat pump controllers are served, if anywhere.

    The supplier's own endpoint only while the entry talks to the supplier's own account API:
    an entry pointed elsewhere (a proxy, the simulator) says where, or has none.
    """
    if endpoint := data.get(CONF_HEAT_PUMP_ENDPOINT):
        return str(endpoint)
    supplier = SUPPLIERS.get(data.get(CONF_SUPPLIER, ""))
    if supplier is None or supplier.endpoint != data.get(CONF_ENDPOINT):
        return None
    return supplier.heat_pump_endpoint


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpReadings:
    """What a heat pump's controller reported last."""

    euid: str
    live: HeatPumpLivePerformance | None
    lifetime: HeatPumpLifetimePerformance | None


type HeatPumpData = dict[str, HeatPumpReadings]
"""Readings by the SmartFlex heat pump's device id."""


class KrakenHeatPumpCoordinator(KrakenCoordinator[HeatPumpData]):
    """The heat pump controllers of a household with SmartFlex heat pumps."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        endpoint: str,
        account: KrakenAccountCoordinator,
        devices: KrakenDevicesCoordinator,
    ) -> None:
        super().__init__(
            hass,
            entry,
            client,
            name="heat pump",
            interval=HEAT_PUMP_LIVE_INTERVAL,
            account_number=account.account_number,
        )
        self.endpoint = endpoint
        self.account = account
        self.devices = devices
        self._controllers: tuple[str, ...] = ()
        self._controllers_for: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        self._controllers_at: datetime | None = None
        self._lifetime_at: datetime | None = None
        self._read_for: tuple[str, ...] | None = None

    def heat_pumps(self) -> tuple[str, ...]:
        """The live SmartFlex heat pumps, in the order the account lists them."""
        data: SmartFlexData | None = self.devices.data
        if data is None:
            return ()
        return tuple(
            device_id
            for device_id, device in data.live_devices.items()
            if device.kind is DeviceKind.HEAT_PUMP
        )

    async def _fetch(self) -> HeatPumpData:
        try:
            return await self._read()
        except KrakenAuthError as err:
            # A refusal here says nothing about the account's credentials: no reauthentication.
            raise KrakenApiError(str(err), err.code) from err

    @callback
    def async_follow_devices(self) -> None:
        """A heat pump registered or gone since the last read: read now, not a cycle later.

        Without heat pumps this poll comes only every half hour.
        """
        if self._read_for is not None and self.heat_pumps() != self._read_for:
            self._read_for = None  # one refresh, however often the device poll wakes meanwhile
            self.config_entry.async_create_task(
                self.hass, self.async_request_refresh(), "kraken_energy heat pump follow"
            )

    async def _read(self) -> HeatPumpData:
        heat_pumps = self.heat_pumps()
        self._read_for = heat_pumps
        # Without a heat pump nothing is asked; the check costs no request.
        self.interval = HEAT_PUMP_LIVE_INTERVAL if heat_pumps else ACCOUNT_UPDATE_INTERVAL
        self.update_interval = self.interval
        if not heat_pumps:
            return {}
        now = dt_util.utcnow()
        properties = tuple(
            sorted(
                {
                    point.property_id
                    for point in self.account.data.meter_points
                    if point.property_id is not None
                }
            )
        )
        looked_up_for = (heat_pumps, properties)
        if (
            self._controllers_for != looked_up_for
            or self._controllers_at is None
            or now - self._controllers_at >= HEAT_PUMP_CONTROLLERS_INTERVAL
        ):
            self._controllers = await fetch_controllers(
                self.client, self.endpoint, self.account_number, properties
            )
            self._controllers_for, self._controllers_at = looked_up_for, now
        pairs = dict(zip(heat_pumps, self._controllers, strict=False))
        if not pairs:
            return {}
        held: HeatPumpData = self.data or {}
        lifetime_due = (
            self._lifetime_at is None
            or now - self._lifetime_at >= HEAT_PUMP_LIFETIME_INTERVAL - ACCOUNT_DUE_SLACK
            or any(
                device_id not in held or held[device_id].euid != euid
                for device_id, euid in pairs.items()
            )
        )
        answers = await fetch_performance(
            self.client,
            self.endpoint,
            self.account_number,
            tuple(pairs.values()),
            lifetime=lifetime_due,
        )
        if lifetime_due:
            self._lifetime_at = now
        return {
            device_id: HeatPumpReadings(
                euid=answer.euid,
                live=answer.live,
                lifetime=answer.lifetime if lifetime_due else held[device_id].lifetime,
            )
            for device_id, answer in zip(pairs, answers, strict=True)
        }

    def diagnostics(self) -> dict[str, Any]:
        """The readings held (controller EUIDs redacted) and how this poll stands."""
        return {
            "endpoint": self.endpoint,
            "last_update_success": self.last_update_success,
            "update_interval": str(self.update_interval),
            "lifetime_read_at": self._lifetime_at.isoformat() if self._lifetime_at else None,
            "controllers": len(self._controllers),
            "readings": redact(
                [
                    {"device_id": device_id, **jsonable(readings)}
                    for device_id, readings in (self.data or {}).items()
                ]
            ),
        }


@callback
def async_setup_heat_pump(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    client: KrakenClient,
    account: KrakenAccountCoordinator,
    devices: KrakenDevicesCoordinator,
) -> KrakenHeatPumpCoordinator | None:
    """The heat pump poll, where the supplier serves controllers.

    Its first read runs in the background: setup never waits for it, nor fails for it.
    """
    endpoint = heat_pump_endpoint(entry.data)
    if endpoint is None:
        return None
    coordinator = KrakenHeatPumpCoordinator(
        hass, entry, client, endpoint=endpoint, account=account, devices=devices
    )
    entry.async_create_task(hass, coordinator.async_refresh(), "kraken_energy heat pump")
    entry.async_on_unload(devices.async_add_listener(coordinator.async_follow_devices))
    return coordinator


# --- sensors ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class HeatPumpSensorDescription(SensorEntityDescription, ItemEntityDescription):
    """A sensor read from a heat pump controller's readings."""

    value_fn: Callable[[HeatPumpReadings], Decimal | float | None]


def _live[T](
    read: Callable[[HeatPumpLivePerformance], T],
) -> Callable[[HeatPumpReadings], T | None]:
    return lambda readings: read(readings.live) if readings.live is not None else None


def _lifetime[T](
    read: Callable[[HeatPumpLifetimePerformance], T],
) -> Callable[[HeatPumpReadings], T | None]:
    return lambda readings: read(readings.lifetime) if readings.lifetime is not None else None


def _watts(kilowatts: Decimal | None) -> float | None:
    # Scaled exactly, then a float: a Decimal's state would keep the kilowatts' decimals.
    return None if kilowatts is None else float(kilowatts * WATTS_PER_KILOWATT)


HEAT_PUMP_SENSORS: tuple[HeatPumpSensorDescription, ...] = (
    HeatPumpSensorDescription(
        key="heat_pump_energy_input",
        translation_key="heat_pump_energy_input",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=1,
        value_fn=_lifetime(lambda lifetime: lifetime.energy_input_kwh),
    ),
    HeatPumpSensorDescription(
        key="heat_pump_heat_energy",
        translation_key="heat_pump_heat_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=1,
        value_fn=_lifetime(lambda lifetime: lifetime.heat_output_kwh),
    ),
    HeatPumpSensorDescription(
        key="heat_pump_seasonal_cop",
        translation_key="heat_pump_seasonal_cop",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=_lifetime(lambda lifetime: lifetime.seasonal_coefficient_of_performance),
    ),
    HeatPumpSensorDescription(
        key="heat_pump_power_input",
        translation_key="heat_pump_power_input",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=_live(lambda live: _watts(live.power_input_kw)),
    ),
    HeatPumpSensorDescription(
        key="heat_pump_heat_output",
        translation_key="heat_pump_heat_output",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=_live(lambda live: _watts(live.heat_output_kw)),
    ),
    HeatPumpSensorDescription(
        key="heat_pump_cop",
        translation_key="heat_pump_cop",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=_live(lambda live: live.coefficient_of_performance),
    ),
    HeatPumpSensorDescription(
        key="heat_pump_outdoor_temperature",
        translation_key="heat_pump_outdoor_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=_live(lambda live: live.outdoor_temperature_c),
    ),
)


class KrakenHeatPumpSensor(ItemEntity[KrakenHeatPumpCoordinator, HeatPumpReadings], SensorEntity):
    """A reading of a heat pump's controller, on the SmartFlex heat pump's device."""

    entity_description: HeatPumpSensorDescription

    def __init__(
        self,
        coordinator: KrakenHeatPumpCoordinator,
        description: HeatPumpSensorDescription,
        device: Device,
    ) -> None:
        super().__init__(
            coordinator,
            description,
            device.device_id,
            unique_prefix=smartflex_unique_prefix(device),
            device_info=smartflex_device_info(coordinator.config_entry, device),
        )

    @property
    def item(self) -> HeatPumpReadings | None:
        """The readings, while the heat pump is still a live SmartFlex device."""
        data: HeatPumpData | None = self.coordinator.data
        if data is None or self.item_id not in self.coordinator.heat_pumps():
            return None
        return data.get(self.item_id)

    @property
    def native_value(self) -> Decimal | float | None:
        """The reading, in the description's unit."""
        readings = self.item
        return self.entity_description.value_fn(readings) if readings is not None else None


@callback
def async_add_heat_pump_sensors(
    entry: KrakenConfigEntry,
    async_add_entities: Callable[[Iterable[KrakenHeatPumpSensor]], None],
) -> None:
    """Add the readings of every heat pump with a controller, now and as they appear."""
    coordinator = entry.runtime_data.heat_pump
    if coordinator is None:
        return
    devices = entry.runtime_data.devices

    def paired() -> dict[str, Device] | None:
        data: HeatPumpData | None = coordinator.data
        listed: SmartFlexData | None = devices.data
        if data is None or listed is None:
            return None
        return {
            device_id: device
            for device_id in data
            if (device := listed.device(device_id)) is not None
        }

    async_add_item_entities(
        entry,
        coordinator,
        async_add_entities,
        paired,
        lambda device: [
            plan(KrakenHeatPumpSensor, coordinator, description, device)
            for description in HEAT_PUMP_SENSORS
        ],
    )
