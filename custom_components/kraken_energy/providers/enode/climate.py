"""Climate: Enode HVAC units, following their schedule or held in a mode and setpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.climate import ClimateEntityDescription
from homeassistant.components.climate.const import (
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE
from homeassistant.exceptions import ServiceValidationError

from ...api.enode.models import HvacHoldType, HvacMode as EnodeHvacMode, VendorType
from ...compat import NativeTemperatureClimate
from ...const import DOMAIN
from ...entity import ItemEntityDescription, plan
from .entity import EnodeEntity, device_platform

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


@dataclass(frozen=True, kw_only=True)
class EnodeClimateDescription(ClimateEntityDescription, ItemEntityDescription):
    """An HVAC unit's climate entity."""


HVAC = EnodeClimateDescription(key="hvac", name=None, translation_key="enode_hvac")


async_setup_entry = device_platform(
    lambda coordinator, kind, device: (
        [plan(EnodeHvacClimate, coordinator, HVAC, device)] if kind is VendorType.HVAC else []
    )
)


class EnodeHvacClimate(EnodeEntity, NativeTemperatureClimate):
    """An Enode HVAC unit: its own schedule, or a permanent hold in a mode and setpoint."""

    entity_description: EnodeClimateDescription
    _attr_target_temperature_step = 0.5

    def _unit(self) -> Any:
        return self.item

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
        await self.async_command(
            self.coordinator.client.set_hvac_permanent_hold(
                self.item_id,
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
            await self.async_command(self.coordinator.client.set_hvac_follow_schedule(self.item_id))
            return
        unit = self._unit()
        await self._hold(unit.mode if unit is not None and unit.mode else EnodeHvacMode.HEAT)
