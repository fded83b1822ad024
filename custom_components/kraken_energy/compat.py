"""Bridges between the Home Assistant releases the integration supports."""

from __future__ import annotations

from homeassistant.components.climate import ClimateEntity
from homeassistant.const import UnitOfTemperature


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

    # Defaults for entities without a reading, never run by this integration: each entity here
    # overrides the first two, and Home Assistant reads the range pair only from an entity with
    # a setpoint range, which overrides them too.
    @property
    def native_current_temperature(self) -> float | None:  # pragma: no cover - see above
        """The measured temperature."""
        return None

    @property
    def native_target_temperature(self) -> float | None:  # pragma: no cover - see above
        """The single setpoint."""
        return None

    @property
    def native_target_temperature_low(self) -> float | None:  # pragma: no cover - see above
        """The heating setpoint of a range."""
        return None

    @property
    def native_target_temperature_high(self) -> float | None:  # pragma: no cover - see above
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
