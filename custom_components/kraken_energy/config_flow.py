"""Config flow: choose a provider, then its own steps; reauth, reconfigure and options.

Each provider's steps live in its package (`providers/<provider>/config_flow.py`); this flow
combines them, offers the providers as a menu, and hands reauth and reconfigure to the steps
of the entry's provider.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import callback

from .const import DOMAIN, ENTRY_MINOR_VERSION, Provider
from .providers.easee.config_flow import EaseeFlow
from .providers.enode.config_flow import EnodeFlow
from .providers.kraken.config_flow import KrakenFlow, KrakenOptionsFlow
from .runtime import provider_of

type Step = Callable[[dict[str, Any] | None], Awaitable[ConfigFlowResult]]


class KrakenEnergyConfigFlow(KrakenFlow, EaseeFlow, EnodeFlow, domain=DOMAIN):
    """Add a Kraken supplier account, an Easee user's chargers or an Enode user's devices."""

    VERSION = 1
    MINOR_VERSION = ENTRY_MINOR_VERSION

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only supplier accounts have options (their tariff windows)."""
        return provider_of(config_entry) is Provider.KRAKEN

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> KrakenOptionsFlow:
        """The options: when the night and off-peak registers are live."""
        return KrakenOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """A supplier account, an Easee charger account or an Enode client."""
        return self.async_show_menu(
            step_id="user", menu_options=[provider.value for provider in Provider]
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The stored credential was refused: the entry's provider asks for it again."""
        self._data = dict(entry_data)
        steps: dict[Provider, Step] = {
            Provider.KRAKEN: self.async_step_reauth_confirm,
            Provider.EASEE: self.async_step_reauth_easee,
            Provider.ENODE: self.async_step_reauth_enode,
        }
        return await steps[provider_of(self._get_reauth_entry())](None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how an entry signs in: the entry's provider's step."""
        steps: dict[Provider, Step] = {
            Provider.KRAKEN: self._async_reconfigure_account,
            Provider.EASEE: self.async_step_reconfigure_easee,
            Provider.ENODE: self.async_step_reconfigure_enode,
        }
        return await steps[provider_of(self._get_reconfigure_entry())](user_input)
