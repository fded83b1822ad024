"""Climate: SmartFlex heat pumps and Enode HVAC units."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import (
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.enode.models import HvacHoldType, HvacMode as EnodeHvacMode, VendorType
from .const import DOMAIN
from .coordinator import KrakenConfigEntry
from .easee import easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry
from .entity import SET_PREFERENCES, KrakenDeviceEntity, async_add_device_entities
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


class NativeTemperatureClimate(ClimateEntity):
    """A climate entity that gives its temperatures under the native_* names of HA 2026.11.

    Home Assistant 2026.8 to 2026.10 read the unprefixed names, so those are served from the
    native ones here; 2026.11 and later take a class that provides both as native and read the
    native names without a deprecation warning. Drop the unprefixed ones with 2026.10 support.
    """

    _attr_native_temperature_unit: str = UnitOfTemperature.CELSIUS

    @property
    def native_temperature_unit(self) -> str:
        """The unit the device reports in."""
        return self._attr_native_temperature_unit

    @property
    def native_current_temperature(self) -> float | None:
        """The measured temperature."""
        return None

    @property
    def native_target_temperature(self) -> float | None:
        """The single setpoint."""
        return None

    @property
    def native_target_temperature_low(self) -> float | None:
        """The heating setpoint of a range."""
        return None

    @property
    def native_target_temperature_high(self) -> float | None:
        """The cooling setpoint of a range."""
        return None

    @property
    def temperature_unit(self) -> str:
        """native_temperature_unit, for Home Assistant before 2026.11."""
        return self.native_temperature_unit

    @property
    def current_temperature(self) -> float | None:
        """native_current_temperature, for Home Assistant before 2026.11."""
        return self.native_current_temperature

    @property
    def target_temperature(self) -> float | None:
        """native_target_temperature, for Home Assistant before 2026.11."""
        return self.native_target_temperature

    @property
    def target_temperature_low(self) -> float | None:
        """native_target_temperature_low, for Home Assistant before 2026.11."""
        return self.native_target_temperature_low

    @property
    def target_temperature_high(self) -> float | None:
        """native_target_temperature_high, for Home Assistant before 2026.11."""
        return self.native_target_temperature_high


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
    if (enode := enode_entry(entry)) is not None:
        coordinator = enode.runtime_data.coordinator
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: (
                [("hvac", EnodeHvacClimate(coordinator, HVAC, device))]
                if kind is VendorType.HVAC
                else []
            ),
        )
        return
    devices = entry.runtime_data.devices
    async_add_device_entities(
        entry,
        async_add_entities,
        lambda device: (
            [KrakenHeatPumpClimate(devices, HEAT_PUMP, device)]
            if device.kind is DeviceKind.HEAT_PUMP and devices.client.can(SET_PREFERENCES)
            else []
        ),
    )


class KrakenHeatPumpClimate(KrakenDeviceEntity, NativeTemperatureClimate):
    """A heat pump under smart control: heat or cool to a target temperature."""

    _attr_hvac_modes = [HVACMode.HEAT, HVACMode.COOL]  # noqa: RUF012 - HA's own attribute type
    _attr_supported_features = ClimateEntityFeature.TARGET_TEMPERATURE
    _attr_target_temperature_step = 0.5
    _attr_min_temp = 7.0
    _attr_max_temp = 30.0

    @property
    def hvac_mode(self) -> HVACMode | None:
        """The mode the heat pump reports."""
        device = self.device
        if device is None or device.heat_pump is None:
            return None
        mode = HVAC_MODES.get(device.heat_pump.mode or "")
        # Off and auto are reported but not settable under smart control: not offered either.
        return mode if mode in PREFERENCE_MODES else None

    @property
    def hvac_action(self) -> HVACAction | None:
        """What it is doing now."""
        device = self.device
        if device is None or device.heat_pump is None:
            return None
        return HVAC_ACTIONS.get(device.heat_pump.activity or "")

    @property
    def native_current_temperature(self) -> float | None:
        """The first zone's temperature."""
        device = self.device
        return device.heat_pump.current_temperature if device and device.heat_pump else None

    @property
    def native_target_temperature(self) -> float | None:
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
        await self._async_set(hvac_mode, self.native_target_temperature or 20.0)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Aim for a new temperature in the current mode."""
        mode = self.hvac_mode if self.hvac_mode in PREFERENCE_MODES else HVACMode.HEAT
        await self._async_set(mode, float(kwargs[ATTR_TEMPERATURE]))


# Enode HVAC modes <-> Home Assistant's; a unit offers only the modes its capabilities list.
ENODE_HVAC_MODES = {
    EnodeHvacMode.OFF: HVACMode.OFF,
    EnodeHvacMode.HEAT: HVACMode.HEAT,
    EnodeHvacMode.COOL: HVACMode.COOL,
    EnodeHvacMode.AUTO: HVACMode.HEAT_COOL,
}
ENODE_MODES_BY_HA = {ha: enode for enode, ha in ENODE_HVAC_MODES.items()}
PRESET_SCHEDULE = "schedule"
PRESET_HOLD = "hold"
HVAC = ClimateEntityDescription(key="hvac", name=None, translation_key="enode_hvac")


class EnodeHvacClimate(EnodeDeviceEntity, NativeTemperatureClimate):
    """An Enode HVAC unit: its own schedule, or a permanent hold in a mode and setpoint."""

    _attr_target_temperature_step = 0.5

    def _unit(self) -> Any:
        return self.device

    def _can_hold(self) -> bool:
        unit = self._unit()
        return unit is not None and bool(unit.capabilities.set_permanent_hold.is_capable)

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """The modes the unit can be held in (only its current one if it cannot be held)."""
        unit = self._unit()
        if unit is None:
            return []
        if not self._can_hold():
            current = ENODE_HVAC_MODES.get(unit.mode)
            return [current] if current else []
        capable = unit.capabilities.capable_modes
        return [ENODE_HVAC_MODES[mode] for mode in capable if mode in ENODE_HVAC_MODES]

    @property
    def preset_modes(self) -> list[str] | None:
        """Following the schedule and holding, as far as the unit can do each."""
        unit = self._unit()
        if unit is None:
            return None
        presets = []
        if unit.capabilities.set_follow_schedule.is_capable:
            presets.append(PRESET_SCHEDULE)
        if self._can_hold():
            presets.append(PRESET_HOLD)
        return presets

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Setpoints per mode, presets where the unit can follow its schedule."""
        features = ClimateEntityFeature(0)
        unit = self._unit()
        if unit is None:
            return features
        if self._can_hold():
            features |= ClimateEntityFeature.TURN_OFF | ClimateEntityFeature.TURN_ON
            if unit.mode is EnodeHvacMode.AUTO:
                features |= ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
            elif unit.mode in (EnodeHvacMode.HEAT, EnodeHvacMode.COOL):
                features |= ClimateEntityFeature.TARGET_TEMPERATURE
        if self.preset_modes:
            features |= ClimateEntityFeature.PRESET_MODE
        return features

    @property
    def hvac_mode(self) -> HVACMode | None:
        """The mode the unit reports."""
        unit = self._unit()
        return ENODE_HVAC_MODES.get(unit.mode) if unit is not None else None

    @property
    def hvac_action(self) -> HVACAction | None:
        """Heating or cooling while active, idle otherwise."""
        unit = self._unit()
        if unit is None or unit.is_active is None:
            return None
        if unit.mode is EnodeHvacMode.OFF:
            return HVACAction.OFF
        if not unit.is_active:
            return HVACAction.IDLE
        if unit.mode is EnodeHvacMode.AUTO:
            # Auto heats below the heating setpoint and cools above the cooling one.
            current = unit.current_temperature
            if current is None:
                return None
            if unit.heat_setpoint is not None and current < unit.heat_setpoint:
                return HVACAction.HEATING
            if unit.cool_setpoint is not None and current > unit.cool_setpoint:
                return HVACAction.COOLING
            return HVACAction.IDLE
        return HVACAction.COOLING if unit.mode is EnodeHvacMode.COOL else HVACAction.HEATING

    @property
    def preset_mode(self) -> str | None:
        """Following its schedule, or held."""
        unit = self._unit()
        if unit is None or unit.hold_type is None:
            return None
        return PRESET_SCHEDULE if unit.hold_type is HvacHoldType.SCHEDULED else PRESET_HOLD

    @property
    def native_current_temperature(self) -> float | None:
        """The room temperature."""
        unit = self._unit()
        return unit.current_temperature if unit is not None else None

    @property
    def native_target_temperature(self) -> float | None:
        """The setpoint of the current single-setpoint mode."""
        unit = self._unit()
        if unit is None:
            return None
        if unit.mode is EnodeHvacMode.COOL:
            return float(unit.cool_setpoint) if unit.cool_setpoint is not None else None
        if unit.mode is EnodeHvacMode.HEAT:
            return float(unit.heat_setpoint) if unit.heat_setpoint is not None else None
        return None

    @property
    def native_target_temperature_low(self) -> float | None:
        """The heating setpoint in auto mode."""
        unit = self._unit()
        return unit.heat_setpoint if unit is not None else None

    @property
    def native_target_temperature_high(self) -> float | None:
        """The cooling setpoint in auto mode."""
        unit = self._unit()
        return unit.cool_setpoint if unit is not None else None

    @property
    def min_temp(self) -> float:
        """The lowest setpoint the unit accepts in its mode."""
        lows = [r.min for r in self._ranges() if r is not None and r.min is not None]
        return float(lows[0]) if lows else 7.0

    @property
    def max_temp(self) -> float:
        """The highest setpoint the unit accepts in its mode."""
        highs = [r.max for r in self._ranges() if r is not None and r.max is not None]
        return float(highs[-1]) if highs else 30.0

    def _ranges(self) -> list[Any]:
        """The setpoint ranges of the current mode (heating's and cooling's in auto)."""
        unit = self._unit()
        if unit is None:
            return []
        capabilities = unit.capabilities
        if unit.mode is EnodeHvacMode.HEAT:
            return [capabilities.heat_setpoint_range]
        if unit.mode is EnodeHvacMode.COOL:
            return [capabilities.cool_setpoint_range]
        return [capabilities.heat_setpoint_range, capabilities.cool_setpoint_range]

    async def _hold(
        self, mode: EnodeHvacMode, heat: float | None = None, cool: float | None = None
    ) -> None:
        unit = self._unit()
        if unit is None:  # pragma: no cover - the entity is unavailable then
            return
        await self.async_control(
            self.coordinator.client.set_hvac_permanent_hold(
                self.device_id,
                mode,
                heat_setpoint=heat if heat is not None else unit.heat_setpoint or 20.0,
                cool_setpoint=cool if cool is not None else unit.cool_setpoint or 24.0,
            )
        )

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Hold the unit in a mode, keeping its setpoints."""
        mode = ENODE_MODES_BY_HA.get(hvac_mode)
        if mode is None or hvac_mode not in self.hvac_modes:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="hvac_mode_not_offered",
                translation_placeholders={"mode": str(hvac_mode)},
            )
        await self._hold(mode)

    async def async_turn_off(self) -> None:
        """Hold the unit off."""
        await self._hold(EnodeHvacMode.OFF)

    async def async_turn_on(self) -> None:
        """Hold the unit in the first mode it offers besides off."""
        modes = [mode for mode in self.hvac_modes if mode is not HVACMode.OFF]
        await self.async_set_hvac_mode(modes[0] if modes else HVACMode.HEAT)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Hold a new setpoint (or range, in auto) in the current or given mode."""
        unit = self._unit()
        if unit is None:  # pragma: no cover - the entity is unavailable then
            return
        mode = ENODE_MODES_BY_HA.get(kwargs.get("hvac_mode")) or unit.mode  # type: ignore[arg-type]
        if mode not in (EnodeHvacMode.HEAT, EnodeHvacMode.COOL, EnodeHvacMode.AUTO):
            mode = EnodeHvacMode.HEAT
        temperature = kwargs.get(ATTR_TEMPERATURE)
        heat = kwargs.get(ATTR_TARGET_TEMP_LOW)
        cool = kwargs.get(ATTR_TARGET_TEMP_HIGH)
        if temperature is not None:
            if mode is EnodeHvacMode.COOL:
                cool = temperature
            else:
                heat = temperature
        await self._hold(mode, heat, cool)

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Follow the unit's own schedule, or hold what it does now."""
        if preset_mode == PRESET_SCHEDULE:
            await self.async_control(
                self.coordinator.client.set_hvac_follow_schedule(self.device_id)
            )
            return
        unit = self._unit()
        await self._hold(unit.mode if unit is not None and unit.mode else EnodeHvacMode.HEAT)
