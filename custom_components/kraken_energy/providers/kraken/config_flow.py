"""Config-flow steps of a Kraken supplier account, and its options (the tariff windows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util import dt as dt_util
import probatio

from ...api.kraken.models import AccountSummary
from ...const import CONF_ENDPOINT, CONF_PROVIDER, Provider
from ...flow import ProviderFlow, clean_input, try_sign_in
from ...redaction import identifier_tail
from .const import (
    AUTH_API_KEY,
    AUTH_PASSWORD,
    CONF_ACCOUNT_NUMBER,
    CONF_AUTH_METHOD,
    CONF_CURRENCY,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OFF_PEAK_END,
    CONF_OFF_PEAK_START,
    CONF_SUPPLIER,
    CURRENCIES,
    SUPPLIER_CUSTOM,
    SUPPLIERS,
    supplier_name,
)
from .coordinator import KRAKEN_ERRORS, kraken_client
from .rates import BandSchedule

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


def _endpoint_schema(defaults: Mapping[str, Any], home_currency: str) -> probatio.Schema:
    """The address and currency of another supplier; the currency Home Assistant uses first."""
    currency = defaults.get(CONF_CURRENCY) or (
        home_currency if home_currency in CURRENCIES else CURRENCIES[0]
    )
    return probatio.Schema(
        {
            probatio.Required(CONF_ENDPOINT, default=defaults.get(CONF_ENDPOINT, "")): TextSelector(
                TextSelectorConfig(type=TextSelectorType.URL)
            ),
            probatio.Required(CONF_CURRENCY, default=currency): (
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


class KrakenFlow(ProviderFlow):
    """The steps that add a Kraken supplier account, sign in again or change the sign-in."""

    def __init__(self) -> None:
        super().__init__()
        self._accounts: list[AccountSummary] = []

    async def _async_sign_in(
        self, data: Mapping[str, Any]
    ) -> tuple[dict[str, str], list[AccountSummary]]:
        """Sign in and list the accounts; errors keyed for the form."""
        client = kraken_client(self.hass, data)

        async def accounts() -> list[AccountSummary]:
            await client.authenticate()
            return await client.list_accounts()

        errors, found = await try_sign_in(accounts(), KRAKEN_ERRORS, refused="invalid_auth")
        if errors or not found:
            return errors or {"base": "no_accounts"}, []
        return {}, found

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
            problem = self._url_problem(user_input[CONF_ENDPOINT])
            if problem is None:
                self._data.update(user_input)
                return await self.async_step_credentials()
            errors[CONF_ENDPOINT] = problem
        return self.async_show_form(
            step_id="endpoint",
            data_schema=_endpoint_schema(user_input or self._data, self.hass.config.currency),
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
                # An account that is already set up is not offered again.
                configured = self._async_current_ids(include_ignore=False)
                self._accounts = [
                    account for account in accounts if account.number not in configured
                ]
                if not self._accounts:
                    return self.async_abort(reason="already_configured")
                if len(self._accounts) == 1:
                    return await self._async_create(self._accounts[0].number)
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
            title=f"{supplier_name(self._data[CONF_SUPPLIER])} {identifier_tail(account_number)}",
            data={CONF_PROVIDER: Provider.KRAKEN, **self._data},
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

    async def _async_reconfigure_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how to sign in (and the endpoint of a custom supplier).

        Its form is the `reconfigure` step itself, which hands it the user's input.
        """
        entry = self._get_reconfigure_entry()
        custom = entry.data[CONF_SUPPLIER] not in SUPPLIERS
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            problem = self._url_problem(user_input[CONF_ENDPOINT]) if custom else None
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
            schema = schema.extend(
                _endpoint_schema(user_input or entry.data, self.hass.config.currency).schema
            )
        return self.async_show_form(step_id="reconfigure", data_schema=schema, errors=errors)

    async def _async_finish_reconfigure(self, accounts: list[AccountSummary]) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        if entry.unique_id not in {account.number for account in accounts}:
            return self.async_abort(reason="wrong_account")
        return self.async_update_reload_and_abort(entry, data=self._data)


# Registers switch on half-hour boundaries (settlement periods), so the windows are chosen
# from the day's 48 half hours, shown as HH:MM; stored as "HH:MM:SS" like before. A time
# set otherwise before is kept (custom values allowed).
HALF_HOUR_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[
            SelectOptionDict(value=f"{hour:02d}:{minute:02d}:00", label=f"{hour:02d}:{minute:02d}")
            for hour in range(24)
            for minute in (0, 30)
        ],
        mode=SelectSelectorMode.DROPDOWN,
        custom_value=True,
    )
)


def _options_schema(options: Mapping[str, Any]) -> probatio.Schema:
    defaults = BandSchedule()
    return probatio.Schema(
        {
            probatio.Required(key, default=options.get(key, default.isoformat())): (
                HALF_HOUR_SELECTOR
            )
            for key, default in (
                (CONF_NIGHT_START, defaults.night_start),
                (CONF_NIGHT_END, defaults.night_end),
                (CONF_OFF_PEAK_START, defaults.off_peak_start),
                (CONF_OFF_PEAK_END, defaults.off_peak_end),
            )
        }
    )


class KrakenOptionsFlow(OptionsFlowWithReload):
    """When the cheaper registers of day/night and three-rate tariffs are live."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Night and off-peak windows in local time."""
        errors: dict[str, str] = {}
        if user_input is not None:
            user_input = clean_input(user_input)
            errors = {
                key: "invalid_time"
                for key, value in user_input.items()
                if dt_util.parse_time(str(value)) is None
            }
            if not errors:
                return self.async_create_entry(data=user_input)
        return self.async_show_form(
            step_id="init",
            data_schema=_options_schema(user_input or self.config_entry.options),
            errors=errors,
        )
