"""Run the simulator from a shell: `python -m simulator --host 127.0.0.1 --port 8765`.

`--kraken-dialect` picks the shape of the GB Kraken endpoint (seed, gb-2026, gb-2024); the
German instance always speaks de-2026.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .app import start_simulator
from .easee import scenario as easee
from .enode import state as enode
from .kraken import scenario
from .kraken.dialects import DEFAULT_DIALECT, GB_DIALECTS
from .state import SimulatorState


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="time speed-up for simulated device state (reserved; the Kraken scenario "
        "follows the wall clock)",
    )
    parser.add_argument(
        "--kraken-dialect",
        choices=GB_DIALECTS,
        default=DEFAULT_DIALECT,
        help=f"shape of the GB Kraken endpoint (default {DEFAULT_DIALECT})",
    )
    return parser.parse_args()


async def _serve(host: str, port: int, speed: float, kraken_dialect: str) -> None:
    running = await start_simulator(SimulatorState(), host, port, kraken_dialect=kraken_dialect)
    print(f"Simulator listening on {running.base_url} (speed x{speed:g})", flush=True)  # noqa: T201
    print(f"  Kraken GraphQL: {running.kraken_url} (dialect {kraken_dialect})", flush=True)  # noqa: T201
    print(  # noqa: T201
        f"  Kraken GraphQL, German instance: {running.kraken_de_url} (dialect de-2026;"
        f" accounts {scenario.DE_ACCOUNT}, {scenario.DE_DYNAMIC_ACCOUNT})",
        flush=True,
    )
    print("  Kraken users (API key / email / password):", flush=True)  # noqa: T201
    for api_key, email in (
        (scenario.GB_API_KEY, scenario.GB_EMAIL),
        (scenario.DE_API_KEY, scenario.DE_EMAIL),
        (scenario.EMPTY_API_KEY, None),
    ):
        login = f"{email} / {scenario.PASSWORD}" if email else "(no login, no accounts)"
        print(f"    {api_key:<26} {login}", flush=True)  # noqa: T201
    print(f"  Easee API: {running.easee_url}", flush=True)  # noqa: T201
    print(f"    user {easee.EASEE_USERNAME} / {easee.EASEE_PASSWORD}", flush=True)  # noqa: T201
    print(f"  Enode API: {running.enode_url} (token: {running.enode_token_url})", flush=True)  # noqa: T201
    print(  # noqa: T201
        f"    client {enode.ENODE_CLIENT_ID} / {enode.ENODE_CLIENT_SECRET},"
        f" user {enode.ENODE_USER_ID}",
        flush=True,
    )
    print(f"  Control: {running.base_url}/_simulator/faults, /_simulator/requests", flush=True)  # noqa: T201
    try:
        await asyncio.Event().wait()
    finally:
        await running.close()


def main() -> None:
    """Serve until interrupted."""
    args = _parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.speed, args.kraken_dialect))


if __name__ == "__main__":
    main()
