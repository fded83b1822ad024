"""The offline hassfest/HACS checks (scripts/validate) pass, and catch what they are for."""

from __future__ import annotations

import json
from pathlib import Path
import shutil

from PIL import Image
import pytest

from scripts import validation


def test_the_integration_passes_every_check() -> None:
    assert validation.validate() == []


@pytest.fixture(name="copy")
def fixture_copy(tmp_path: Path) -> Path:
    """A copy of the integration (and hacs.json) that a test may break."""
    integration = tmp_path / "kraken_energy"
    shutil.copytree(
        validation.INTEGRATION, integration, ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(validation.ROOT / "hacs.json", tmp_path / "hacs.json")
    return integration


def _edit_json(path: Path, change: dict[str, object]) -> None:
    data = json.loads(path.read_text("utf-8"))
    data.update(change)
    path.write_text(json.dumps(data), "utf-8")


def test_manifest_key_order_and_iot_class(copy: Path) -> None:
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    shuffled = {"name": manifest.pop("name"), **manifest, "iot_class": "cloud"}
    (copy / "manifest.json").write_text(json.dumps(shuffled), "utf-8")
    problems = validation.validate(copy, copy.parent)
    assert any("keys must be domain, name, then alphabetical" in p for p in problems)
    assert any("iot_class 'cloud'" in p for p in problems)


def test_german_text_with_other_placeholders(copy: Path) -> None:
    path = copy / "translations" / "de.json"
    texts = json.loads(path.read_text("utf-8"))
    texts["exceptions"]["command_failed"]["message"] = "Fehler: {nicht_da}"
    path.write_text(json.dumps(texts), "utf-8")
    problems = validation.validate(copy, copy.parent)
    assert problems == [
        (
            "translations/de.json: exceptions.command_failed.message has other placeholders "
            "than the English text"
        )
    ]


def test_form_step_error_and_menu_option_without_text(copy: Path) -> None:
    path = copy / "translations" / "en.json"
    texts = json.loads(path.read_text("utf-8"))
    del texts["config"]["step"]["easee"]["data"]["username"]
    del texts["config"]["error"]["no_chargers"]
    del texts["config"]["step"]["user"]["menu_options"]["enode"]
    path.write_text(json.dumps(texts), "utf-8")
    problems = validation.validate(copy, copy.parent)
    assert "translations/en.json: field 'username' of step 'easee' has no label" in problems
    assert any("error 'no_chargers'" in p for p in problems)
    assert "translations/en.json: menu option 'enode' of step 'user' has no label" in problems


def test_quality_scale_exemption_without_reason_and_unknown_rule(copy: Path) -> None:
    path = copy / "quality_scale.yaml"
    path.write_text(
        path.read_text("utf-8") + "  made-up-rule: done\n  discovery: exempt\n", "utf-8"
    )
    problems = validation.validate(copy, copy.parent)
    assert "quality_scale.yaml: 'made-up-rule' is not a quality scale rule" in problems
    assert "quality_scale.yaml: discovery: an exemption needs a comment saying why" in problems


def test_brand_icon_of_the_wrong_size_or_untrimmed(copy: Path) -> None:
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(copy / "brand" / "icon.png")
    untrimmed = Image.new("RGBA", (512, 512), (0, 0, 0, 0))
    untrimmed.paste((255, 0, 0, 255), (100, 100, 400, 400))
    untrimmed.save(copy / "brand" / "icon@2x.png")
    problems = validation.validate(copy, copy.parent)
    assert "brand/icon.png: is 300 x 300, not 256 square" in problems
    assert (
        "brand/icon@2x.png: is not trimmed: the artwork fills only (100, 100, 400, 400)" in problems
    )


def test_zip_release_needs_a_filename(copy: Path) -> None:
    _edit_json(copy.parent / "hacs.json", {"zip_release": True, "filename": ""})
    assert "hacs.json: zip_release needs the zip's filename" in validation.validate(
        copy, copy.parent
    )


def test_a_key_given_twice(copy: Path) -> None:
    """JSON keeps the last of two equal keys; the first one's value would vanish unnoticed."""
    manifest = copy / "manifest.json"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace('"codeowners"', '"dependencies": [],\n  "codeowners"'))
    problems = validation.validate(copy, copy.parent)
    assert any("'dependencies' appears twice" in p for p in problems)
