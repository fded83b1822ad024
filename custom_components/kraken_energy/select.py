"""Selects: the phase mode of Easee chargers, the operation mode of Enode batteries."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.easee import EaseePhaseMode
from .api.enode.models import BatteryOperationMode, VendorType
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry

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
    if (enode := enode_entry(entry)) is not None:
        coordinator_enode = enode.runtime_data.coordinator
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: (
                [
                    (
                        "operation_mode",
                        EnodeOperationModeSelect(coordinator_enode, OPERATION_MODE, device),
                    )
                ]
                if kind is VendorType.BATTERY and device.capabilities.settable_modes
                else []
            ),
        )
        return
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


OPERATION_MODES = {
    mode.value.lower(): mode
    for mode in BatteryOperationMode
    if mode is not BatteryOperationMode.UNKNOWN
}
OPERATION_MODE = SelectEntityDescription(
    key="operation_mode", translation_key="battery_operation_mode", options=list(OPERATION_MODES)
)


class EnodeOperationModeSelect(EnodeDeviceEntity, SelectEntity):
    """How a home battery runs: import or export focus, time of use, self-reliance."""

    @property
    def options(self) -> list[str]:
        """The modes this battery can be switched to."""
        device = self.device
        if device is None:
            return list(OPERATION_MODES)
        return [mode.value.lower() for mode in device.capabilities.settable_modes]

    @property
    def current_option(self) -> str | None:
        """The mode as last fetched."""
        device = self.device
        mode = device.operation_mode if device is not None else None
        return mode.value.lower() if mode and mode is not BatteryOperationMode.UNKNOWN else None

    async def async_select_option(self, option: str) -> None:
        """Switch the battery's mode."""
        await self.async_control(
            self.coordinator.client.set_battery_operation_mode(
                self.device_id, OPERATION_MODES[option]
            )
        )
