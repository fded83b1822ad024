"""Device names and models as the device page shows them."""

from __future__ import annotations

import dataclasses

import pytest

from custom_components.kraken_energy.api.enode import models
from custom_components.kraken_energy.device_names import known, make_and_model
from custom_components.kraken_energy.providers.enode.repairs import (
    NAMED_CAPABILITIES,
    intervention_translation_key,
    resolution_markdown,
)


@pytest.mark.parametrize(
    ("make", "model", "name"),
    [
        ("Zaptec", "ZAPTEC PRO", "ZAPTEC PRO"),
        ("Tesla", "Model 3", "Tesla Model 3"),
        ("Tesla", "Tesla", "Tesla"),
        # A model that merely begins with the make's letters keeps the make.
        ("Ford", "Fordson Major", "Ford Fordson Major"),
        (None, "Zappi", "Zappi"),
        ("myenergi", None, "myenergi"),
        ("<unknown>", "unknown", None),
    ],
)
def test_a_name_says_the_make_once(make: str | None, model: str | None, name: str | None) -> None:
    assert make_and_model(make, model) == name


@pytest.mark.parametrize("placeholder", ["", " ", "unknown", "<unknown>", "N/A", "null"])
def test_placeholders_are_no_model(placeholder: str) -> None:
    assert known(placeholder) is None
    assert known(" Zappi ") == "Zappi"


def test_enode_steps_become_markdown_lines() -> None:
    steps = "1. Open the app<br>2. Go to *Settings* <BR/> 3. Turn it on<br />"
    assert resolution_markdown(steps) == "1. Open the app\n2. Go to *Settings*\n3. Turn it on"


def test_an_unnamed_capability_gets_the_general_repair_text() -> None:
    assert intervention_translation_key("set_max_current") == "enode_intervention_set_max_current"
    assert intervention_translation_key("some_new_capability") == "enode_intervention"


def test_every_named_capability_is_one_enode_reports() -> None:
    reported = {
        field.name
        for kind in (
            models.VehicleCapabilities,
            models.ChargerCapabilities,
            models.HvacCapabilities,
            models.BatteryCapabilities,
            models.InverterCapabilities,
            models.MeterCapabilities,
        )
        for field in dataclasses.fields(kind)
        if field.type in ("Capability", models.Capability)
    }
    assert reported == NAMED_CAPABILITIES
