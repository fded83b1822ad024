"""Selects: the phase mode of Easee chargers."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.easee import EaseePhaseMode
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry

PARALLEL_UPDATES = 1

# "Ignore" is what a charger reports without a setting; it cannot be chosen.
SETTABLE_PHASE_MODES = {
    mode.key: mode for mode in EaseePhaseMode if mode is not EaseePhaseMode.IGNORE
}
PHASE_MODE = SelectEntityDescription(
    key="phase_mode",
    translation_key="phase_mode",
    entity_category=EntityCategory.CONFIG,
    options=list(SETTABLE_PHASE_MODES),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a phase-mode select to every Easee charger."""
    easee = easee_entry(entry)
    if easee is None:
        return
    coordinator = easee.runtime_data.coordinator
    async_add_charger_entities(
        easee,
        async_add_entities,
        lambda charger: [EaseePhaseModeSelect(coordinator, PHASE_MODE, charger)],
    )


class EaseePhaseModeSelect(EaseeChargerEntity, SelectEntity):
    """Automatic, single-phase or three-phase charging."""

    @property
    def current_option(self) -> str | None:
        """The phase mode as last fetched."""
        charger = self.charger
        mode = charger.phase_mode if charger else None
        return mode.key if mode is not None and mode.key in SETTABLE_PHASE_MODES else None

    async def async_select_option(self, option: str) -> None:
        """Set the phase mode."""
        await self.async_command(
            self.coordinator.client.set_phase_mode(self.charger_id, SETTABLE_PHASE_MODES[option])
        )
