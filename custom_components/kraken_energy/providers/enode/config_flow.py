"""Config-flow steps of an Enode client: credentials, the user, the link page, reauth."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any
import uuid

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers import instance_id
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from ...api.enode import EnodeConnectionsLimitError, EnodeEnvironment, EnodeError
from ...const import CONF_PROVIDER, Provider
from ...flow import ProviderFlow, clean_input, secret_schema, try_sign_in
from .const import (
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_ENODE_API_URL,
    CONF_ENODE_ENVIRONMENT,
    CONF_ENODE_TOKEN_URL,
    CONF_ENODE_USER_ID,
    ENVIRONMENT_CUSTOM,
)
from .coordinator import ENODE_ERRORS, enode_client, enode_language

_LOGGER = logging.getLogger(__name__)

REFUSED = "enode_invalid_auth"

ENODE_ENVIRONMENTS = [environment.value for environment in EnodeEnvironment]
"""What a household chooses from. A stand-in's addresses (the project's simulator) are never
offered: scripts and tests write such entries themselves; an entry that already has them can
keep them when reconfigured."""


def _enode_schema(
    defaults: Mapping[str, Any], *, ask_client_id: bool = True, offer_custom: bool = False
) -> probatio.Schema:
    secret = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
    fields: dict[Any, Any] = {}
    if ask_client_id:
        fields[probatio.Required(CONF_CLIENT_ID, default=defaults.get(CONF_CLIENT_ID, ""))] = (
            TextSelector()
        )
    fields[probatio.Required(CONF_CLIENT_SECRET)] = secret
    environments = [*ENODE_ENVIRONMENTS, ENVIRONMENT_CUSTOM] if offer_custom else ENODE_ENVIRONMENTS
    fields[
        probatio.Required(
            CONF_ENODE_ENVIRONMENT,
            default=defaults.get(CONF_ENODE_ENVIRONMENT, EnodeEnvironment.PRODUCTION.value),
        )
    ] = SelectSelector(
        SelectSelectorConfig(
            options=environments,
            translation_key=CONF_ENODE_ENVIRONMENT,
            mode=SelectSelectorMode.LIST,
        )
    )
    return probatio.Schema(fields)


def _redirect_uri(hass: HomeAssistant) -> str:
    """Where Enode's link page sends the household back: this Home Assistant."""
    try:
        return get_url(hass, prefer_external=True)
    except NoURLAvailableError:
        return "https://my.home-assistant.io/"


class EnodeFlow(ProviderFlow):
    """The steps that link an Enode user's devices, sign in again or change the client."""

    async def _async_enode_check(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Fetch a token with the client credentials; errors keyed for the form."""
        errors, _token = await try_sign_in(
            enode_client(self.hass, dict(data)).authenticate(), ENODE_ERRORS, refused=REFUSED
        )
        return errors

    async def async_step_enode(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The Enode client credentials and environment."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            self._data = {CONF_PROVIDER: Provider.ENODE, **user_input}
            errors = await self._async_enode_check(self._data)
            if not errors:
                return await self.async_step_enode_user()
        return self.async_show_form(
            step_id="enode", data_schema=_enode_schema(user_input or {}), errors=errors
        )

    async def async_step_enode_endpoint(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The API and token URLs of an entry that runs against a stand-in for Enode.

        Reached only by reconfiguring such an entry. A refused secret is said on the form
        that asks for the secret, not here.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            for key in (CONF_ENODE_API_URL, CONF_ENODE_TOKEN_URL):
                if problem := self._url_problem(user_input[key]):
                    errors[key] = problem
            if not errors:
                errors = await self._async_enode_check({**self._data, **user_input})
                if errors == {"base": REFUSED}:
                    return self._async_show_reconfigure_enode(errors)
            if not errors:
                self._data.update(user_input)
                return await self._async_finish_enode_reconfigure()
        defaults = user_input or self._data
        url = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
        return self.async_show_form(
            step_id="enode_endpoint",
            data_schema=probatio.Schema(
                {
                    probatio.Required(
                        CONF_ENODE_API_URL, default=defaults.get(CONF_ENODE_API_URL, "")
                    ): url,
                    probatio.Required(
                        CONF_ENODE_TOKEN_URL, default=defaults.get(CONF_ENODE_TOKEN_URL, "")
                    ): url,
                }
            ),
            errors=errors,
        )

    async def async_step_enode_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which Enode user holds the household's devices (a new one when left empty)."""
        if user_input is not None:
            user_input = clean_input(user_input)
            # A new user's id is derived from this Home Assistant and the client, so a flow
            # started again links the same Enode user instead of using up another connection.
            user_id = (user_input.get(CONF_ENODE_USER_ID) or "").strip() or str(
                uuid.uuid5(
                    uuid.NAMESPACE_URL,
                    f"{await instance_id.async_get(self.hass)}/{self._data[CONF_CLIENT_ID]}",
                )
            )
            await self.async_set_unique_id(
                f"{Provider.ENODE}_{self._data[CONF_CLIENT_ID]}_{user_id}"
            )
            self._abort_if_unique_id_configured()
            self._data[CONF_ENODE_USER_ID] = user_id
            return await self.async_step_enode_link()
        return self.async_show_form(
            step_id="enode_user",
            data_schema=probatio.Schema({probatio.Optional(CONF_ENODE_USER_ID): TextSelector()}),
        )

    async def async_step_enode_link(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show Enode's link page, where the household connects its vendor accounts."""
        errors: dict[str, str] = {}
        client = enode_client(self.hass, self._data)
        user_id = self._data[CONF_ENODE_USER_ID]
        if user_input is not None:
            user_input = clean_input(user_input)
            try:
                devices = await client.fetch_devices(user_id)
            except EnodeError as err:
                _LOGGER.warning("Could not list the Enode user's devices: %s", err)
                errors["base"] = "cannot_connect"
            else:
                # A kind that could not be listed may hold the devices: set up, and say so
                # there (a repair names a missing permission) rather than "nothing linked".
                if devices.all() or devices.failed_kinds:
                    return self.async_create_entry(title=f"Enode {user_id}", data=self._data)
                errors["base"] = "nothing_linked"
        try:
            # Enode's link page takes the same languages as its interventions.
            session = await client.create_link_session(
                user_id,
                redirect_uri=_redirect_uri(self.hass),
                language=enode_language(self.hass).value,
            )
        except EnodeConnectionsLimitError:
            return self.async_abort(reason="connections_limit")
        except EnodeError:
            _LOGGER.exception("Could not create an Enode link session")
            return self.async_abort(reason="cannot_connect")
        return self.async_show_form(
            step_id="enode_link",
            errors=errors,
            description_placeholders={"link": session.link_url},
        )

    async def async_step_reauth_enode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the (rotated) Enode client secret."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            user_input = clean_input(user_input)
            errors = await self._async_enode_check({**self._data, **user_input})
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_enode",
            data_schema=secret_schema(CONF_CLIENT_SECRET),
            errors=errors,
            description_placeholders={"client_id": self._data[CONF_CLIENT_ID]},
        )

    async def async_step_reconfigure_enode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the client secret or environment of the same Enode client."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            self._data = {**entry.data, **user_input}
            if user_input[CONF_ENODE_ENVIRONMENT] == ENVIRONMENT_CUSTOM:
                return await self.async_step_enode_endpoint()
            errors = await self._async_enode_check(self._data)
            if not errors:
                return await self._async_finish_enode_reconfigure()
        return self._async_show_reconfigure_enode(errors)

    def _async_show_reconfigure_enode(self, errors: dict[str, str]) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        return self.async_show_form(
            step_id="reconfigure_enode",
            data_schema=_enode_schema(
                entry.data,
                ask_client_id=False,
                offer_custom=entry.data.get(CONF_ENODE_ENVIRONMENT) == ENVIRONMENT_CUSTOM,
            ),
            errors=errors,
        )

    async def _async_finish_enode_reconfigure(self) -> ConfigFlowResult:
        """Save the new client settings once the household's user answers there."""
        entry = self._get_reconfigure_entry()
        try:
            await enode_client(self.hass, self._data).fetch_devices(self._data[CONF_ENODE_USER_ID])
        except EnodeError:
            # The user does not exist (or cannot be read) with these settings.
            return self.async_abort(reason="wrong_account")
        return self.async_update_reload_and_abort(entry, data=self._data)
