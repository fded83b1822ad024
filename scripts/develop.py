"""Run Home Assistant with Kraken Energy configured against the local simulator.

Prepares a config directory under .develop/ (a user, finished onboarding, the integration's
config entry pointing at the simulator), starts the simulator and Home Assistant, signs in
once to leave a long-lived access token in .develop/token, and prints how to log in.
The config entries: the GB supplier account, the Easee household and the Enode household
(one simulator, one port).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
from pathlib import Path
import secrets
import signal
import subprocess
import sys
import time
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DEVELOP = ROOT / ".develop"
CONFIG = DEVELOP / "config"
USERNAME = "demo"
PASSWORD = "kraken-demo"
CLIENT_ID = "http://localhost:8123/"
# Where the simulator serves each API under its base URL, and its Easee household
# (simulator/kraken/routes.py GRAPHQL_PATH, simulator/easee/scenario.py).
KRAKEN_PATH = "/v1/graphql/"
# simulator/kraken/routes.py: the German instance, its own schema and shapes.
KRAKEN_DE_PATH = "/de/v1/graphql/"
# simulator/kraken/routes.py: the stand-in for Octopus's backend API (heat pump controllers).
KRAKEN_BACKEND_PATH = "/backend/v1/graphql/"
DE_EMAIL = "de@example.com"
DE_PASSWORD = "simulator"
DE_ACCOUNT = "A-DE000001"
EASEE_USERNAME = "easee@example.com"
EASEE_PASSWORD = "simulator"
EASEE_SITE_ID = 150001
# simulator/enode/state.py and routes.py: the Enode API under /enode, its token endpoint.
ENODE_PATH = "/enode"
ENODE_TOKEN_PATH = "/enode/oauth2/token"
ENODE_CLIENT_ID = "sim-enode-client"
ENODE_CLIENT_SECRET = "sim-enode-secret-0f3a9c"
ENODE_USER_ID = "sim-household"

CONFIGURATION_YAML = """\
homeassistant:
  name: Kraken Energy demo
  time_zone: Europe/London
  country: GB
  currency: GBP
  unit_system: metric
  latitude: 51.5
  longitude: -0.12
  elevation: 10

# The panels a household uses (Overview, Energy, History, Logbook, Settings) without
# default_config's discovery integrations (Bluetooth, zeroconf, USB), which need the host's
# hardware and would only fail here.
frontend:
config:
energy:
history:
logbook:
recorder:
search:
system_health:

logger:
  default: warning
  logs:
    custom_components.kraken_energy: debug
    # Home Assistant probes for an ffmpeg binary and libturbojpeg (camera snapshots) that a
    # development machine need not have.
    haffmpeg: critical
    homeassistant.components.camera.img_util: critical
"""


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def _storage(key: str, version: int, data: dict[str, Any], minor: int = 1) -> dict[str, Any]:
    return {"version": version, "minor_version": minor, "key": key, "data": data}


def _config_entry(*, title: str, unique_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A stored config entry of the integration."""
    now = "2026-01-01T00:00:00+00:00"
    return {
        "entry_id": secrets.token_hex(13),
        "version": 1,
        "minor_version": 1,
        "domain": "kraken_energy",
        "title": title,
        "data": data,
        "options": {},
        "pref_disable_new_entities": False,
        "pref_disable_polling": False,
        "source": "user",
        "unique_id": unique_id,
        "disabled_by": None,
        "discovery_keys": {},
        "subentries": [],
        "created_at": now,
        "modified_at": now,
    }


def prepare_config(ha_port: int, simulator_base: str) -> None:
    """Create or refresh the demo config directory (entries point at `simulator_base`)."""
    CONFIG.mkdir(parents=True, exist_ok=True)
    custom = CONFIG / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / "kraken_energy"
    if not link.exists():
        link.symlink_to(ROOT / "custom_components" / "kraken_energy")
    (CONFIG / "configuration.yaml").write_text(CONFIGURATION_YAML)

    storage = CONFIG / ".storage"
    if not (storage / "auth_provider.homeassistant").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "homeassistant",
                "--script",
                "auth",
                "-c",
                str(CONFIG),
                "add",
                USERNAME,
                PASSWORD,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # Home Assistant keeps its HTTP settings in storage (YAML for them is deprecated): the first
    # start takes the port from SETUP_PORT (see main), later ones from the store, kept in step here.
    http_store = storage / "http"
    if http_store.exists():
        stored = json.loads(http_store.read_text())
        if stored["data"].get("stable"):
            stored["data"]["stable"]["server_port"] = ha_port
            http_store.write_text(json.dumps(stored, indent=2))
    _write_json(
        storage / "onboarding",
        _storage("onboarding", 4, {"done": ["user", "core_config", "analytics", "integration"]}),
    )

    entries_path = storage / "core.config_entries"
    entries: list[dict[str, Any]] = []
    if entries_path.exists():
        entries = json.loads(entries_path.read_text())["data"]["entries"]
    entries = [entry for entry in entries if entry.get("domain") != "kraken_energy"]
    entries.append(
        _config_entry(
            title="Octopus Energy …0001",  # what the flow names A-GB000001
            unique_id="A-GB000001",
            data={
                "supplier": "octopus_energy_gb",
                "endpoint": simulator_base + KRAKEN_PATH,
                "heat_pump_endpoint": simulator_base + KRAKEN_BACKEND_PATH,
                "currency": "GBP",
                "auth_method": "api_key",
                "api_key": "sk_live_gb_simulator",
                "account_number": "A-GB000001",
            },
        )
    )
    # The simulator's German household on the German instance (Intelligent Octopus Go).
    entries.append(
        _config_entry(
            title=f"Octopus Energy Germany …{DE_ACCOUNT[-4:]}",
            unique_id=DE_ACCOUNT,
            data={
                "supplier": "octopus_energy_germany",
                "endpoint": simulator_base + KRAKEN_DE_PATH,
                "currency": "EUR",
                "auth_method": "password",
                "email": DE_EMAIL,
                "password": DE_PASSWORD,
                "account_number": DE_ACCOUNT,
            },
        )
    )
    # The simulator's Easee household: one site with two chargers, on the same port (the
    # Easee paths start with /api/, so the endpoint is the simulator's base URL).
    entries.append(
        _config_entry(
            title="Easee",
            unique_id=f"easee_{EASEE_USERNAME}",
            data={
                "provider": "easee",
                "username": EASEE_USERNAME,
                "password": EASEE_PASSWORD,
                "endpoint": simulator_base,
                "sites": [EASEE_SITE_ID],
            },
        )
    )
    # The simulator's Enode household: one device of every kind.
    entries.append(
        _config_entry(
            title=f"Enode {ENODE_USER_ID}",
            unique_id=f"enode_{ENODE_CLIENT_ID}_{ENODE_USER_ID}",
            data={
                "provider": "enode",
                "client_id": ENODE_CLIENT_ID,
                "client_secret": ENODE_CLIENT_SECRET,
                "environment": "custom",
                "api_url": simulator_base + ENODE_PATH,
                "token_url": simulator_base + ENODE_TOKEN_PATH,
                "user_id": ENODE_USER_ID,
            },
        )
    )
    _write_json(entries_path, _storage("core.config_entries", 1, {"entries": entries}, minor=5))
    configure_energy_dashboard(storage)


# --- the Energy dashboard ---------------------------------------------------------------------

# The GB account's meter points (simulator/kraken/scenario.py): their consumption and cost
# statistics, imported by the integration (providers/kraken/statistics.py statistic_ids).
GB_IMPORT = "kraken_energy:electricity_2000012345678"
GB_EXPORT = "kraken_energy:electricity_2000098765432"
GB_GAS = "kraken_energy:gas_1234567890"


def energy_preferences() -> dict[str, Any]:
    """The GB account's grid, gas and heat pump, as the Energy dashboard shows them.

    Grid import and export and gas each with its cost, from the imported statistics; the heat
    pump's lifetime energy input as a device's consumption. In the energy preferences' current
    form (storage version 1.3: one flat grid source per connection).
    """
    grid = {
        "type": "grid",
        "stat_energy_from": f"{GB_IMPORT}_consumption",
        "stat_cost": f"{GB_IMPORT}_cost",
        "entity_energy_price": None,
        "number_energy_price": None,
        "stat_energy_to": f"{GB_EXPORT}_export",
        "stat_compensation": f"{GB_EXPORT}_compensation",
        "entity_energy_price_export": None,
        "number_energy_price_export": None,
        "cost_adjustment_day": 0.0,
    }
    gas = {
        "type": "gas",
        "stat_energy_from": f"{GB_GAS}_consumption",
        "stat_cost": f"{GB_GAS}_cost",
        "entity_energy_price": None,
        "number_energy_price": None,
    }
    # The heat pump's own counter (the GB account's SmartFlex heat pump, named by its device).
    heat_pump = {"stat_consumption": "sensor.heat_pump_lifetime_energy_input"}
    return {
        "energy_sources": [grid, gas],
        "device_consumption": [heat_pump],
        "device_consumption_water": [],
    }


def configure_energy_dashboard(storage: Path) -> None:
    """The Energy page shows the GB account's bill once the first import has run."""
    _write_json(storage / "energy", _storage("energy", 1, energy_preferences(), minor=3))


async def _wait_for_frontend(base: str, deadline: float) -> None:
    """Wait until the web frontend answers (an unauthenticated page: no failed-login notice)."""
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base}/manifest.json") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(1)
    raise TimeoutError(f"{base} did not come up")


async def _wait_for_running(base: str, token: str, deadline: float) -> None:
    """Wait until Home Assistant has set up everything (signed in, as the UI would be)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base}/api/config") as response:
                    if response.status == 200 and (await response.json())["state"] == "RUNNING":
                        return
            await asyncio.sleep(1)
    raise TimeoutError(f"{base} did not finish starting")


async def create_token(base: str) -> str:
    """Sign in as the demo user and create a long-lived access token."""
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{base}/auth/login_flow",
            json={
                "client_id": CLIENT_ID,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{CLIENT_ID}?auth_callback=1",
            },
        ) as response:
            flow = await response.json()
        async with session.post(
            f"{base}/auth/login_flow/{flow['flow_id']}",
            json={"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD},
        ) as response:
            result = await response.json()
        async with session.post(
            f"{base}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": result["result"],
                "client_id": CLIENT_ID,
            },
        ) as response:
            access = (await response.json())["access_token"]
        async with session.ws_connect(f"{base}/api/websocket") as socket:
            await socket.receive_json()
            await socket.send_json({"type": "auth", "access_token": access})
            await socket.receive_json()
            await socket.send_json(
                {
                    "id": 1,
                    "type": "auth/long_lived_access_token",
                    "client_name": f"kraken-energy-develop-{secrets.token_hex(3)}",
                    "lifespan": 365,
                }
            )
            reply = await socket.receive_json()
            return str(reply["result"])


def main() -> int:
    """Start the simulator and Home Assistant; stop both on Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant's port")
    parser.add_argument("--simulator-port", type=int, default=8765)
    parser.add_argument(
        "--kraken-dialect",
        default="gb-2026",
        choices=["gb-2026", "gb-2024", "seed"],
        help="the GB Kraken schema the simulator speaks (the German instance is always 2026)",
    )
    args = parser.parse_args()

    simulator_base = f"http://127.0.0.1:{args.simulator_port}"
    prepare_config(args.port, simulator_base)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    simulator = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            str(args.simulator_port),
            "--kraken-dialect",
            args.kraken_dialect,
        ],
        cwd=ROOT,
        env=env,
    )
    hass = subprocess.Popen(
        [sys.executable, "-m", "homeassistant", "-c", str(CONFIG)],
        cwd=ROOT,
        env={**env, "SETUP_PORT": str(args.port)},
    )

    def stop(*_: object) -> None:
        for process in (hass, simulator):
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    base = f"http://127.0.0.1:{args.port}"
    try:
        # The first start installs the packages of the integrations above (a few minutes).
        deadline = time.monotonic() + 900
        asyncio.run(_wait_for_frontend(base, deadline))
        token = asyncio.run(create_token(base))
        (DEVELOP / "token").write_text(token)
        asyncio.run(_wait_for_running(base, token, deadline))
        print(
            f"\nHome Assistant is up on http://localhost:{args.port}"
            f"\n  log in as {USERNAME!r} with password {PASSWORD!r}"
            f"\n  the simulator serves the Kraken API on {simulator_base}{KRAKEN_PATH}"
            f" ({args.kraken_dialect}), the German instance on {simulator_base}{KRAKEN_DE_PATH}"
            f"\n  the Easee API on {simulator_base} (Easee Home: {EASEE_USERNAME})"
            f"\n  and the Enode API on {simulator_base}{ENODE_PATH} (user {ENODE_USER_ID})"
            f"\n  API token in .develop/token, for example:"
            f'\n    curl -s -H "Authorization: Bearer $(cat .develop/token)" '
            f"http://localhost:{args.port}/api/states | python3 -m json.tool"
            "\nPress Ctrl-C to stop.\n",
            flush=True,
        )
        return hass.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
        for process in (hass, simulator):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
