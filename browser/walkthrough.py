"""Walk Home Assistant's own UI as a household would, in a headless Chromium.

Starts `scripts/develop` (the simulator and Home Assistant with every provider configured) on
free ports, signs in through the login page, opens Settings > Devices & services > Add
integration, searches "Kraken", checks that the provider menu and the Easee sign-in form show
their translated labels, and opens one device page per provider (a Kraken SmartFlex car, an
Easee charger, an Enode car), checking that each shows its entities by their translated names
and that none is unavailable. Screenshots of every step go to .develop/browser-check/.
Run through scripts/browser-check, which installs Chromium and playwright first.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

from playwright.async_api import (
    BrowserContext,
    Page,
    TimeoutError as PlaywrightTimeoutError,
    async_playwright,
)

from custom_components.kraken_energy.const import Provider

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / ".develop" / "browser-check"
ENGLISH = json.loads(
    (ROOT / "custom_components/kraken_energy/translations/en.json").read_text("utf-8")
)
# The integration's name as the "Add integration" list shows it.
NAME = json.loads((ROOT / "custom_components/kraken_energy/manifest.json").read_text("utf-8"))[
    "name"
]
CHROMIUM = "/usr/bin/chromium"
# Chromium on a CI machine: no sandbox as root, no GPU, nothing that calls home.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# scripts/develop.py's demo login.
USERNAME = "demo"
PASSWORD = "kraken-demo"
# One device of each provider, by its registry identifier: the simulator's scenarios
# (simulator/kraken GB household's car, simulator/easee's first charger, simulator/enode's car).
DEVICES = {
    "kraken-smartflex-car": "smartflex_6f1c2f50-0001-4e6a-9a55-000000000001",
    "kraken-heat-pump": "smartflex_6f1c2f50-0004-4e6a-9a55-000000000004",
    "kraken-import-meter": "electricity_2000012345678",
    "easee-charger": "easee_EH100001",
    "enode-car": "enode_sim-vehicle-1",
}
# What a broken translation looks like on screen.
RAW_KEY = re.compile(r"component\.kraken_energy\.|\[%key:|kraken_energy::")
STEP_TIMEOUT_MS = 30_000


@dataclass
class Walk:
    """What the walk found wrong, and where its pictures are."""

    page: Page
    problems: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    def fail(self, where: str, problem: str) -> None:
        """Note a problem, and say it at once."""
        self.problems.append(f"{where}: {problem}")
        say(f"FAIL {where}: {problem}")

    async def shot(self, name: str) -> None:
        """A screenshot of the page as it is now, numbered in the walk's order."""
        path = SHOTS / f"{len(self.shots) + 1:02d}-{name}.png"
        await self.page.screenshot(path=path)
        self.shots.append(path)


def say(text: str) -> None:
    """One line of progress on stdout, flushed (CI shows it as it happens)."""
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def _lookup(tree: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def develop_running(log: Path) -> AsyncIterator[str]:
    """scripts/develop on free ports until the block ends; yields Home Assistant's address."""
    port, simulator_port = free_port(), free_port()
    with log.open("w") as output:
        process = await asyncio.create_subprocess_exec(
            ROOT / "scripts" / "develop",
            "--port",
            str(port),
            "--simulator-port",
            str(simulator_port),
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # The first start installs the web frontend and Home Assistant's own packages.
        deadline = time.monotonic() + 900
        while "Press Ctrl-C to stop." not in await asyncio.to_thread(
            log.read_text, errors="replace"
        ):
            if process.returncode is not None:
                raise RuntimeError(f"scripts/develop stopped (exit {process.returncode}); {log}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant did not come up; see {log}")
            await asyncio.sleep(1)
        yield f"http://127.0.0.1:{port}"
    finally:
        # develop.py stops Home Assistant and the simulator on SIGTERM; the group is ours.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=60)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()


async def log_in(walk: Walk, base: str) -> None:
    """The login page, as a person fills it in."""
    page = walk.page
    await page.goto(base)
    await page.get_by_role("textbox", name="Username").fill(USERNAME)
    await page.get_by_role("textbox", name="Password").fill(PASSWORD)
    await walk.shot("login")
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(re.compile(r"^(?!.*/auth/).*$"))
    # The UI is ready once its hass object has states.
    await page.wait_for_function(
        "() => document.querySelector('home-assistant')?.hass?.states &&"
        " Object.keys(document.querySelector('home-assistant').hass.states).length > 0"
    )


async def check_raw_keys(walk: Walk, where: str) -> None:
    """Fail when the page shows a translation key instead of its text."""
    raw = walk.page.get_by_text(RAW_KEY)
    if (count := await raw.count()) > 0:
        walk.fail(where, f"{count} untranslated text(s), e.g. {await raw.first.inner_text()!r}")


async def add_integration(walk: Walk, base: str) -> None:
    """Settings > Devices & services > Add integration > "Kraken" > the menu > Easee's form."""
    page = walk.page
    await page.goto(f"{base}/config/integrations/dashboard")
    icon = page.locator('img[src*="/api/brands/integration/kraken_energy/"]').first
    try:
        await icon.wait_for(timeout=STEP_TIMEOUT_MS)
        if await icon.evaluate("img => img.complete && img.naturalWidth") == 0:
            walk.fail("integrations", "the Kraken Energy brand icon does not load")
    except TimeoutError:
        walk.fail("integrations", "no Kraken Energy brand icon on the integrations page")
    await walk.shot("integrations")

    await page.get_by_role("button", name="Add integration").click()
    # Found by the supplier's brand, not only by "Kraken" (beside Home Assistant's own Kraken).
    # Home Assistant's search weighs where in the name a word stands: "Easee" and "Enode",
    # further along the name, are not found (README says so).
    for brand in ("Octopus",):
        await page.get_by_placeholder("Search for a brand name").fill(brand)
        listed = page.locator("ha-integration-list-item").get_by_text(NAME, exact=True)
        try:
            await listed.wait_for(timeout=10_000)
        except PlaywrightTimeoutError:
            walk.fail("add integration", f"searching {brand!r} does not find {NAME!r}")
            await walk.shot(f"search-{brand.lower()}")
    await page.get_by_placeholder("Search for a brand name").fill("Kraken")
    await walk.shot("add-integration-search")
    await page.locator("ha-integration-list-item").get_by_text(NAME, exact=True).click()

    # The options are the providers the code knows; each must show its English label.
    menu = ENGLISH["config"]["step"]["user"]
    await page.get_by_text(menu["title"], exact=True).wait_for()
    dialog = page.locator("step-flow-menu")
    for provider in Provider:
        label = menu.get("menu_options", {}).get(provider.value)
        if label is None:
            walk.fail("provider menu", f"option {provider.value!r} has no English label")
        elif await dialog.get_by_text(label, exact=True).count() == 0:
            walk.fail("provider menu", f"option {provider.value!r} does not show {label!r}")
        if await dialog.get_by_text(provider.value, exact=True).count():
            walk.fail("provider menu", f"option {provider.value!r} shows its raw key")
    await check_raw_keys(walk, "provider menu")
    await walk.shot("provider-menu")

    await page.get_by_text(menu["menu_options"]["easee"], exact=True).click()
    form = ENGLISH["config"]["step"]["easee"]
    await page.get_by_text(form["title"], exact=True).wait_for()
    # Every field the form shows, with the label above it: text slotted into the input
    # component (whose shadow DOM leaves the input's accessible name empty); "*" marks a
    # required field. A field without a translation shows its key.
    fields = page.locator("step-flow-form input[name]")
    # The title renders before ha-form has loaded its selectors; on a slow machine the
    # inputs follow a few seconds later.
    try:
        await fields.first.wait_for(timeout=30_000)
    except PlaywrightTimeoutError:
        walk.fail("Easee form", "the form shows no fields")
    for index in range(await fields.count()):
        field_input = fields.nth(index)
        key = await field_input.get_attribute("name") or ""
        shown = await field_input.evaluate("e => (e.getRootNode().host?.textContent ?? '').trim()")
        expected = form.get("data", {}).get(key)
        if expected is None or shown.rstrip("*").strip() != expected:
            walk.fail("Easee form", f"field {key!r} is labelled {shown!r}, not {expected!r}")
    await check_raw_keys(walk, "Easee form")
    await walk.shot("easee-form")
    await page.keyboard.press("Escape")


def _names_match(shown: str, expected: str | None) -> bool:
    """Whether a shown name is the English text, its {placeholders} filled with anything."""
    if expected is None:
        return False
    parts = re.split(r"\{[a-z_]+\}", expected)
    pattern = ".+".join(re.escape(part) for part in parts)
    return re.fullmatch(pattern, shown) is not None and "{" not in shown


async def _shows(page: Page, text: str) -> bool:
    """Whether the page shows this exact text within a few seconds (rows render lazily)."""
    try:
        await page.get_by_text(text, exact=True).first.wait_for(timeout=10_000)
    except PlaywrightTimeoutError:
        return False
    return True


async def registry(page: Page) -> dict[str, Any]:
    """The device and entity registries and the states, as the UI's own connection has them."""
    result: dict[str, Any] = await page.evaluate(
        """async () => {
            const hass = document.querySelector('home-assistant').hass;
            return {
                devices: await hass.callWS({type: 'config/device_registry/list'}),
                entities: await hass.callWS({type: 'config/entity_registry/list'}),
                states: hass.states,
            };
        }"""
    )
    return result


def _entities_of(known: dict[str, Any], identifier: str) -> list[dict[str, Any]]:
    """The enabled, visible entities of the device with this identifier."""
    ids = {
        device["id"]
        for device in known["devices"]
        if ["kraken_energy", identifier] in device["identifiers"]
    }
    return [
        entity
        for entity in known["entities"]
        if entity["device_id"] in ids and not entity["disabled_by"] and not entity["hidden_by"]
    ]


async def check_device_page(walk: Walk, base: str, name: str, identifier: str) -> None:
    """One device page: its entities under their translated names, none unavailable."""
    page = walk.page
    # The registries outlive a restart of scripts/develop: a device can be listed before its
    # entry has set up its entities again, so wait (a minute at most) for them to appear.
    for _attempt in range(30):
        known = await registry(page)
        if _entities_of(known, identifier):
            break
        await page.wait_for_timeout(2000)
    # The one with entities: a device of an entry scripts/develop replaced may linger until
    # Home Assistant's registry cleanup runs.
    with_entities = {entity["device_id"] for entity in _entities_of(known, identifier)}
    device = next(
        (
            device
            for device in sorted(
                known["devices"], key=lambda device: device["id"] not in with_entities
            )
            if ["kraken_energy", identifier] in device["identifiers"]
        ),
        None,
    )
    if device is None:
        walk.fail(name, f"no device {identifier} in the registry")
        return
    device_name = device["name_by_user"] or device["name"]
    entities = [
        entity
        for entity in known["entities"]
        if entity["device_id"] == device["id"]
        and not entity["disabled_by"]
        and not entity["hidden_by"]
    ]
    if not entities:
        walk.fail(name, f"{device_name} has no entities")
    # An entity whose first poll is still under way counts as unavailable for a moment.
    for _attempt in range(15):
        if all(
            known["states"].get(entity["entity_id"], {}).get("state") not in (None, "unavailable")
            for entity in entities
        ):
            break
        await page.wait_for_timeout(2000)
        known = await registry(page)
    await page.goto(f"{base}/config/devices/device/{device['id']}")
    await page.get_by_text(device_name, exact=True).first.wait_for()
    # Entity rows render as their states arrive.
    await page.wait_for_timeout(2000)
    for entity in entities:
        state = known["states"].get(entity["entity_id"])
        if state is None or state["state"] == "unavailable":
            walk.fail(name, f"{entity['entity_id']} is unavailable")
            continue
        friendly = str(state["attributes"].get("friendly_name", ""))
        shown = friendly.removeprefix(device_name).strip()
        # The code names an entity by its translation key; without an English text for it,
        # Home Assistant falls back to the device's name alone.
        key = entity.get("translation_key")
        platform = entity["entity_id"].split(".")[0]
        expected = _lookup(ENGLISH, "entity", platform, key or "", "name") if key else None
        if key and expected is None:
            walk.fail(name, f"{entity['entity_id']}: no English name for {platform}.{key}")
        elif key and not _names_match(shown, expected):
            walk.fail(name, f"{entity['entity_id']} is named {shown!r}, not {expected!r}")
        elif shown and not await _shows(page, shown):
            walk.fail(name, f"{entity['entity_id']} ({shown!r}) is not on the device page")
    unavailable = await page.get_by_text("Unavailable", exact=True).count()
    if unavailable:
        walk.fail(name, f"the page shows 'Unavailable' {unavailable} time(s)")
    # A state without its translation shows as the raw snake_case value ("awaiting_start").
    raw_states = page.get_by_text(re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$"))
    if count := await raw_states.count():
        example = await raw_states.first.inner_text()
        walk.fail(name, f"{count} untranslated state(s), e.g. {example!r}")
    await check_raw_keys(walk, name)
    await walk.shot(name)
    say(f"{name}: {device_name}, {len(entities)} entities checked")


async def report_repairs(walk: Walk) -> None:
    """The repairs Settings shows: the integration's own must each have an English text."""
    issues = await walk.page.evaluate(
        """async () => (await document.querySelector('home-assistant').hass.callWS(
            {type: 'repairs/list_issues'})).issues"""
    )
    for issue in issues:
        if issue.get("dismissed_version"):
            continue
        say(f"repair: {issue['domain']} {issue['translation_key']} ({issue['severity']})")
        if issue["domain"] == "kraken_energy" and (
            _lookup(ENGLISH, "issues", issue["translation_key"], "title") is None
        ):
            walk.fail("repairs", f"{issue['translation_key']} has no English title")


async def walk_through(context: BrowserContext, base: str) -> Walk:
    """Every step; a step that cannot go on is a problem, and the walk goes on to the next."""
    page = context.pages[0] if context.pages else await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    walk = Walk(page)
    await log_in(walk, base)
    steps: list[tuple[str, Any]] = [("add integration", add_integration(walk, base))]
    steps += [
        (name, check_device_page(walk, base, name, identifier))
        for name, identifier in DEVICES.items()
    ]
    steps.append(("repairs", report_repairs(walk)))
    for name, step in steps:
        try:
            await step
        except Exception as err:  # noqa: BLE001 - a step that breaks is what we report
            walk.fail(name, f"the step broke: {type(err).__name__}: {str(err).splitlines()[0]}")
            with contextlib.suppress(Exception):
                await walk.shot(f"broken-{name.replace(' ', '-')}")
    return walk


async def main_async(base_url: str | None) -> int:
    """Start what is needed, walk, and say what was found; 1 when anything is broken."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    started = time.monotonic()
    async with contextlib.AsyncExitStack() as stack:
        base = base_url
        if base is None:
            base = await stack.enter_async_context(develop_running(SHOTS / "develop.log"))
        say(f"browser-check: Home Assistant up in {time.monotonic() - started:.0f} s")
        playwright = await stack.enter_async_context(async_playwright())
        profile = stack.enter_context(tempfile.TemporaryDirectory(prefix="browser-check-"))
        context = await playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 2400},
            locale="en-GB",
        )
        stack.push_async_callback(context.close)
        walk = await walk_through(context, base)
    for path in walk.shots:
        say(f"screenshot: {path.relative_to(ROOT)}")
    say(
        f"browser-check: {len(walk.problems)} problem(s), {len(walk.shots)} screenshots,"
        f" {time.monotonic() - started:.0f} s"
    )
    return 1 if walk.problems else 0


def main() -> int:
    """The command line: scripts/browser-check [--base-url URL]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base-url", help="use a Home Assistant already running (scripts/develop) at this URL"
    )
    args = parser.parse_args()
    return asyncio.run(main_async(args.base_url))


if __name__ == "__main__":
    sys.exit(main())
