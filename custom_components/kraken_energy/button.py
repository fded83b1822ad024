"""Buttons: Easee charging commands; charge now (smart override) on Enode vehicles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.easee import EaseeClient
from .api.enode.models import VendorType
from .easee import EaseeChargerEntity, async_add_charger_entities, easee_entry
from .enode import EnodeDeviceEntity, async_add_enode_entities, enode_entry

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class EaseeButtonDescription(ButtonEntityDescription):
    """A charging command."""

    press_fn: Callable[[EaseeClient, str], Awaitable[Any]]


EASEE_BUTTONS = (
    EaseeButtonDescription(
        key="start_charging",
        translation_key="start_charging",
        press_fn=lambda client, charger_id: client.start_charging(charger_id),
    ),
    EaseeButtonDescription(
        key="stop_charging",
        translation_key="stop_charging",
        press_fn=lambda client, charger_id: client.stop_charging(charger_id),
    ),
    EaseeButtonDescription(
        key="pause_charging",
        translation_key="pause_charging",
        press_fn=lambda client, charger_id: client.pause_charging(charger_id),
    ),
    EaseeButtonDescription(
        key="resume_charging",
        translation_key="resume_charging",
        press_fn=lambda client, charger_id: client.resume_charging(charger_id),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the charging commands of every Easee charger."""
    if (enode := enode_entry(entry)) is not None:
        coordinator_enode = enode.runtime_data.coordinator
        async_add_enode_entities(
            enode,
            async_add_entities,
            lambda kind, device: (
                [("charge_now", EnodeChargeNowButton(coordinator_enode, CHARGE_NOW, device))]
                if kind is VendorType.VEHICLE and device.capabilities.smart_charging.is_capable
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
        lambda charger: [
            EaseeChargerButton(coordinator, description, charger) for description in EASEE_BUTTONS
        ],
    )


class EaseeChargerButton(EaseeChargerEntity, ButtonEntity):
    """A command to an Easee charger."""

    entity_description: EaseeButtonDescription

    async def async_press(self) -> None:
        """Send the command."""
        await self.async_command(
            self.entity_description.press_fn(self.coordinator.client, self.charger_id)
        )


CHARGE_NOW = ButtonEntityDescription(key="charge_now", translation_key="charge_now")


class EnodeChargeNowButton(EnodeDeviceEntity, ButtonEntity):
    """Charge now, overriding smart charging until the car stops charging."""

    async def async_press(self) -> None:
        """Start the smart override."""
        await self.async_control(self.coordinator.client.create_smart_override(self.device_id))
