"""The fault matrix: a bad day of each cloud, replayed against the simulator every run.

Each case holds one fault for a simulated hour, then lifts it. Whatever the fault, the
household keeps every device and entity, no reauthentication starts, nothing logs a
traceback, the integration asks no more often than it normally does, and everything that was
available before is available again within the hour after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.kraken_energy.const import DOMAIN
from simulator.app import RunningSimulator
from simulator.easee.scenario import DRIVEWAY_CHARGER_ID, GARAGE_CHARGER_ID
from simulator.enode.state import (
    ENODE_USER_ID,
    HVAC_ID as ENODE_HVAC_ID,
    VEHICLE_ID as ENODE_VEHICLE_ID,
)
from simulator.faults import Fault

from ..conftest import (
    GB_ACCOUNT,
    MORNING,
    advance,
    easee_entry_data,
    enode_entry_data,
    gb_entry_data,
    setup_entry,
    unique_state,
)

pytestmark = pytest.mark.usefixtures("london")

LATIN_1_PAGE = "<html><body>Wartung: Dienst kurz unterbrochen. Caf\xe9 \xfcber alles.</body></html>"


@dataclass(frozen=True)
class Provider:
    """One cloud as the matrix sees it."""

    entry_data: Callable[..., dict[str, Any]]
    path: str
    """Every request of this provider goes under this path of the simulator."""
    normal_per_hour: int
    """Requests an hour of a healthy day (scripts/bench measures the same)."""
    unique_id: str | None = None


PROVIDERS = {
    "kraken": Provider(gb_entry_data, "/v1/graphql/", 17, GB_ACCOUNT),
    "easee": Provider(easee_entry_data, "/api/", 132),
    "enode": Provider(enode_entry_data, "/enode", 181),
}


def _faults(path: str) -> dict[str, Fault]:
    """Every fault of the matrix, held until lifted, for requests under `path`."""
    held: dict[str, Any] = {"count": None, "path": path}
    return {
        "not_json": Fault.malformed(**held),
        "empty_object": Fault.wrong_shape({}, **held),
        "data_null": Fault.wrong_shape({"data": None}, **held),
        "unexpected_shape": Fault.wrong_shape({"unexpected": True}, **held),
        "latin_1_page_200": Fault.raw(200, LATIN_1_PAGE, encoding="latin-1", **held),
        "latin_1_page_502": Fault.raw(502, LATIN_1_PAGE, encoding="latin-1", **held),
        "firewall_html_403": Fault.raw(403, "<html>Request blocked</html>", **held),
        "proxy_html_401": Fault.raw(401, "<html>Proxy sign-in required</html>", **held),
        "html_400": Fault.raw(400, "<html>Bad Request</html>", **held),
        "html_404": Fault.raw(404, "<html>Not Found</html>", **held),
        "html_408": Fault.raw(408, "<html>Request Timeout</html>", **held),
        "throttled_retry_after_60": Fault.rate_limit(60, **held),
        "throttled_without_retry_after": Fault.raw(
            429, "Too Many Requests", content_type="text/plain", **held
        ),
        "retry_after_huge": Fault.rate_limit("99999999999999", **held),
        "retry_after_infinite": Fault.rate_limit("inf", **held),
        "retry_after_1e999": Fault.rate_limit("1e999", **held),
        "retry_after_year_9999": Fault.rate_limit("Fri, 31 Dec 9999 23:59:59 GMT", **held),
        "server_down": Fault.http_status(503, **held),
    }


CASES = [
    pytest.param(provider, fault, id=f"{provider}-{fault}")
    for provider in PROVIDERS
    for fault in _faults("/")
]


class _Tracebacks(logging.Handler):
    """Every log record that carries an exception (a traceback in the log)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or "Unexpected error" in record.getMessage():
            self.records.append(record)


@pytest.fixture
def tracebacks() -> Iterator[_Tracebacks]:
    """Log records with a traceback, from any logger, during the test."""
    handler = _Tracebacks()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


async def _hours(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: int) -> None:
    for _ in range(minutes):
        await advance(hass, freezer, timedelta(minutes=1))


def _available(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    return {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if (state := hass.states.get(entity.entity_id)) is not None
        and state.state != STATE_UNAVAILABLE
    }


@pytest.mark.parametrize(("provider_name", "fault_name"), CASES)
async def test_a_bad_hour_costs_nothing_that_lasts(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    tracebacks: _Tracebacks,
    provider_name: str,
    fault_name: str,
) -> None:
    provider = PROVIDERS[provider_name]
    freezer.move_to(MORNING)
    entry = MockConfigEntry(domain=DOMAIN, title=provider_name, data=provider.entry_data(simulator))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    await _hours(hass, freezer, 5)
    devices = {
        device.id
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    }
    entities = {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    available = _available(hass, entry)
    assert devices
    assert available

    fault = simulator.state.faults.add(_faults(provider.path)[fault_name])
    before = simulator.state.requests.count(path=provider.path)
    await _hours(hass, freezer, 60)
    during = simulator.state.requests.count(path=provider.path) - before
    simulator.state.faults.remove(fault)

    # Never more requests than on a healthy day, however the service misbehaves.
    assert during <= provider.normal_per_hour, f"{during} requests in the hour"
    # A service in trouble is not a refused credential.
    assert not [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    # Nothing the household had is gone.
    assert {
        device.id
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    } == devices
    assert {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    } == entities

    # Back on its own within the hour after.
    await _hours(hass, freezer, 65)
    assert entry.state is ConfigEntryState.LOADED
    assert _available(hass, entry) >= available
    assert not tracebacks.records, [record.getMessage() for record in tracebacks.records]


async def _set_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> set[str]:
    """Set the entry up at a fixed morning; the ids of its registry devices."""
    freezer.move_to(MORNING)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    return {
        device.id
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    }


def _device_ids(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    return {
        device.id
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    }


async def test_smartflex_answer_without_devices_keeps_them(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    gb_entry: MockConfigEntry,
) -> None:
    """`{"data": {}}` from the devices' own poll is unreadable, not "no devices"."""
    devices = await _set_up(hass, freezer, gb_entry)
    assert len(devices) == 10
    simulator.state.faults.add(Fault.wrong_shape({"data": {}}, count=3, operation_name="SmartFlex"))
    await _hours(hass, freezer, 15)
    assert _device_ids(hass, gb_entry) == devices


async def test_an_empty_charger_list_once_keeps_the_chargers(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    easee_entry: MockConfigEntry,
) -> None:
    """One `[]` for the sites' chargers is not enough to believe every charger left."""
    devices = await _set_up(hass, freezer, easee_entry)
    simulator.state.faults.add(Fault.wrong_shape([], count=1, path="/api/sites"))
    await _hours(hass, freezer, 20)
    assert _device_ids(hass, easee_entry) == devices
    assert unique_state(hass, "sensor", f"easee_{GARAGE_CHARGER_ID}_op_mode") == "charging"


async def test_one_unreadable_charger_costs_only_its_own_entities(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    easee_entry: MockConfigEntry,
) -> None:
    """A charger still listed whose state answers 404: the other charger carries on."""
    devices = await _set_up(hass, freezer, easee_entry)
    fault = simulator.state.faults.add(
        Fault.http_status(404, count=None, path=f"/api/chargers/{DRIVEWAY_CHARGER_ID}/")
    )
    before = simulator.state.requests.count(path="/api/")
    await _hours(hass, freezer, 60)
    assert (
        simulator.state.requests.count(path="/api/") - before <= PROVIDERS["easee"].normal_per_hour
    )
    assert unique_state(hass, "sensor", f"easee_{DRIVEWAY_CHARGER_ID}_op_mode") == STATE_UNAVAILABLE
    assert unique_state(hass, "sensor", f"easee_{GARAGE_CHARGER_ID}_op_mode") == "charging"
    assert _device_ids(hass, easee_entry) == devices
    simulator.state.faults.remove(fault)
    await _hours(hass, freezer, 3)
    assert unique_state(hass, "sensor", f"easee_{DRIVEWAY_CHARGER_ID}_op_mode") != STATE_UNAVAILABLE


async def test_a_two_day_outage_ends_in_recovery_not_overflow(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    easee_entry: MockConfigEntry,
    tracebacks: _Tracebacks,
) -> None:
    """Past the 41st failure in a row (where the doubling overflowed): no traceback."""
    await _set_up(hass, freezer, easee_entry)
    fault = simulator.state.faults.add(Fault.http_status(503, count=None, path="/api/"))
    attempts = simulator.state.requests.count(path="/api/")
    # Each jump reaches the next attempt, which never comes later than an hour on.
    for _ in range(45):
        await advance(hass, freezer, timedelta(hours=1, seconds=1))
    assert simulator.state.requests.count(path="/api/") - attempts >= 45
    simulator.state.faults.remove(fault)
    await _hours(hass, freezer, 61)
    # The car finished charging meanwhile: whatever the charger says now, it says it again.
    assert unique_state(hass, "sensor", f"easee_{GARAGE_CHARGER_ID}_op_mode") != STATE_UNAVAILABLE
    assert not tracebacks.records


def _enode_issues(hass: HomeAssistant, entry: MockConfigEntry, part: str) -> list[str]:
    return [
        issue_id
        for domain, issue_id in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith(entry.entry_id) and part in issue_id
    ]


async def test_a_kind_enode_may_not_read_costs_only_that_kind(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    enode_entry: MockConfigEntry,
    tracebacks: _Tracebacks,
) -> None:
    """A 403 on the HVAC list (a scope not granted): a repair names it; the rest carries on."""
    devices = await _set_up(hass, freezer, enode_entry)
    climate = f"enode_{ENODE_HVAC_ID}_hvac"
    assert unique_state(hass, "climate", climate) == "heat"
    forbidden = json.dumps(
        {
            "type": "https://developers.enode.com/api/problems/forbidden",
            "title": "Forbidden",
            "detail": "Missing required scope hvac:read:data",
        }
    )
    fault = simulator.state.faults.add(
        Fault.raw(
            403,
            forbidden,
            content_type="application/problem+json",
            count=None,
            path=f"/enode/users/{ENODE_USER_ID}/hvacs",
        )
    )
    await _hours(hass, freezer, 30)
    # Only the unit's entities are unavailable (its last values are too old to show); no
    # reauthentication, every device kept, the car still current.
    assert unique_state(hass, "climate", climate) == STATE_UNAVAILABLE
    assert enode_entry.state is ConfigEntryState.LOADED
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert _device_ids(hass, enode_entry) == devices
    assert (
        unique_state(hass, "sensor", f"enode_{ENODE_VEHICLE_ID}_battery_level") != STATE_UNAVAILABLE
    )
    issues = _enode_issues(hass, enode_entry, "forbidden")
    assert len(issues) == 1
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issues[0])
    assert issue is not None
    assert issue.translation_placeholders == {"kind": "hvac", "permission": "hvac:read:data"}
    # Granted again: the notice goes, the unit is back.
    simulator.state.faults.remove(fault)
    await _hours(hass, freezer, 3)
    assert not _enode_issues(hass, enode_entry, "forbidden")
    assert unique_state(hass, "climate", climate) == "heat"
    assert not tracebacks.records


async def test_an_intervention_enode_cannot_find_is_skipped(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    enode_entry: MockConfigEntry,
) -> None:
    """An intervention id answering 404: no repair for it, every entity as it was."""
    simulator.state.faults.add(Fault.http_status(404, count=None, path="/enode/interventions/"))
    devices = await _set_up(hass, freezer, enode_entry)
    await _hours(hass, freezer, 10)
    assert _device_ids(hass, enode_entry) == devices
    assert (
        unique_state(hass, "sensor", f"enode_{ENODE_VEHICLE_ID}_battery_level") != STATE_UNAVAILABLE
    )
    # Once per full listing at most, not every poll.
    assert simulator.state.requests.count(path="/enode/interventions/") <= 2


async def test_a_renamed_entity_survives_a_bad_hour(
    hass: HomeAssistant,
    simulator: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    enode_entry: MockConfigEntry,
) -> None:
    """`{}` for every Enode list for an hour: the household's own names are still there."""
    await _set_up(hass, freezer, enode_entry)
    registry = er.async_get(hass)
    battery = registry.async_get_entity_id(
        "sensor", DOMAIN, f"enode_{ENODE_VEHICLE_ID}_battery_level"
    )
    assert battery is not None
    registry.async_update_entity(battery, name="Car charge", new_entity_id="sensor.car_charge")
    fault = simulator.state.faults.add(Fault.wrong_shape({}, count=None, path="/enode/users/"))
    await _hours(hass, freezer, 60)
    simulator.state.faults.remove(fault)
    await _hours(hass, freezer, 65)
    renamed = registry.async_get("sensor.car_charge")
    assert renamed is not None
    assert renamed.name == "Car charge"
    assert (
        unique_state(hass, "sensor", f"enode_{ENODE_VEHICLE_ID}_battery_level") != STATE_UNAVAILABLE
    )
