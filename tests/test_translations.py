"""Every name, state and error the integration shows has an English and a German text."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest

from custom_components.kraken_energy import readings
from custom_components.kraken_energy.providers.easee import (
    binary_sensor as easee_binary_sensor,
    button as easee_button,
    number as easee_number,
    select as easee_select,
    sensor as easee_sensor,
    switch as easee_switch,
)
from custom_components.kraken_energy.providers.enode import (
    binary_sensor as enode_binary_sensor,
    button as enode_button,
    climate as enode_climate,
    device_tracker as enode_device_tracker,
    number as enode_number,
    select as enode_select,
    sensor as enode_sensor,
    switch as enode_switch,
    time as enode_time,
)
from custom_components.kraken_energy.providers.enode.repairs import NAMED_CAPABILITIES
from custom_components.kraken_energy.providers.kraken import (
    binary_sensor as kraken_binary_sensor,
    number as kraken_number,
    sensor as kraken_sensor,
    switch as kraken_switch,
    time as kraken_time,
)
from custom_components.kraken_energy.providers.kraken.coordinator import (
    REFUSAL_TRANSLATION_KEYS,
)

PACKAGE = Path(__file__).parents[1] / "custom_components" / "kraken_energy"
LANGUAGES = ("en", "de")


def _load(language: str) -> dict[str, Any]:
    texts: dict[str, Any] = json.loads(
        (PACKAGE / "translations" / f"{language}.json").read_text("utf-8")
    )
    return texts


def _leaves(tree: Any, prefix: str = "") -> set[str]:
    if isinstance(tree, dict):
        return {leaf for key, value in tree.items() for leaf in _leaves(value, f"{prefix}/{key}")}
    return {prefix}


def test_german_has_every_english_text() -> None:
    assert _leaves(_load("de")) == _leaves(_load("en"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entity_description_has_a_name_and_its_states(language: str) -> None:
    entity = _load(language)["entity"]
    descriptions: dict[str, list[Any]] = {
        "sensor": [
            *kraken_sensor.ACCOUNT_SENSORS,
            *kraken_sensor.RATE_SENSORS,
            *kraken_sensor.DEVICE_SENSORS,
            *easee_sensor.EASEE_SENSORS,
            *enode_sensor.ENODE_SENSORS,
            *readings.READING_SENSORS,
        ],
        "binary_sensor": [
            kraken_binary_sensor.OFF_PEAK,
            *kraken_binary_sensor.DEVICE_BINARY_SENSORS,
            *easee_binary_sensor.EASEE_BINARY_SENSORS,
            *enode_binary_sensor.ENODE_BINARY_SENSORS,
            *readings.READING_BINARY_SENSORS,
        ],
        "switch": [
            *kraken_switch.SWITCHES,
            *easee_switch.EASEE_SWITCHES,
            *enode_switch.ENODE_SWITCHES,
        ],
        "number": [
            *kraken_number.NUMBERS,
            *easee_number.EASEE_NUMBERS,
            *enode_number.ENODE_NUMBERS,
        ],
        "select": [easee_select.PHASE_MODE, enode_select.OPERATION_MODE],
        "button": [*easee_button.EASEE_BUTTONS, enode_button.CHARGE_NOW],
        "time": [*kraken_time.READY_BY, enode_time.DEADLINE],
        "device_tracker": [enode_device_tracker.LOCATION],
    }
    for platform, items in descriptions.items():
        for description in items:
            texts = entity[platform][description.translation_key]
            assert texts["name"], f"{platform}.{description.key}"
            for option in getattr(description, "options", None) or ():
                assert texts["state"][option], f"{platform}.{description.key}: {option}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_raised_error_has_a_message(language: str) -> None:
    exceptions = _load(language)["exceptions"]
    source = "\n".join(path.read_text("utf-8") for path in PACKAGE.rglob("*.py"))
    raised = set(re.findall(r'translation_domain=DOMAIN,\s*translation_key="([a-z_]+)"', source))
    raised |= set(re.findall(r'self\._failure\(\s*"([a-z_]+)"', source))
    raised |= set(REFUSAL_TRANSLATION_KEYS.values())
    assert {"auth_failed", "refused_disconnected", "command_refused"} <= raised
    assert raised - set(exceptions) == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_climate_presets_have_names(language: str) -> None:
    states = _load(language)["entity"]["climate"][enode_climate.HVAC.translation_key]
    presets = states["state_attributes"]["preset_mode"]["state"]
    assert set(presets) == {enode_climate.PRESET_SCHEDULE, enode_climate.PRESET_HOLD}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_named_capability_has_its_repair_text(language: str) -> None:
    issues = _load(language)["issues"]
    for capability in NAMED_CAPABILITIES:
        text = issues[f"enode_intervention_{capability}"]
        assert "{device}" in text["description"], capability
        assert text["description"].endswith("\n\n{resolution}"), capability
