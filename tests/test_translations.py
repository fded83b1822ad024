"""Every name, state and error the integration shows has an English and a German text."""

from __future__ import annotations

import json
from pathlib import Path
import re
from types import SimpleNamespace
from typing import Any

import pytest

from custom_components.kraken_energy import (
    binary_sensor,
    button,
    climate,
    device_tracker,
    number,
    select,
    sensor,
    switch,
    time,
)
from custom_components.kraken_energy.entity import REFUSAL_TRANSLATION_KEYS

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
            *sensor.ACCOUNT_SENSORS,
            *sensor.RATE_SENSORS,
            *sensor.DEVICE_SENSORS,
            *sensor.EASEE_SENSORS,
            *sensor.ENODE_SENSORS,
            *sensor.READING_SENSORS,
        ],
        "binary_sensor": [
            binary_sensor.OFF_PEAK,
            *binary_sensor.DEVICE_BINARY_SENSORS,
            *binary_sensor.EASEE_BINARY_SENSORS,
            *binary_sensor.ENODE_BINARY_SENSORS,
            *binary_sensor.READING_BINARY_SENSORS,
        ],
        "switch": [*switch.SWITCHES, *switch.EASEE_SWITCHES, *switch.ENODE_SWITCHES],
        "number": [*number.NUMBERS, *number.EASEE_NUMBERS, *number.ENODE_NUMBERS],
        "select": [select.PHASE_MODE, select.OPERATION_MODE],
        "button": [*button.EASEE_BUTTONS, button.CHARGE_NOW],
        "time": [
            *(SimpleNamespace(key=key, translation_key=key) for key in time.READY_BY),
            time.DEADLINE,
        ],
        "device_tracker": [device_tracker.LOCATION],
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
    source = "\n".join(path.read_text("utf-8") for path in PACKAGE.glob("*.py"))
    raised = set(re.findall(r'translation_domain=DOMAIN,\s*translation_key="([a-z_]+)"', source))
    raised |= set(re.findall(r'self\._failure\(\s*"([a-z_]+)"', source))
    raised |= set(REFUSAL_TRANSLATION_KEYS.values())
    assert {"auth_failed", "refused_disconnected", "command_refused"} <= raised
    assert raised - set(exceptions) == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_climate_presets_have_names(language: str) -> None:
    states = _load(language)["entity"]["climate"][climate.HVAC.translation_key]
    presets = states["state_attributes"]["preset_mode"]["state"]
    assert set(presets) == {climate.PRESET_SCHEDULE, climate.PRESET_HOLD}
