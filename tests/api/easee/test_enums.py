"""The seed-004 enumerations and the parsers' edge cases (pure functions, no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime
import re

import pytest

from custom_components.kraken_energy.api.easee import (
    EaseeLedMode,
    EaseeOfflineChargingMode,
    EaseeOpMode,
    EaseeOutputPhase,
    EaseeParseError,
    EaseePhaseMode,
    EaseePilotMode,
    EaseeReasonForNoCurrent,
)
from custom_components.kraken_energy.api.easee.parsers import (
    parse_command_result,
    parse_config,
    parse_site,
    parse_sites,
    parse_state,
)
from custom_components.kraken_energy.providers.easee.readings import OP_MODE_CANONICAL, op_mode
from custom_components.kraken_energy.readings import ChargerOpMode

# The codes of seed 004's tables, as Easee lists them.
SEED_REASONS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 25, 26, 27, 28, 29, 30]
SEED_REASONS += [50, 51, 52, 53, 54, 55, 56, 57, 75, 76, 77, 78, 79, 80, 81, 100]
SEED_LED = [0, *range(1, 16), 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 29, 43, 44]
SEED_OUTPUT_PHASE = [0, 10, 11, 12, 13, 14, 15, 20, 21, 22, 30]
KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def test_every_seed_code_is_a_member() -> None:
    assert [int(m) for m in EaseeReasonForNoCurrent] == SEED_REASONS
    assert [int(m) for m in EaseeLedMode] == SEED_LED
    assert [int(m) for m in EaseeOutputPhase] == SEED_OUTPUT_PHASE
    assert [int(m) for m in EaseePhaseMode] == [0, 1, 2, 3]
    assert [int(m) for m in EaseeOfflineChargingMode] == [0, 1, 2]
    assert [m.value for m in EaseePilotMode] == ["A", "B", "C", "D", "F"]
    assert [int(m) for m in EaseeOpMode][1:7] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "enum",
    [
        EaseeOpMode,
        EaseeReasonForNoCurrent,
        EaseeOutputPhase,
        EaseePhaseMode,
        EaseeLedMode,
        EaseeOfflineChargingMode,
        EaseePilotMode,
    ],
)
def test_keys_are_translation_keys(enum: type[EaseeOpMode] | type[EaseePilotMode]) -> None:
    keys = enum.keys()
    assert len(keys) == len(set(keys))
    assert all(KEY.match(key) for key in keys)
    assert {member.key for member in enum} == set(keys)


def test_shared_meanings_share_a_key() -> None:
    assert EaseeLedMode.UPDATING_1.key == EaseeLedMode.UPDATING_15.key == "updating"
    assert EaseeLedMode.SELF_TEST_MODE_43.key == EaseeLedMode.SELF_TEST_MODE_44.key
    assert EaseeOpMode.OFFLINE_102.key == EaseeOpMode.OFFLINE.key == "offline"
    assert EaseeOpMode.AWAITING_AUTHORIZATION_104.key == "awaiting_authorization"
    assert EaseeOutputPhase.P1_T2_T3_TN.key == "p1_t2_t3_tn"
    assert EaseeOutputPhase.P2_T2_T3_T4_IT.phases == 2
    assert EaseeReasonForNoCurrent.OK.key == "ok"


def test_every_op_mode_has_a_canonical_mapping() -> None:
    assert set(OP_MODE_CANONICAL) == set(EaseeOpMode)
    for code in range(1, 7):
        mode = EaseeOpMode(code)
        assert OP_MODE_CANONICAL[mode] == ChargerOpMode(mode.key)


def test_from_code() -> None:
    assert EaseePhaseMode.from_code(2) is EaseePhaseMode.AUTO
    assert EaseePhaseMode.from_code(None) is None
    assert EaseePhaseMode.from_code(9) is None
    assert EaseePilotMode.from_code("c") is EaseePilotMode.CAR_CHARGING
    assert EaseePilotMode.from_code("") is None
    assert EaseePilotMode.from_code("E") is None


def test_state_with_missing_fields() -> None:
    state = parse_state({})
    assert op_mode(state) is None
    assert state.op_mode_code is None
    assert state.total_power is None
    assert state.latest_pulse is None


def test_state_timestamp_without_offset_is_utc() -> None:
    state = parse_state({"chargerOpMode": 3.0, "latestPulse": "2026-01-02T03:04:05"})
    assert state.op_mode_code == 3
    assert state.latest_pulse == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"chargerOpMode": "three"}, "state.chargerOpMode"),
        ({"chargerOpMode": {"code": 3}}, "state.chargerOpMode"),
        ({"isOnline": "yes"}, "state.isOnline"),
        ({"totalPower": True}, "state.totalPower"),
        ({"latestPulse": "yesterday"}, "state.latestPulse"),
        ({"pilotMode": ["C"]}, "state.pilotMode"),
    ],
)
def test_state_wrong_types_name_the_field(body: dict[str, object], path: str) -> None:
    with pytest.raises(EaseeParseError, match=re.escape(path)):
        parse_state(body)


def test_config_and_site_wrong_types() -> None:
    with pytest.raises(EaseeParseError, match=r"config\.isEnabled"):
        parse_config({"isEnabled": 1})
    with pytest.raises(EaseeParseError, match="expected a list"):
        parse_sites({"id": 1})
    with pytest.raises(EaseeParseError, match=r"site\.id"):
        parse_site({"name": "x"}, "site")
    with pytest.raises(EaseeParseError, match=r"site\.circuits\[0\]\.chargers\[0\]\.id"):
        parse_site({"id": 1, "circuits": [{"id": 2, "chargers": [{"name": "x"}]}]}, "site")


def test_command_receipts() -> None:
    assert parse_command_result(None, "EH1").command_id is None
    assert parse_command_result([], "EH1").charger_id == "EH1"
    receipt = parse_command_result([{"device": "EH2", "commandId": 7, "ticks": 9}], "EH1")
    assert (receipt.charger_id, receipt.command_id, receipt.ticks) == ("EH2", 7, 9)
