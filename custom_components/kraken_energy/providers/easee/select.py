"""Select of Easee chargers: the phase mode."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory

from ...api.easee import EaseePhaseMode
from ...entity import ItemEntityDescription, plan
from .entity import EaseeEntity, charger_platform


@dataclass(frozen=True, kw_only=True)
class EaseeSelectDescription(SelectEntityDescription, ItemEntityDescription):
    """A setting of an Easee charger chosen from a list."""


# "Ignore" is what a charger reports without a setting; it cannot be chosen.
SETTABLE_PHASE_MODES = {
    mode.key: mode for mode in EaseePhaseMode if mode is not EaseePhaseMode.IGNORE
}
PHASE_MODE = EaseeSelectDescription(
    key="phase_mode",
    translation_key="phase_mode",
    entity_category=EntityCategory.CONFIG,
    options=list(SETTABLE_PHASE_MODES),
    available_offline=True,
)


async_setup_entry = charger_platform(
    lambda coordinator, charger: [plan(EaseePhaseModeSelect, coordinator, PHASE_MODE, charger)]
)


class EaseePhaseModeSelect(EaseeEntity, SelectEntity):
    """Automatic, single-phase or three-phase charging."""

    entity_description: EaseeSelectDescription

    @property
    def current_option(self) -> str | None:
        """The phase mode as last fetched."""
        charger = self.item
        mode = charger.phase_mode if charger else None
        return mode.key if mode is not None and mode.key in SETTABLE_PHASE_MODES else None

    async def async_select_option(self, option: str) -> None:
        """Set the phase mode."""
        await self.async_command(
            self.coordinator.client.set_phase_mode(self.item_id, SETTABLE_PHASE_MODES[option])
        )
