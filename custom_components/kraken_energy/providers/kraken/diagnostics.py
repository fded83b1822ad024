"""Diagnostics of a Kraken account: the account, its SmartFlex devices, how polling stands."""

from __future__ import annotations

from typing import Any

from ...redaction import entry_diagnostics, jsonable, polling_state, redact
from .coordinator import KrakenConfigEntry


def account_diagnostics(entry: KrakenConfigEntry) -> dict[str, Any]:
    """The parsed account (rates counted, not listed) and devices, redacted."""
    coordinator = entry.runtime_data.account
    account = jsonable(coordinator.data)
    for point in account["meter_points"]:
        for agreement in point["agreements"]:
            tariff = agreement["tariff"]
            if tariff and tariff["unit_rates"] is not None:
                # The count says enough; the periods themselves are public prices.
                tariff["unit_rates"] = f"{len(tariff['unit_rates'])} periods"
    devices = entry.runtime_data.devices.data
    smartflex = jsonable(devices) if devices is not None else None
    heat_pump = entry.runtime_data.heat_pump
    return {
        "entry": entry_diagnostics(entry),
        "coordinator": {
            **polling_state(coordinator, entry.runtime_data.client.request_count),
            # The entry's one timer is the device poll; it carries the account when due.
            "update_interval": str(entry.runtime_data.devices.update_interval),
            "account_interval": str(coordinator.interval),
            "bands": jsonable(coordinator.bands),
        },
        "account": redact(account),
        "smartflex": redact(smartflex),
        "devices_last_update_success": entry.runtime_data.devices.last_update_success,
        "heat_pump": heat_pump.diagnostics() if heat_pump is not None else None,
    }
