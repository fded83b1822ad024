"""Config, reauth, reconfigure and options flows against the simulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from custom_components.kraken_energy.providers.kraken.const import SUPPLIERS, Supplier
from simulator.app import RunningSimulator
from simulator.faults import Fault
from simulator.kraken.scenario import GB_MULTI_RATE_ACCOUNT

from ..conftest import GB_ACCOUNT, GB_API_KEY, entity_id, gb_entry_data, setup_entry

DE_API_KEY = "sk_live_de_simulator"
EMPTY_API_KEY = "sk_live_empty_simulator"


@pytest.fixture(autouse=True)
def suppliers_on_simulator(monkeypatch: pytest.MonkeyPatch, simulator: RunningSimulator) -> None:
    """Point the named suppliers at the simulator (their real URLs are not reachable here):
    the GB supplier at its GB instance, Octopus Energy Germany at its German one."""
    for key, supplier in list(SUPPLIERS.items()):
        url = simulator.kraken_de_url if key == "octopus_energy_germany" else simulator.kraken_url
        monkeypatch.setitem(SUPPLIERS, key, Supplier(supplier.name, url, supplier.currency))


async def _start(hass: HomeAssistant, supplier: str, auth_method: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "kraken"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "kraken"
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"supplier": supplier, "auth_method": auth_method}
        )
    )


async def test_gb_api_key_with_two_accounts_picks_one(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Two accounts: the user picks one, which becomes the entry."""
    result = await _start(hass, "octopus_energy_gb", "api_key")
    assert result["step_id"] == "credentials"
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": GB_API_KEY})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "account"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"account_number": GB_ACCOUNT}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Created, and set up once (the setup itself is other tests' subject).
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1
    # The title names the account by its last characters only: it reaches log lines.
    assert result["title"] == "Octopus Energy …0001"
    assert result["result"].unique_id == GB_ACCOUNT
    assert result["data"] == {
        "provider": "kraken",
        "supplier": "octopus_energy_gb",
        "auth_method": "api_key",
        "endpoint": simulator.kraken_url,
        "currency": "GBP",
        "api_key": GB_API_KEY,
        "account_number": GB_ACCOUNT,
    }
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


async def test_germany_email_and_password(hass: HomeAssistant, simulator: RunningSimulator) -> None:
    """The German instance: the user's two accounts to choose from, the entry in euros."""
    result = await _start(hass, "octopus_energy_germany", "password")
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"email": "de@example.com", "password": "simulator"}
        )
    )
    assert result["step_id"] == "account"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"account_number": "A-DE000001"}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Octopus Energy Germany …0001"
    assert result["data"]["currency"] == "EUR"
    await hass.async_block_till_done()
    balance = hass.states.get(entity_id(hass, "sensor", "A-DE000001_balance"))
    assert balance is not None
    assert balance.attributes["unit_of_measurement"] == "EUR"


async def test_custom_endpoint_rejects_a_bad_url_then_accepts(
    hass: HomeAssistant, simulator: RunningSimulator, mock_setup_entry: AsyncMock
) -> None:
    """Another Kraken supplier: URL validated, currency chosen."""
    result = await _start(hass, "custom", "api_key")
    assert result["step_id"] == "endpoint"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"endpoint": "not a url", "currency": "EUR"}
        )
    )
    assert result["errors"] == {"endpoint": "invalid_url"}
    # Addresses the API key would be sent to unprotected, or to the wrong place, are refused.
    for address, error in (
        ("http://kraken.example.com/v1/graphql/", "insecure_url"),
        ("https://me:secret@kraken.example.com/v1/graphql/", "url_has_credentials"),
        ("https://169.254.169.254/latest/", "url_not_allowed"),
    ):
        result = dict(
            await hass.config_entries.flow.async_configure(
                result["flow_id"], {"endpoint": address, "currency": "EUR"}
            )
        )
        assert result["errors"] == {"endpoint": error}
    # Pasted with the whitespace around it: taken without.
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"endpoint": f"  {simulator.kraken_url}\n", "currency": "EUR"}
        )
    )
    assert result["step_id"] == "credentials"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"api_key": f" {DE_API_KEY}\t"}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Created, and set up once (the setup itself is other tests' subject).
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1
    assert result["title"] == "Kraken …0001"
    assert result["data"]["endpoint"] == simulator.kraken_url
    assert result["data"]["api_key"] == DE_API_KEY


async def test_home_assistants_own_address_is_refused_as_an_endpoint(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """The API key is never posted to Home Assistant itself, under any of its addresses."""
    await hass.config.async_update(
        internal_url="http://homeassistant.local:8123",
        external_url="https://home.example.org:8443",
    )
    result = await _start(hass, "custom", "api_key")
    for address in (
        "https://homeassistant.local:8123/v1/graphql/",
        "https://home.example.org:8443/v1/graphql/",
        f"http://127.0.0.1:{hass.http.server_port}/api/",
    ):
        result = dict(
            await hass.config_entries.flow.async_configure(
                result["flow_id"], {"endpoint": address, "currency": "EUR"}
            )
        )
        assert result["errors"] == {"endpoint": "url_not_allowed"}


async def test_only_supplier_accounts_have_options(
    hass: HomeAssistant,
    gb_entry: MockConfigEntry,
    easee_entry: MockConfigEntry,
    enode_entry: MockConfigEntry,
) -> None:
    """Tariff windows are a supplier account's options; chargers and devices have none."""
    assert gb_entry.supports_options
    assert not easee_entry.supports_options
    assert not enode_entry.supports_options


@pytest.mark.parametrize(
    ("api_key", "fault", "error"),
    [
        ("sk_live_wrong", None, "invalid_auth"),
        (EMPTY_API_KEY, None, "no_accounts"),
        (GB_API_KEY, Fault.http_status(502), "cannot_connect"),
        (GB_API_KEY, Fault.malformed(), "unknown"),
    ],
)
async def test_credential_errors_then_success(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    api_key: str,
    fault: Fault | None,
    error: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Each error shows on the form, and the flow still succeeds afterwards."""
    result = await _start(hass, "octopus_energy_gb", "api_key")
    if fault is not None:
        simulator.state.faults.add(fault)
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": api_key})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    simulator.state.faults.clear()
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": GB_API_KEY})
    )
    assert result["step_id"] == "account"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"account_number": GB_ACCOUNT}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Created, and set up once (the setup itself is other tests' subject).
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_accounts_already_set_up_are_not_offered(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    gb_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """With one of the user's two accounts set up, the other is added without a chooser."""
    result = await _start(hass, "octopus_energy_gb", "password")
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"email": "gb@example.com", "password": "simulator"}
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == GB_MULTI_RATE_ACCOUNT


async def test_same_account_twice_is_refused(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """When every account of the user is set up, the flow ends before asking anything."""
    MockConfigEntry(
        domain=DOMAIN,
        data={**gb_entry.data, "account_number": GB_MULTI_RATE_ACCOUNT},
        unique_id=GB_MULTI_RATE_ACCOUNT,
        version=gb_entry.version,
        minor_version=gb_entry.minor_version,
    ).add_to_hass(hass)
    result = await _start(hass, "octopus_energy_gb", "password")
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"email": "gb@example.com", "password": "simulator"}
        )
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_other_supplier_bills_in_home_assistants_currency_by_default(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    await hass.config.async_update(currency="GBP")
    result = await _start(hass, "custom", "api_key")
    assert result["step_id"] == "endpoint"
    schema = result["data_schema"]
    assert schema is not None
    defaults = {str(key): key.default() for key in schema.schema if callable(key.default)}
    assert defaults["currency"] == "GBP"
    await hass.config.async_update(currency="CHF")  # not a Kraken currency: the first one
    result = await _start(hass, "custom", "api_key")
    schema = result["data_schema"]
    assert schema is not None
    defaults = {str(key): key.default() for key in schema.schema if callable(key.default)}
    assert defaults["currency"] == "GBP"


async def test_reauth_accepts_a_new_key_for_the_same_account(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """Reauth: a wrong key errors, a new valid key is stored and the entry reloads."""
    await setup_entry(hass, gb_entry)
    new_key = simulator.state.kraken.rotate_api_key(GB_API_KEY)
    result = dict(await gb_entry.start_reauth_flow(hass))
    assert result["step_id"] == "reauth_confirm"
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": GB_API_KEY})
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": new_key})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert gb_entry.data["api_key"] == new_key
    await hass.async_block_till_done()
    assert gb_entry.state is ConfigEntryState.LOADED


async def test_reauth_with_another_users_key_is_refused(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """Credentials of a different account abort with wrong_account."""
    result = dict(await gb_entry.start_reauth_flow(hass))
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": DE_API_KEY})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert gb_entry.data["api_key"] == GB_API_KEY


async def test_reconfigure_switches_to_email_and_password(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """Reconfigure changes the sign-in method and drops the old secret."""
    await setup_entry(hass, gb_entry)
    result = dict(await gb_entry.start_reconfigure_flow(hass))
    assert result["step_id"] == "reconfigure"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"auth_method": "password"}
        )
    )
    assert result["step_id"] == "credentials"
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"email": "gb@example.com", "password": "simulator"}
        )
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert gb_entry.data["auth_method"] == "password"
    assert gb_entry.data["email"] == "gb@example.com"
    assert "api_key" not in gb_entry.data
    await hass.async_block_till_done()
    assert gb_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_custom_endpoint_and_wrong_account(
    hass: HomeAssistant, simulator: RunningSimulator
) -> None:
    """A custom supplier's endpoint is validated; another account's key aborts."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Kraken {GB_ACCOUNT}",
        unique_id=GB_ACCOUNT,
        data=gb_entry_data(simulator, supplier="custom"),
    )
    entry.add_to_hass(hass)
    result = dict(await entry.start_reconfigure_flow(hass))
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {"auth_method": "api_key", "endpoint": "ftp://x", "currency": "GBP"},
        )
    )
    assert result["errors"] == {"endpoint": "invalid_url"}
    result = dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {"auth_method": "api_key", "endpoint": simulator.kraken_url, "currency": "GBP"},
        )
    )
    result = dict(
        await hass.config_entries.flow.async_configure(result["flow_id"], {"api_key": DE_API_KEY})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


async def test_options_set_the_night_window_of_a_day_night_tariff(
    hass: HomeAssistant, simulator: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """Moving the night window changes the off-peak sensor of a day/night meter."""
    await hass.config.async_set_time_zone("Europe/London")
    freezer.move_to("2026-11-23T23:00:00+00:00")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Octopus Energy A-GB000002",
        unique_id="A-GB000002",
        data=gb_entry_data(simulator, account_number="A-GB000002"),
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    point = next(
        p
        for p in entry.runtime_data.account.data.meter_points
        if (a := p.agreement_at(dt_util.utcnow())) and a.tariff and a.tariff.kind == "day_night"
    )
    off_peak = entity_id(hass, "binary_sensor", f"electricity_{point.identifier}_off_peak")
    assert hass.states.get(off_peak).state == "off"  # type: ignore[union-attr]

    result = dict(await hass.config_entries.options.async_init(entry.entry_id))
    assert result["step_id"] == "init"
    result = dict(
        await hass.config_entries.options.async_configure(
            str(result["flow_id"]),
            {
                "night_start": "22:00:00",
                "night_end": "06:00:00",
                "off_peak_start": "13:00:00",
                "off_peak_end": "16:00:00",
            },
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert hass.states.get(off_peak).state == "on"  # type: ignore[union-attr]


async def test_options_offer_half_hours_and_refuse_what_is_no_time(
    hass: HomeAssistant, simulator: RunningSimulator, gb_entry: MockConfigEntry
) -> None:
    """The windows are picked as HH:MM half hours; a typed value that is no time is refused."""
    await setup_entry(hass, gb_entry)
    result = dict(await hass.config_entries.options.async_init(gb_entry.entry_id))
    schema: Any = result["data_schema"]
    assert schema is not None
    options = schema.schema["night_start"].config["options"]
    assert len(options) == 48
    assert options[1] == {"value": "00:30:00", "label": "00:30"}
    result = dict(
        await hass.config_entries.options.async_configure(
            str(result["flow_id"]),
            {
                "night_start": "half past midnight",
                "night_end": "07:30:00",
                "off_peak_start": "13:00:00",
                "off_peak_end": "16:00:00",
            },
        )
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"night_start": "invalid_time"}
    assert gb_entry.options == {}
