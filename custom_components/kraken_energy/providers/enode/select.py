"""Select of Enode batteries: the operation mode."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription

from ...api.enode.models import BatteryOperationMode, VendorType
from ...entity import ItemEntityDescription, plan
from .entity import EnodeEntity, device_platform


@dataclass(frozen=True, kw_only=True)
class EnodeSelectDescription(SelectEntityDescription, ItemEntityDescription):
    """A setting of an Enode device chosen from a list."""


OPERATION_MODES = {
    mode.value.lower(): mode
    for mode in BatteryOperationMode
    if mode is not BatteryOperationMode.UNKNOWN
}
OPERATION_MODE = EnodeSelectDescription(
    key="operation_mode", translation_key="battery_operation_mode", options=list(OPERATION_MODES)
)


async_setup_entry = device_platform(
    lambda coordinator, kind, device: (
        [plan(EnodeOperationModeSelect, coordinator, OPERATION_MODE, device)]
        if kind is VendorType.BATTERY and device.capabilities.settable_modes
        else []
    )
)


class EnodeOperationModeSelect(EnodeEntity, SelectEntity):
    """How a home battery runs: import or export focus, time of use, self-reliance."""

    entity_description: EnodeSelectDescription

    @property
    def options(self) -> list[str]:
        """The modes this battery can be switched to."""
        device = self.item
        if device is None:
            return list(OPERATION_MODES)
        return [mode.value.lower() for mode in device.capabilities.settable_modes]

    @property
    def current_option(self) -> str | None:
        """The mode as last fetched."""
        device = self.item
        mode = device.operation_mode if device is not None else None
        return mode.value.lower() if mode and mode is not BatteryOperationMode.UNKNOWN else None

    async def async_select_option(self, option: str) -> None:
        """Switch the battery's mode."""
        await self.async_command(
            self.coordinator.client.set_battery_operation_mode(
                self.item_id, OPERATION_MODES[option]
            )
        )
