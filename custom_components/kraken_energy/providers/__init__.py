"""The providers an entry can run: a plain mapping from `Provider` to what its package hands over.

A new provider is a package here with a `PROVIDER` spec (`runtime.ProviderSpec`), a line in
this mapping, a member of `const.Provider` and its steps in the config flow.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..const import Provider
from ..runtime import PlatformSetup, ProviderSpec, provider_of
from . import easee, enode, kraken

# The spec is looked up from the entry itself, so an entry only ever meets its own provider's
# functions: the one place an entry's runtime data goes untyped.
PROVIDERS: Final[dict[Provider, ProviderSpec[Any]]] = {
    Provider.KRAKEN: kraken.PROVIDER,
    Provider.EASEE: easee.PROVIDER,
    Provider.ENODE: enode.PROVIDER,
}


def provider_spec(entry: ConfigEntry[Any]) -> ProviderSpec[Any]:
    """What the entry's provider hands over."""
    return PROVIDERS[provider_of(entry)]


def platform_handover(platform: Platform) -> PlatformSetup[Any]:
    """A platform's `async_setup_entry`: the entry's provider adds its entities.

    An entry forwards only the platforms its provider lists (`_platforms` in `__init__.py`),
    so the provider always has this one.
    """

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        await provider_spec(entry).platforms[platform](hass, entry, async_add_entities)

    return async_setup_entry
