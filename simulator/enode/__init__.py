"""Enode REST API simulator: OAuth2 client credentials, a household of devices, actions."""

from .state import (
    ENODE_CLIENT_ID,
    ENODE_CLIENT_SECRET,
    ENODE_USER_ID,
    ActionOutcome,
    EnodeState,
)

__all__ = [
    "ENODE_CLIENT_ID",
    "ENODE_CLIENT_SECRET",
    "ENODE_USER_ID",
    "ActionOutcome",
    "EnodeState",
]
