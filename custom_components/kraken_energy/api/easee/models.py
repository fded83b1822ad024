"""What the Easee client returns: sites, chargers, their state and config.

Every raw code is kept next to its enum member (None when Easee sends a code this list does
not know). Mapping them into a vocabulary of its own is for whoever uses the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .enums import (
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)

# The product family by the first letters of the charger id (EH... is an Easee Home); the API
# has no model field, only a numeric `productCode`, which is kept as it is.
MODEL_BY_ID_PREFIX = {"EH": "Easee Home", "EC": "Easee Charge"}


def model_from_id(charger_id: str) -> str | None:
    """The product name a charger id implies, when its prefix is known."""
    return MODEL_BY_ID_PREFIX.get(charger_id[:2].upper())


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeChargerState:
    """A charger's live state (`GET /api/chargers/{id}/state`).

    Powers are in kW, energies in kWh, currents in A, voltage in V.
    """

    op_mode_code: int | None
    easee_op_mode: EaseeOpMode | None
    reason_for_no_current_code: int | None
    reason_for_no_current: EaseeReasonForNoCurrent | None
    output_phase_code: int | None
    output_phase: EaseeOutputPhase | None
    led_mode_code: int | None
    led_mode: EaseeLedMode | None
    pilot_mode_code: str | None
    pilot_mode: EaseePilotMode | None
    total_power: float | None
    session_energy: float | None
    lifetime_energy: float | None
    output_current: float | None
    voltage: float | None
    online: bool | None
    cable_locked: bool | None
    smart_charging: bool | None
    dynamic_charger_current: float | None
    cable_rating: float | None
    latest_pulse: datetime | None
    error_code: int | None = None
    fatal_error_code: int | None = None
    firmware: int | None = None
    """The charger's firmware version (`chargerFirmware`, a build number such as 328)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeChargerConfig:
    """A charger's settings (`GET /api/chargers/{id}/config`); currents in A."""

    enabled: bool | None
    phase_mode_code: int | None
    phase_mode: EaseePhaseMode | None
    max_charger_current: float | None
    offline_charging_mode_code: int | None
    offline_charging_mode: EaseeOfflineChargingMode | None
    authorization_required: bool | None
    smart_button_enabled: bool | None
    lock_cable_permanently: bool | None
    limit_to_single_phase_charging: bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeCharger:
    """A charger on a site; `state` and `config` once fetched (`EaseeClient.fetch_charger`)."""

    charger_id: str
    name: str
    site_id: int | None
    site_name: str | None
    circuit_id: int | None
    product_code: int | None
    model: str | None
    level_of_access: int | None
    state: EaseeChargerState | None = None
    config: EaseeChargerConfig | None = None

    @property
    def charging_enabled(self) -> bool | None:
        """Whether the charger is enabled (config `isEnabled`)."""
        return self.config.enabled if self.config else None

    @property
    def smart_charging(self) -> bool | None:
        """Whether smart charging is on (state `smartCharging`)."""
        return self.state.smart_charging if self.state else None

    @property
    def dynamic_charger_current(self) -> float | None:
        """The dynamic charger current limit in A (state)."""
        return self.state.dynamic_charger_current if self.state else None

    @property
    def max_charger_current(self) -> float | None:
        """The max charger current setting in A (config)."""
        return self.config.max_charger_current if self.config else None

    @property
    def phase_mode(self) -> EaseePhaseMode | None:
        """The phase mode setting (config)."""
        return self.config.phase_mode if self.config else None


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeSite:
    """A site (an installation: address, circuits) with its chargers."""

    site_id: int
    name: str
    site_key: str | None
    chargers: tuple[EaseeCharger, ...] = ()

    def charger(self, charger_id: str) -> EaseeCharger | None:
        """The charger with the given id."""
        return next((c for c in self.chargers if c.charger_id == charger_id), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class EaseeCommandResult:
    """Easee's receipt for an accepted command or settings change."""

    charger_id: str
    command_id: int | None
    ticks: int | None
