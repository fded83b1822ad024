"""What a client's exceptions mean to Home Assistant: one table per provider.

Polls (`coordinator.py`), commands (`entity.py`) and sign-in forms (`flow.py`) read the same
table, so a provider states once which of its client's errors is which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorTable:
    """A client's error classes by what they mean."""

    service: str
    """The service's name, as logs give it ("Kraken", "Easee", "Enode")."""
    base: type[Exception]
    """Every error the client raises."""
    auth: type[Exception]
    """The credentials were refused: the user signs in again."""
    rate_limit: type[Exception]
    """The service asks to be left alone (a `retry_after` in seconds when it says how long)."""
    connection: type[Exception]
    """The service could not be reached or failed on its side."""
    refusal: Callable[[Exception], HomeAssistantError | None]
    """Why the service refused a command, in the user's language; None for other errors."""


def command_error(err: Exception, errors: ErrorTable, target: str) -> HomeAssistantError:
    """A failed command (other than refused credentials) in the user's language.

    The message names the service and what the command was for (`target`, the control's
    name): a refusal's own reason is often generic or missing.
    """
    named = {"service": errors.service, "target": target}
    if not isinstance(err, errors.connection) and (refused := errors.refusal(err)) is not None:
        placeholders = {**(refused.translation_placeholders or {}), **named}
        if refused.translation_key == "command_refused" and not placeholders["reason"].strip():
            return HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_refused_unexplained",
                translation_placeholders=named,
            )
        return type(refused)(
            translation_domain=refused.translation_domain,
            translation_key=refused.translation_key,
            translation_placeholders=placeholders,
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="command_failed",
        translation_placeholders={**named, "error": str(err)},
    )
