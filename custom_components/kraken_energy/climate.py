"""Climate: SmartFlex heat pumps (mode and target temperature)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import ClimateEntityFeature, HVACAction, HVACMode
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import KrakenConfigEntry
from .easee import easee_entry
from .entity import KrakenDeviceEntity, async_add_device_entities
from .model import DAYS_OF_WEEK, DeviceKind, DevicePreferences

PARALLEL_UPDATES = 1

# Kraken heat pump / thermostat modes <-> Home Assistant's; unknown modes show as unknown.
HVAC_MODES = {
    "HEATING": HVACMode.HEAT,
    "HEAT": HVACMode.HEAT,
    "COOLING": HVACMode.COOL,
    "COOL": HVACMode.COOL,
    "AUTO": HVACMode.HEAT_COOL,
    "OFF": HVACMode.OFF,
}
PREFERENCE_MODES = {HVACMode.HEAT: "HEAT", HVACMode.COOL: "COOL"}
HVAC_ACTIONS = {
    "PRE_HEATING": HVACAction.PREHEATING,
    "SCHEDULED_HEATING": HVACAction.HEATING,
    "PRE_COOLING": HVACAction.COOLING,
    "SCHEDULED_COOLING": HVACAction.COOLING,
    "PENDING": HVACAction.IDLE,
}
# The heat pump is the device: the entity takes the device's name.
HEAT_PUMP = ClimateEntityDescription(key="heat_pump", name=None)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: KrakenConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a climate entity to every heat pump."""
    if easee_entry(entry) is not None:
        return
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: (
            [KrakenHeatPumpClimate(devices, HEAT_PUMP, device)]
            if device.kind is DeviceKind.HEAT_PUMP
            else []
        ),
    )


class KrakenHeatPumpClimate(KrakenDeviceEntity, ClimateEntity):
    """A heat pump under smart control: heat or cool to a target temperature."""

    _attr_hvac_modes = [HVACMode.HEAT, HVACMode.COOL]  # noqa: RUF012 - HA's own attribute type
    _attr_supported_features = ClimateEntityFeature.TARGET_TEMPERATURE
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5
    _attr_min_temp = 7.0
    _attr_max_temp = 30.0

    @property
    def hvac_mode(self) -> HVACMode | None:
        """The mode the heat pump reports."""
        device = self.device
        if device is None or device.heat_pump is None:
            return None
        return HVAC_MODES.get(device.heat_pump.mode or "")

    @property
    def hvac_action(self) -> HVACAction | None:
        """What it is doing now."""
        device = self.device
        if device is None or device.heat_pump is None:
            return None
        return HVAC_ACTIONS.get(device.heat_pump.activity or "")

    @property
    def current_temperature(self) -> float | None:
        """The first zone's temperature."""
        device = self.device
        return device.heat_pump.current_temperature if device and device.heat_pump else None

    @property
    def target_temperature(self) -> float | None:
        """The temperature it aims for."""
        device = self.device
        return device.heat_pump.target_temperature if device and device.heat_pump else None

    async def _async_set(self, mode: HVACMode, temperature: float) -> None:
        preferences = DevicePreferences(
            mode=PREFERENCE_MODES[mode],
            target_type="ABSOLUTE_TEMPERATURE",
            unit="CELSIUS",
            schedules=(),
        )
        current = self.device.preferences if self.device else None
        base = current if current and current.schedules else preferences
        updated = base.with_days(DAYS_OF_WEEK, maximum=temperature)
        updated = DevicePreferences(
            mode=preferences.mode,
            target_type=preferences.target_type,
            unit=preferences.unit,
            schedules=updated.schedules,
        )
        await self.async_command(self.coordinator.client.set_preferences(self.device_id, updated))

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Heat or cool."""
        if hvac_mode not in PREFERENCE_MODES:  # pragma: no cover - HA checks hvac_modes
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="unsupported_hvac_mode"
            )
        await self._async_set(hvac_mode, self.target_temperature or 20.0)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Aim for a new temperature in the current mode."""
        mode = self.hvac_mode if self.hvac_mode in PREFERENCE_MODES else HVACMode.HEAT
        await self._async_set(mode, float(kwargs[ATTR_TEMPERATURE]))
