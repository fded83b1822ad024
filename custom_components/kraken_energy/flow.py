"""What every provider's config-flow steps share: cleaned input, safe addresses, form errors."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from ipaddress import ip_address
import logging
from typing import Any

from homeassistant.config_entries import ConfigFlow
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
import probatio
from yarl import URL

from .errors import ErrorTable

_LOGGER = logging.getLogger(__name__)


class ProviderFlow(ConfigFlow):
    """The base of each provider's steps; the integration's flow combines them.

    Not a flow of its own (it names no domain): `config_flow.py` makes the one flow.
    """

    def __init__(self) -> None:
        super().__init__()
        self._data: dict[str, Any] = {}
        """What the steps so far gathered (or the entry's data, on reauth and reconfigure)."""

    def _url_problem(self, value: str) -> str | None:
        """Why an API address the user typed cannot be used (a form error key), or None."""
        return url_problem(value, _own_addresses(self.hass))


async def try_sign_in[T](
    attempt: Awaitable[T], errors: ErrorTable, *, refused: str
) -> tuple[dict[str, str], T | None]:
    """What signing in returned, or the form's error for why it failed (and None)."""
    try:
        return {}, await attempt
    except Exception as err:  # noqa: BLE001 - every failure is said on the form
        return {"base": form_error(err, errors, refused=refused)}, None


def secret_schema(key: str) -> probatio.Schema:
    """A form of one masked field: the password or secret to enter again."""
    return probatio.Schema(
        {probatio.Required(key): TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))}
    )


def form_error(err: Exception, errors: ErrorTable, *, refused: str) -> str:
    """The form error key for what signing in raised; anything unexpected is logged.

    `refused` is the provider's own key for refused credentials, so the form names the
    service that refused them (a supplier, Easee or Enode) and what was refused.
    """
    if isinstance(err, errors.auth):
        return refused
    if isinstance(err, errors.connection):
        return "cannot_connect"
    _LOGGER.error("Unexpected error signing in to the %s API", errors.service, exc_info=err)
    return "unknown"


def clean_input(user_input: dict[str, Any]) -> dict[str, Any]:
    """The form's values with the whitespace of pasting taken off (passwords kept as typed)."""
    return {
        key: value.strip() if isinstance(value, str) and key != CONF_PASSWORD else value
        for key, value in user_input.items()
    }


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(value: str, own_addresses: Iterable[tuple[str, int]] = ()) -> str | None:
    """Why an API address cannot be used (a form error key), or None when it can.

    The integration posts credentials there, so: a full https:// address (plain http only
    to this machine's loopback, for a local stand-in), no user name or password inside it,
    and never a link-local or unspecified address (cloud metadata services live there) nor
    Home Assistant's own address.
    """
    try:
        url = URL(value)
        host = url.host
        port = url.port
    except ValueError, TypeError:
        return "invalid_url"
    if url.scheme not in ("http", "https") or not host or not url.is_absolute():
        return "invalid_url"
    if url.user is not None or url.password is not None:
        return "url_has_credentials"
    loopback = _is_loopback(host)
    if url.scheme == "http" and not loopback:
        return "insecure_url"
    try:
        address = ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None and (
        address.is_link_local or address.is_unspecified or address.is_multicast
    ):
        return "url_not_allowed"
    if (host.lower(), port) in {
        (own_host.lower(), own_port) for own_host, own_port in own_addresses
    }:
        return "url_not_allowed"
    return None


def _own_addresses(hass: HomeAssistant) -> set[tuple[str, int]]:
    """The (host, port) pairs under which this Home Assistant answers."""
    # Home Assistant keeps both as absolute http(s) addresses (its settings validate them).
    own = {
        ((parsed := URL(url)).host or "", parsed.port or 0)
        for url in (hass.config.internal_url, hass.config.external_url)
        if url
    }
    # HTTP is up before any flow starts: the integration depends on webhook, which needs it.
    port = hass.http.server_port
    own |= {(host, port) for host in ("localhost", "127.0.0.1", "::1", "[::1]")}
    return own
