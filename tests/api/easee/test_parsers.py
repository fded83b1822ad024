"""The Easee parsers on their own: numbers, booleans, codes and the lists that must be there."""

from __future__ import annotations

import math
from typing import Any

import pytest

from custom_components.kraken_energy.api.easee import EaseeOpMode, EaseeParseError
from custom_components.kraken_energy.api.easee.parsers import (
    parse_charger,
    parse_chargers,
    parse_command_result,
    parse_config,
    parse_site,
    parse_sites,
    parse_state,
    parse_token,
)
from custom_components.kraken_energy.providers.easee.readings import op_mode

NOT_FINITE: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    10**400,
    -(10**400),
    10**5000,
]


def _id(value: Any) -> str:
    """A test id for a value (an int too long to print is named by its size)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"int{value.bit_length()}bits"
    return f"{value!r:.12}"


def _products(circuits: Any = ..., chargers: Any = ...) -> list[dict[str, Any]]:
    circuit: dict[str, Any] = {"id": 2}
    if chargers is not ...:
        circuit["chargers"] = chargers
    site: dict[str, Any] = {"id": 1, "name": "Home"}
    if circuits is not ...:
        site["circuits"] = [circuit] if circuits == "one" else circuits
    return [site]


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_FINITE, ids=_id)
def test_non_finite_numbers_are_unknown(value: Any) -> None:
    state = parse_state(
        {
            "totalPower": value,
            "sessionEnergy": value,
            "voltage": value,
            "dynamicChargerCurrent": value,
            "chargerOpMode": value,
            "reasonForNoCurrent": value,
            "ledMode": value,
            "errorCode": value,
        }
    )
    assert state.total_power is None
    assert state.session_energy is None
    assert state.voltage is None
    assert state.dynamic_charger_current is None
    assert state.op_mode_code is None
    assert op_mode(state) is None
    assert state.reason_for_no_current is None
    assert state.led_mode is None
    assert state.error_code is None
    config = parse_config({"maxChargerCurrent": value, "phaseMode": value})
    assert config.max_charger_current is None
    assert config.phase_mode is None
    assert parse_token({"accessToken": "a", "expiresIn": value}).expires_in is None
    receipt = parse_command_result({"commandId": value, "ticks": value}, "EH1")
    assert (receipt.command_id, receipt.ticks) == (None, None)


def test_numeric_strings_are_numbers() -> None:
    state = parse_state({"totalPower": "11.04", "chargerOpMode": "3", "voltage": " 230 "})
    assert state.total_power == pytest.approx(11.04)
    assert state.voltage == 230
    assert state.easee_op_mode is EaseeOpMode.CHARGING


@pytest.mark.parametrize("value", [3.5, "3.5", -0.25, 2**53 + 2, 2**63], ids=_id)
def test_codes_that_are_not_whole_numbers_are_unknown(value: Any) -> None:
    state = parse_state({"chargerOpMode": value, "outputPhase": value})
    assert (state.op_mode_code, op_mode(state), state.easee_op_mode) == (None, None, None)
    assert (state.output_phase_code, state.output_phase) == (None, None)


@pytest.mark.parametrize("value", ["three", [3], {"code": 3}, True])
def test_codes_that_are_no_number_at_all_are_refused(value: Any) -> None:
    with pytest.raises(EaseeParseError, match=r"state\.chargerOpMode"):
        parse_state({"chargerOpMode": value})


def test_command_ticks_keep_their_64_bits() -> None:
    ticks = 639_000_000_000_000_000  # .NET ticks in 2026, beyond 2**53
    assert parse_command_result({"ticks": ticks}, "EH1").ticks == ticks
    assert parse_command_result({"ticks": 2**64}, "EH1").ticks is None


@pytest.mark.parametrize("value", [math.nan, 10**5000, 1e300, "EH1"], ids=_id)
def test_ids_must_be_real(value: Any) -> None:
    with pytest.raises(EaseeParseError, match=r"site\.id"):
        parse_site({"id": value, "circuits": []}, "site")


def test_a_charger_id_too_long_to_print_is_refused() -> None:
    with pytest.raises(EaseeParseError, match=r"charger\.id: expected a string, got int"):
        parse_charger({"id": 10**5000}, "charger")
    assert parse_charger({"id": 1234}, "charger").charger_id == "1234"


# --- booleans -----------------------------------------------------------------------------------


def test_boolean_strings_read_as_what_they_say() -> None:
    state = parse_state({"isOnline": "false", "cableLocked": "TRUE", "smartCharging": False})
    assert state.online is False
    assert state.cable_locked is True
    assert state.smart_charging is False
    assert parse_config({"isEnabled": "false"}).enabled is False


@pytest.mark.parametrize("value", ["yes", "0", "", 1, 0, 10**5000, math.nan, [True], {}], ids=_id)
def test_other_booleans_are_refused(value: Any) -> None:
    with pytest.raises(EaseeParseError, match=r"config\.isEnabled"):
        parse_config({"isEnabled": value})


def test_timestamps() -> None:
    assert parse_state({"latestPulse": ""}).latest_pulse is None
    for value in (10**5000, 12, ["2026-01-01T00:00:00Z"], "2026-13-01T00:00:00Z"):
        with pytest.raises(EaseeParseError, match=r"state\.latestPulse"):
            parse_state({"latestPulse": value})


# --- the lists that say which chargers exist ----------------------------------------------------


@pytest.mark.parametrize("answer", [None, {}, {"data": None}, "[]", 0])
def test_a_products_answer_that_is_not_a_list_is_refused(answer: Any) -> None:
    with pytest.raises(EaseeParseError, match="products: expected a list"):
        parse_sites(answer, "products")
    with pytest.raises(EaseeParseError, match="chargers: expected a list"):
        parse_chargers(answer)


@pytest.mark.parametrize("circuits", [..., None, {}])
def test_a_site_without_its_circuits_is_refused(circuits: Any) -> None:
    with pytest.raises(EaseeParseError, match=r"products\[0\]\.circuits: expected a list"):
        parse_sites(_products(circuits), "products")


@pytest.mark.parametrize("chargers", [..., None, {}])
def test_a_circuit_without_its_chargers_is_refused(chargers: Any) -> None:
    with pytest.raises(
        EaseeParseError, match=r"products\[0\]\.circuits\[0\]\.chargers: expected a list"
    ):
        parse_sites(_products("one", chargers), "products")


def test_empty_lists_are_well_formed_answers_without_chargers() -> None:
    assert parse_sites([], "products") == []
    assert parse_chargers([]) == []
    (site,) = parse_sites(_products([]), "products")
    assert site.chargers == ()
    (site,) = parse_sites(_products("one", []), "products")
    assert site.chargers == ()
    (site,) = parse_sites(_products("one", [{"id": "EH1"}]), "products")
    assert [(c.charger_id, c.site_id, c.circuit_id) for c in site.chargers] == [("EH1", 1, 2)]


def test_site_summaries_need_no_circuits() -> None:
    (site,) = parse_sites(_products(), "sites", with_chargers=False)
    assert site.chargers == ()
    (site,) = parse_sites(_products("one"), "sites", with_chargers=False)
    assert site.chargers == ()
    with pytest.raises(EaseeParseError, match="sites: expected a list"):
        parse_sites(None, "sites", with_chargers=False)
