"""Which provider an entry runs, and what a provider package hands the integration.

Each provider package types its own entries (`KrakenConfigEntry`, `EaseeConfigEntry`,
`EnodeConfigEntry`: a `ConfigEntry` of that provider's runtime data) and hands over a
`ProviderSpec` of functions taking them. The integration looks the spec up by
`provider_of(entry)` and calls it with the entry; that lookup is the one place an entry's
provider is decided, so no code asks an entry which provider it is any further.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import CONF_PROVIDER, Provider

type PlatformSetup[RuntimeT] = Callable[
    [HomeAssistant, ConfigEntry[RuntimeT], AddConfigEntryEntitiesCallback], Awaitable[None]
]
"""A provider's `async_setup_entry` of one platform, for entries holding its `RuntimeT`."""


def provider_of(entry: ConfigEntry[Any]) -> Provider:
    """The provider an entry runs; entries from before it was stated are Kraken accounts."""
    stated = entry.data.get(CONF_PROVIDER)
    return next((provider for provider in Provider if provider == stated), Provider.KRAKEN)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderSpec[RuntimeT]:
    """What a provider package hands the integration: how it runs an entry, its platforms.

    Every function takes the provider's own entries, whose `runtime_data` is a `RuntimeT`.
    """

    async_setup_entry: Callable[[HomeAssistant, ConfigEntry[RuntimeT]], Awaitable[None]]
    """Sign in, fetch the first data and keep the device registry in step with it."""
    device_identifiers: Callable[[ConfigEntry[RuntimeT]], set[tuple[str, str]]]
    """The registry identifiers of the devices the entry has now (others may be deleted)."""
    diagnostics: Callable[[ConfigEntry[RuntimeT]], dict[str, Any]]
    """A loaded entry's diagnostics, redacted."""
    platforms: Mapping[Platform, PlatformSetup[RuntimeT]]
    """The platforms the provider has entities on, each with its setup."""
    async_remove_entry: Callable[[HomeAssistant, ConfigEntry[RuntimeT]], Awaitable[None]] | None = (
        None
    )
    """What goes with a deleted entry besides its devices (stored data, repair issues)."""
    async_setup_services: Callable[[HomeAssistant], None] | None = None
    """The provider's actions, registered once when the integration loads."""
