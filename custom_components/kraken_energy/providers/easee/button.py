"""Buttons of Easee chargers: start, stop, pause and resume charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription

from ...api.easee import EaseeClient
from ...entity import ItemEntityDescription, plan
from .entity import EaseeEntity, charger_platform


@dataclass(frozen=True, kw_only=True)
class EaseeButtonDescription(ButtonEntityDescription, ItemEntityDescription):
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


async_setup_entry = charger_platform(
    lambda coordinator, charger: [
        plan(EaseeChargerButton, coordinator, description, charger) for description in EASEE_BUTTONS
    ]
)


class EaseeChargerButton(EaseeEntity, ButtonEntity):
    """A command to an Easee charger."""

    entity_description: EaseeButtonDescription

    async def async_press(self) -> None:
        """Send the command."""
        await self.async_command(
            self.entity_description.press_fn(self.coordinator.client, self.item_id)
        )
