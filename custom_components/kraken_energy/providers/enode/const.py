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
# vendor data every few minutes); which kinds the user's linked vendors bring, every 30.
ENODE_UPDATE_INTERVAL: Final = timedelta(minutes=2)
ENODE_RESCAN_INTERVAL: Final = timedelta(minutes=30)
# While Enode pushes changes, the lists are a safety net only.
ENODE_PUSH_POLL_INTERVAL: Final = timedelta(minutes=30)
# Pushes count as working while a delivery (a heartbeat at least) came this recently; after
# a longer silence a test delivery is asked for, and failing that the lists take over.
ENODE_PUSH_SILENCE: Final = timedelta(hours=1)
# How often push is checked: a silence tested, a failed subscription tried again.
ENODE_PUSH_CHECK_INTERVAL: Final = timedelta(minutes=30)
CONF_PUSH: Final = "push"
"""Entry data of Enode pushes: Home Assistant's webhook id, Enode's subscription id, its
secret and the URL it delivers to."""
# How long a control waits for the device to confirm it; a slower one is left pending and the
# next poll shows its effect.
ENODE_ACTION_TIMEOUT: Final = 15.0

ENODE_PREFIX: Final = "enode_"
