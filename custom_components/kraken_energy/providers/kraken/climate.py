"""Climate: SmartFlex heat pumps under smart control."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.climate import ClimateEntityDescription
from homeassistant.components.climate.const import ClimateEntityFeature, HVACAction, HVACMode
from homeassistant.const import ATTR_TEMPERATURE
from homeassistant.exceptions import ServiceValidationError

from ...api.kraken.models import DAYS_OF_WEEK, DeviceKind, DevicePreferences
from ...compat import NativeTemperatureClimate
from ...const import DOMAIN
from ...entity import ItemEntityDescription, plan
from .const import SET_PREFERENCES
from .entity import KrakenDeviceEntity, smartflex_platform

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


@dataclass(frozen=True, kw_only=True)
class KrakenClimateDescription(ClimateEntityDescription, ItemEntityDescription):
    """A heat pump's climate entity."""


# The heat pump is the device: the entity takes the device's name.
HEAT_PUMP = KrakenClimateDescription(key="heat_pump", name=None)


async_setup_entry = smartflex_platform(
    lambda devices, device: (
        [plan(KrakenHeatPumpClimate, devices, HEAT_PUMP, device)]
        if device.kind is DeviceKind.HEAT_PUMP and devices.client.can(SET_PREFERENCES)
        else []
    )
)


class KrakenHeatPumpClimate(KrakenDeviceEntity, NativeTemperatureClimate):
    """A heat pump under smart control: heat or cool to a target temperature."""

    entity_description: KrakenClimateDescription
    _attr_hvac_modes = [HVACMode.HEAT, HVACMode.COOL]  # noqa: RUF012 - HA's own attribute type
    _attr_supported_features = ClimateEntityFeature.TARGET_TEMPERATURE
    _attr_target_temperature_step = 0.5
    _attr_min_temp = 7.0
    _attr_max_temp = 30.0

    @property
    def hvac_mode(self) -> HVACMode | None:
        """The mode the heat pump reports."""
        device = self.item
        if device is None or device.heat_pump is None:
            return None
        mode = HVAC_MODES.get(device.heat_pump.mode or "")
        # Off and auto are reported but not settable under smart control: not offered either.
        return mode if mode in PREFERENCE_MODES else None

    @property
    def hvac_action(self) -> HVACAction | None:
        """What it is doing now."""
        device = self.item
        if device is None or device.heat_pump is None:
            return None
        return HVAC_ACTIONS.get(device.heat_pump.activity or "")

    @property
    def native_current_temperature(self) -> float | None:
        """The first zone's temperature."""
        device = self.item
        return device.heat_pump.current_temperature if device and device.heat_pump else None

    @property
    def native_target_temperature(self) -> float | None:
        """The temperature it aims for."""
        device = self.item
        return device.heat_pump.target_temperature if device and device.heat_pump else None

    async def _async_set(self, mode: HVACMode, temperature: float) -> None:
        preferences = DevicePreferences(
            mode=PREFERENCE_MODES[mode],
            target_type="ABSOLUTE_TEMPERATURE",
            unit="CELSIUS",
            schedules=(),
        )
        current = self.item.preferences if self.item else None
        base = current if current and current.schedules else preferences
        updated = base.with_days(DAYS_OF_WEEK, maximum=temperature)
        updated = DevicePreferences(
            mode=preferences.mode,
            target_type=preferences.target_type,
            unit=preferences.unit,
            schedules=updated.schedules,
        )
        await self.async_command(self.coordinator.client.set_preferences(self.item_id, updated))

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Heat or cool."""
        if hvac_mode not in PREFERENCE_MODES:  # pragma: no cover - HA checks hvac_modes
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="unsupported_hvac_mode"
            )
        await self._async_set(hvac_mode, self.native_target_temperature or 20.0)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Aim for a new temperature in the current mode."""
        mode = self.hvac_mode if self.hvac_mode in PREFERENCE_MODES else HVACMode.HEAT
        await self._async_set(mode, float(kwargs[ATTR_TEMPERATURE]))
