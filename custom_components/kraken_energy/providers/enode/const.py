"""Constants of Enode entries: entry data, cadences, identifiers."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

CONF_CLIENT_ID: Final = "client_id"
CONF_CLIENT_SECRET: Final = "client_secret"
CONF_ENODE_ENVIRONMENT: Final = "environment"
CONF_ENODE_API_URL: Final = "api_url"
CONF_ENODE_TOKEN_URL: Final = "token_url"
CONF_ENODE_USER_ID: Final = "user_id"
# A stand-in's own API and token addresses instead of one of Enode's environments.
ENVIRONMENT_CUSTOM: Final = "custom"

# Enode devices: the lists of the kinds the user has every two minutes (Enode itself refreshes
# vendor data every few minutes); every kind, to find new devices, every 30.
ENODE_UPDATE_INTERVAL: Final = timedelta(minutes=2)
ENODE_RESCAN_INTERVAL: Final = timedelta(minutes=30)
# How long a control waits for the device to confirm it; a slower one is left pending and the
# next poll shows its effect.
ENODE_ACTION_TIMEOUT: Final = 15.0

ENODE_PREFIX: Final = "enode_"
