"""Config flow: a Kraken supplier account or an Easee user; reauth, reconfigure and options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from ipaddress import ip_address
import logging
from typing import Any
import uuid

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import instance_id
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
    TimeSelector,
)
import probatio
from yarl import URL

from . import credential_from_data, supplier_name
from .api.easee import (
    EASEE_API_URL,
    EaseeAuthError,
    EaseeConnectionError,
    EaseeError,
    EaseeSite,
)
from .api.enode import (
    EnodeAuthError,
    EnodeConnectionError,
    EnodeConnectionsLimitError,
    EnodeEnvironment,
    EnodeError,
)
from .api.kraken import KrakenAuthError, KrakenClient, KrakenConnectionError, KrakenError
from .const import (
    AUTH_API_KEY,
    AUTH_PASSWORD,
    CONF_ACCOUNT_NUMBER,
    CONF_AUTH_METHOD,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_CURRENCY,
    CONF_ENDPOINT,
    CONF_ENODE_API_URL,
    CONF_ENODE_ENVIRONMENT,
    CONF_ENODE_TOKEN_URL,
    CONF_ENODE_USER_ID,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OFF_PEAK_END,
    CONF_OFF_PEAK_START,
    CONF_PROVIDER,
    CONF_SITES,
    CONF_SUPPLIER,
    CURRENCIES,
    DOMAIN,
    ENTRY_MINOR_VERSION,
    PROVIDER_EASEE,
    PROVIDER_ENODE,
    SUPPLIER_CUSTOM,
    SUPPLIERS,
    Provider,
)
from .easee import easee_client
from .enode import ENVIRONMENT_CUSTOM, enode_client, enode_language
from .model import AccountSummary
from .rates import BandSchedule

_LOGGER = logging.getLogger(__name__)

CREDENTIAL_KEYS = (CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD)

USER_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_SUPPLIER, default="octopus_energy_gb"): SelectSelector(
            SelectSelectorConfig(
                options=[*SUPPLIERS, SUPPLIER_CUSTOM],
                translation_key=CONF_SUPPLIER,
                mode=SelectSelectorMode.LIST,
            )
        ),
        probatio.Required(CONF_AUTH_METHOD, default=AUTH_API_KEY): SelectSelector(
            SelectSelectorConfig(
                options=[AUTH_API_KEY, AUTH_PASSWORD],
                translation_key=CONF_AUTH_METHOD,
                mode=SelectSelectorMode.LIST,
            )
        ),
    }
)


def _endpoint_schema(defaults: Mapping[str, Any]) -> probatio.Schema:
    return probatio.Schema(
        {
            probatio.Required(CONF_ENDPOINT, default=defaults.get(CONF_ENDPOINT, "")): TextSelector(
                TextSelectorConfig(type=TextSelectorType.URL)
            ),
            probatio.Required(CONF_CURRENCY, default=defaults.get(CONF_CURRENCY, "EUR")): (
                SelectSelector(
                    SelectSelectorConfig(options=list(CURRENCIES), mode=SelectSelectorMode.DROPDOWN)
                )
            ),
        }
    )


def _credentials_schema(auth_method: str, defaults: Mapping[str, Any]) -> probatio.Schema:
    password = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
    if auth_method == AUTH_PASSWORD:
        return probatio.Schema(
            {
                probatio.Required(CONF_EMAIL, default=defaults.get(CONF_EMAIL, "")): TextSelector(
                    TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username")
                ),
                probatio.Required(CONF_PASSWORD): password,
            }
        )
    return probatio.Schema({probatio.Required(CONF_API_KEY): password})


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


ENODE_ENVIRONMENTS = [*(environment.value for environment in EnodeEnvironment), ENVIRONMENT_CUSTOM]


def _enode_schema(defaults: Mapping[str, Any], *, ask_client_id: bool = True) -> probatio.Schema:
    secret = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
    fields: dict[Any, Any] = {}
    if ask_client_id:
        fields[probatio.Required(CONF_CLIENT_ID, default=defaults.get(CONF_CLIENT_ID, ""))] = (
            TextSelector()
        )
    fields[probatio.Required(CONF_CLIENT_SECRET)] = secret
    fields[
        probatio.Required(
            CONF_ENODE_ENVIRONMENT,
            default=defaults.get(CONF_ENODE_ENVIRONMENT, EnodeEnvironment.PRODUCTION.value),
        )
    ] = SelectSelector(
        SelectSelectorConfig(
            options=ENODE_ENVIRONMENTS,
            translation_key=CONF_ENODE_ENVIRONMENT,
            mode=SelectSelectorMode.LIST,
        )
    )
    return probatio.Schema(fields)


def _easee_unique_id(username: str) -> str:
    return f"{PROVIDER_EASEE}_{username.strip().lower()}"


def _redirect_uri(hass: HomeAssistant) -> str:
    """Where Enode's link page sends the household back: this Home Assistant."""
    try:
        return get_url(hass, prefer_external=True)
    except NoURLAvailableError:
        return "https://my.home-assistant.io/"


def clean_input(user_input: dict[str, Any]) -> dict[str, Any]:
    """The form's values with the whitespace of pasting taken off (passwords kept as typed)."""
    return {
        key: value.strip() if isinstance(value, str) and key != CONF_PASSWORD else value
        for key, value in user_input.items()
    }


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(value: str, own_addresses: Iterable[tuple[str, int]] = ()) -> str | None:
    """Why an API address cannot be used (a form error key), or None when it can.

    The integration posts credentials there, so: a full https:// address (plain http only
    to this machine's loopback, for a local stand-in), no user name or password inside it,
    and never a link-local or unspecified address (cloud metadata services live there) nor
    Home Assistant's own address.
    """
    try:
        url = URL(value)
        host = url.host
        port = url.port
    except ValueError, TypeError:
        return "invalid_url"
    if url.scheme not in ("http", "https") or not host or not url.is_absolute():
        return "invalid_url"
    if url.user is not None or url.password is not None:
        return "url_has_credentials"
    loopback = _is_loopback(host)
    if url.scheme == "http" and not loopback:
        return "insecure_url"
    try:
        address = ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None and (
        address.is_link_local or address.is_unspecified or address.is_multicast
    ):
        return "url_not_allowed"
    if (host.lower(), port) in {
        (own_host.lower(), own_port) for own_host, own_port in own_addresses
    }:
        return "url_not_allowed"
    return None


def _own_addresses(hass: HomeAssistant) -> set[tuple[str, int]]:
    """The (host, port) pairs under which this Home Assistant answers."""
    own: set[tuple[str, int]] = set()
    for url in (hass.config.internal_url, hass.config.external_url):
        if url:
            with suppress(ValueError, TypeError):
                parsed = URL(url)
                if parsed.host and parsed.port:
                    own.add((parsed.host, parsed.port))
    server_port = getattr(getattr(hass, "http", None), "server_port", None)
    if isinstance(server_port, int):
        own |= {(host, server_port) for host in ("localhost", "127.0.0.1", "::1", "[::1]")}
    return own


class KrakenConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Kraken supplier account."""

    VERSION = 1
    MINOR_VERSION = ENTRY_MINOR_VERSION

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}
        self._accounts: list[AccountSummary] = []
        self._sites: list[EaseeSite] = []

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only supplier accounts have options (their tariff windows)."""
        return config_entry.data.get(CONF_PROVIDER) not in (PROVIDER_EASEE, PROVIDER_ENODE)

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> KrakenOptionsFlow:
        """The options: when the night and off-peak registers are live."""
        return KrakenOptionsFlow()

    async def _async_sign_in(
        self, data: Mapping[str, Any]
    ) -> tuple[dict[str, str], list[AccountSummary]]:
        """Sign in and list the accounts; errors keyed for the form."""
        client = KrakenClient(
            async_get_clientsession(self.hass), data[CONF_ENDPOINT], credential_from_data(data)
        )
        try:
            await client.authenticate()
            accounts = await client.list_accounts()
        except KrakenAuthError:
            return {"base": "invalid_auth"}, []
        except KrakenConnectionError:
            return {"base": "cannot_connect"}, []
        except KrakenError:
            _LOGGER.exception("Unexpected answer from the Kraken API")
            return {"base": "unknown"}, []
        except Exception:
            _LOGGER.exception("Unexpected error signing in to the Kraken API")
            return {"base": "unknown"}, []
        if not accounts:
            return {"base": "no_accounts"}, []
        return {}, accounts

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """A supplier account or an Easee charger account."""
        return self.async_show_menu(
            step_id="user", menu_options=["kraken", PROVIDER_EASEE, PROVIDER_ENODE]
        )

    async def async_step_kraken(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the supplier and how to sign in."""
        if user_input is not None:
            user_input = clean_input(user_input)
            self._data = dict(user_input)
            supplier = SUPPLIERS.get(user_input[CONF_SUPPLIER])
            if supplier is None:
                return await self.async_step_endpoint()
            self._data[CONF_ENDPOINT] = supplier.endpoint
            self._data[CONF_CURRENCY] = supplier.currency
            return await self.async_step_credentials()
        return self.async_show_form(step_id="kraken", data_schema=USER_SCHEMA)

    async def async_step_endpoint(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The GraphQL endpoint and currency of a supplier not in the list."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            problem = url_problem(user_input[CONF_ENDPOINT], _own_addresses(self.hass))
            if problem is None:
                self._data.update(user_input)
                return await self.async_step_credentials()
            errors[CONF_ENDPOINT] = problem
        return self.async_show_form(
            step_id="endpoint",
            data_schema=_endpoint_schema(user_input or self._data),
            errors=errors,
        )

    async def async_step_credentials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The API key or email and password."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            candidate = {**self._data, **user_input}
            errors, accounts = await self._async_sign_in(candidate)
            if not errors:
                self._data = candidate
                if self.source == "reconfigure":
                    return await self._async_finish_reconfigure(accounts)
                self._accounts = accounts
                if len(accounts) == 1:
                    return await self._async_create(accounts[0].number)
                return await self.async_step_account()
        return self.async_show_form(
            step_id="credentials",
            data_schema=_credentials_schema(self._data[CONF_AUTH_METHOD], user_input or self._data),
            errors=errors,
            description_placeholders={"supplier": supplier_name(self._data[CONF_SUPPLIER])},
        )

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick one of several accounts."""
        if user_input is not None:
            user_input = clean_input(user_input)
            return await self._async_create(user_input[CONF_ACCOUNT_NUMBER])
        options = [
            SelectOptionDict(
                value=account.number,
                label=f"{account.number} ({account.status.lower()})"
                if account.status
                else account.number,
            )
            for account in self._accounts
        ]
        return self.async_show_form(
            step_id="account",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_ACCOUNT_NUMBER): SelectSelector(
                        SelectSelectorConfig(options=options, mode=SelectSelectorMode.LIST)
                    )
                }
            ),
        )

    async def _async_create(self, account_number: str) -> ConfigFlowResult:
        await self.async_set_unique_id(account_number)
        self._abort_if_unique_id_configured()
        self._data[CONF_ACCOUNT_NUMBER] = account_number
        return self.async_create_entry(
            title=f"{supplier_name(self._data[CONF_SUPPLIER])} {account_number}",
            data={CONF_PROVIDER: Provider.KRAKEN, **self._data},
        )

    async def _async_easee_sign_in(
        self, data: Mapping[str, Any]
    ) -> tuple[dict[str, str], list[EaseeSite]]:
        """Sign in to Easee and list the sites with chargers; errors keyed for the form."""
        client = easee_client(self.hass, data)
        try:
            await client.authenticate()
            sites = await client.fetch_sites()
        except EaseeAuthError:
            return {"base": "invalid_auth"}, []
        except EaseeConnectionError:
            return {"base": "cannot_connect"}, []
        except EaseeError:
            _LOGGER.exception("Unexpected answer from the Easee API")
            return {"base": "unknown"}, []
        except Exception:
            _LOGGER.exception("Unexpected error signing in to the Easee API")
            return {"base": "unknown"}, []
        sites = [site for site in sites if site.chargers]
        if not sites:
            return {"base": "no_chargers"}, []
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
                self._data = {CONF_PROVIDER: PROVIDER_EASEE, **candidate}
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
        names = [site.name for site in self._sites if site.site_id in site_ids]
        return self.async_create_entry(
            title=f"Easee {', '.join(names)}", data={**self._data, CONF_SITES: site_ids}
        )

    async def _async_enode_check(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Fetch a token with the client credentials; errors keyed for the form."""
        try:
            await enode_client(self.hass, dict(data)).authenticate()
        except EnodeAuthError:
            return {"base": "invalid_auth"}
        except EnodeConnectionError:
            return {"base": "cannot_connect"}
        except EnodeError:
            _LOGGER.exception("Unexpected answer from the Enode API")
            return {"base": "unknown"}
        return {}

    async def async_step_enode(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The Enode client credentials and environment."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            self._data = {CONF_PROVIDER: PROVIDER_ENODE, **user_input}
            if user_input[CONF_ENODE_ENVIRONMENT] == ENVIRONMENT_CUSTOM:
                return await self.async_step_enode_endpoint()
            errors = await self._async_enode_check(self._data)
            if not errors:
                return await self.async_step_enode_user()
        return self.async_show_form(
            step_id="enode", data_schema=_enode_schema(user_input or {}), errors=errors
        )

    async def async_step_enode_endpoint(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The API and token URLs of a stand-in for Enode."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            for key in (CONF_ENODE_API_URL, CONF_ENODE_TOKEN_URL):
                if problem := url_problem(user_input[key], _own_addresses(self.hass)):
                    errors[key] = problem
            if not errors:
                errors = await self._async_enode_check({**self._data, **user_input})
            if not errors:
                self._data.update(user_input)
                if self.source == SOURCE_RECONFIGURE:
                    return await self._async_finish_enode_reconfigure()
                return await self.async_step_enode_user()
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
                f"{PROVIDER_ENODE}_{self._data[CONF_CLIENT_ID]}_{user_id}"
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
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_CLIENT_SECRET): TextSelector(
                        TextSelectorConfig(type=TextSelectorType.PASSWORD)
                    )
                }
            ),
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
        return self.async_show_form(
            step_id="reconfigure_enode",
            data_schema=_enode_schema(entry.data, ask_client_id=False),
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

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The stored credential was refused."""
        self._data = dict(entry_data)
        if entry_data.get(CONF_PROVIDER) == PROVIDER_ENODE:
            return await self.async_step_reauth_enode()
        if entry_data.get(CONF_PROVIDER) == PROVIDER_EASEE:
            return await self.async_step_reauth_easee()
        return await self.async_step_reauth_confirm()

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
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_PASSWORD): TextSelector(
                        TextSelectorConfig(type=TextSelectorType.PASSWORD)
                    )
                }
            ),
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

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Enter the credential again for the same account."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            user_input = clean_input(user_input)
            candidate = {**self._data, **user_input}
            errors, accounts = await self._async_sign_in(candidate)
            if not errors:
                if entry.unique_id not in {account.number for account in accounts}:
                    return self.async_abort(reason="wrong_account")
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=_credentials_schema(self._data[CONF_AUTH_METHOD], user_input or self._data),
            errors=errors,
            description_placeholders={"account": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how to sign in (and the endpoint of a custom supplier)."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_PROVIDER) == PROVIDER_EASEE:
            return await self.async_step_reconfigure_easee()
        if entry.data.get(CONF_PROVIDER) == PROVIDER_ENODE:
            return await self.async_step_reconfigure_enode()
        custom = entry.data[CONF_SUPPLIER] not in SUPPLIERS
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            problem = (
                url_problem(user_input[CONF_ENDPOINT], _own_addresses(self.hass))
                if custom
                else None
            )
            if problem is not None:
                errors[CONF_ENDPOINT] = problem
            else:
                self._data = {
                    key: value for key, value in entry.data.items() if key not in CREDENTIAL_KEYS
                }
                self._data.update(user_input)
                return await self.async_step_credentials()
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_AUTH_METHOD, default=entry.data[CONF_AUTH_METHOD]
                ): USER_SCHEMA.schema[CONF_AUTH_METHOD],
            }
        )
        if custom:
            schema = schema.extend(_endpoint_schema(user_input or entry.data).schema)
        return self.async_show_form(step_id="reconfigure", data_schema=schema, errors=errors)

    async def _async_finish_reconfigure(self, accounts: list[AccountSummary]) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        if entry.unique_id not in {account.number for account in accounts}:
            return self.async_abort(reason="wrong_account")
        return self.async_update_reload_and_abort(entry, data=self._data)


class KrakenOptionsFlow(OptionsFlowWithReload):
    """When the cheaper registers of day/night and three-rate tariffs are live."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Night and off-peak windows in local time."""
        if user_input is not None:
            user_input = clean_input(user_input)
            return self.async_create_entry(data=user_input)
        defaults = BandSchedule()
        options = self.config_entry.options
        schema = probatio.Schema(
            {
                probatio.Required(
                    key, default=options.get(key, default.isoformat())
                ): TimeSelector()
                for key, default in (
                    (CONF_NIGHT_START, defaults.night_start),
                    (CONF_NIGHT_END, defaults.night_end),
                    (CONF_OFF_PEAK_START, defaults.off_peak_start),
                    (CONF_OFF_PEAK_END, defaults.off_peak_end),
                )
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
