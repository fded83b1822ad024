"""Config-flow steps of an Easee user: sign in, pick the sites, sign in again, reconfigure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from ...api.easee import EASEE_API_URL, EaseeSite
from ...const import CONF_ENDPOINT, CONF_PROVIDER, Provider
from ...flow import ProviderFlow, clean_input, secret_schema, try_sign_in
from .const import CONF_SITES
from .coordinator import EASEE_ERRORS, easee_client


def _easee_schema(defaults: Mapping[str, Any]) -> probatio.Schema:
    return probatio.Schema(
        {
            probatio.Required(CONF_USERNAME, default=defaults.get(CONF_USERNAME, "")): TextSelector(
                TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="username")
            ),
            probatio.Required(CONF_PASSWORD): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD)
            ),
        }
    )


def _easee_unique_id(username: str) -> str:
    return f"{Provider.EASEE}_{username.strip().lower()}"


class EaseeFlow(ProviderFlow):
    """The steps that add an Easee user's chargers, sign in again or change the sign-in."""

    def __init__(self) -> None:
        super().__init__()
        self._sites: list[EaseeSite] = []

    async def _async_easee_sign_in(
        self, data: Mapping[str, Any]
    ) -> tuple[dict[str, str], list[EaseeSite]]:
        """Sign in to Easee and list the sites with chargers; errors keyed for the form."""
        client = easee_client(self.hass, data)

        async def sites_with_chargers() -> list[EaseeSite]:
            await client.authenticate()
            return [site for site in await client.fetch_sites() if site.chargers]

        errors, sites = await try_sign_in(
            sites_with_chargers(), EASEE_ERRORS, refused="easee_invalid_auth"
        )
        if errors or not sites:
            return errors or {"base": "no_chargers"}, []
        return {}, sites

    async def async_step_easee(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The Easee username and password."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            candidate = {CONF_ENDPOINT: EASEE_API_URL, **user_input}
            errors, sites = await self._async_easee_sign_in(candidate)
            if not errors:
                await self.async_set_unique_id(_easee_unique_id(candidate[CONF_USERNAME]))
                self._abort_if_unique_id_configured()
                self._data = {CONF_PROVIDER: Provider.EASEE, **candidate}
                self._sites = sites
                if len(sites) == 1:
                    return self._async_create_easee([sites[0].site_id])
                return await self.async_step_easee_sites()
        return self.async_show_form(
            step_id="easee",
            data_schema=_easee_schema(user_input or {}),
            errors=errors,
        )

    async def async_step_easee_sites(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the sites whose chargers to add."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            if user_input[CONF_SITES]:
                return self._async_create_easee([int(site) for site in user_input[CONF_SITES]])
            errors[CONF_SITES] = "no_site_chosen"
        options = [
            SelectOptionDict(value=str(site.site_id), label=site.name) for site in self._sites
        ]
        return self.async_show_form(
            step_id="easee_sites",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_SITES, default=[option["value"] for option in options]
                    ): SelectSelector(
                        SelectSelectorConfig(
                            options=options, multiple=True, mode=SelectSelectorMode.LIST
                        )
                    )
                }
            ),
            errors=errors,
        )

    def _async_create_easee(self, site_ids: list[int]) -> ConfigFlowResult:
        # Site names are often street addresses: they stay out of the title, which Home
        # Assistant writes into its log lines.
        return self.async_create_entry(title="Easee", data={**self._data, CONF_SITES: site_ids})

    async def async_step_reauth_easee(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the Easee password again."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            user_input = clean_input(user_input)
            errors, _sites = await self._async_easee_sign_in({**self._data, **user_input})
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_easee",
            data_schema=secret_schema(CONF_PASSWORD),
            errors=errors,
            description_placeholders={"username": self._data[CONF_USERNAME]},
        )

    async def async_step_reconfigure_easee(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the Easee sign-in (the same Easee user)."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            candidate = {CONF_ENDPOINT: entry.data[CONF_ENDPOINT], **user_input}
            errors, _sites = await self._async_easee_sign_in(candidate)
            if not errors:
                await self.async_set_unique_id(_easee_unique_id(candidate[CONF_USERNAME]))
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(entry, data_updates=candidate)
        return self.async_show_form(
            step_id="reconfigure_easee",
            data_schema=_easee_schema(user_input or entry.data),
            errors=errors,
        )
