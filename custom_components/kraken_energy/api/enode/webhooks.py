"""Enode webhooks: subscriptions, their deliveries and the signature that proves them.

Enode POSTs a JSON array of up to 100 events to a subscription's HTTPS URL and signs the raw
body: `x-enode-signature: sha1=<hex HMAC-SHA1 of the body keyed with the subscription's
secret>` (developers.enode.com/docs/webhooks; the OpenAPI document describes the events,
not the envelope). A delivery not answered 2xx within 5 seconds is retried, up to 16 times
over 26 hours, after which the subscription turns inactive; updating it or a successful test
delivery makes it active again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any, Final

from .exceptions import EnodeError
from .models import EnodeDevice, VendorType
from .parsers import (
    as_dict,
    as_str,
    opt_bool,
    opt_datetime,
    opt_enum,
    opt_number,
    opt_str,
    parse_battery,
    parse_charger,
    parse_hvac,
    parse_inverter,
    parse_meter,
    parse_vehicle,
    required_list,
)

_LOGGER = logging.getLogger(__name__)

SIGNATURE_HEADER: Final = "x-enode-signature"
DELIVERY_HEADER: Final = "x-enode-delivery"
HEARTBEAT_EVENT: Final = "system:heartbeat"
TEST_EVENT: Final = "enode:webhook:test"

# What a subscription for one household's devices asks for: every device kind's discovered,
# updated and deleted events (heartbeats come unasked).
DEVICE_EVENTS: Final[tuple[str, ...]] = tuple(
    f"user:{kind.value}:{change}"
    for kind in VendorType
    for change in ("discovered", "updated", "deleted")
)

_PARSERS: dict[VendorType, Callable[[Any, str], EnodeDevice]] = {
    VendorType.VEHICLE: parse_vehicle,
    VendorType.CHARGER: parse_charger,
    VendorType.HVAC: parse_hvac,
    VendorType.BATTERY: parse_battery,
    VendorType.INVERTER: parse_inverter,
    VendorType.METER: parse_meter,
}
_CHANGES = frozenset({"discovered", "updated", "deleted"})


def new_webhook_secret() -> str:
    """A secret for a new subscription: 256 random bits as hex (Enode asks for at least 128)."""
    return secrets.token_hex(32)


def signature(secret: str, body: bytes) -> str:
    """The `x-enode-signature` value Enode sends with `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    return f"sha1={digest}"


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Whether a delivery's signature header is the body's, signed with `secret`.

    Compared in constant time, as bytes (a forged header may hold any character).
    """
    if not header or not secret:
        return False
    return hmac.compare_digest(signature(secret, body).encode(), header.strip().encode())


@dataclass(frozen=True, slots=True, kw_only=True)
class Webhook:
    """A `WebhookResponse`: one subscription of the client account."""

    id: str
    url: str
    events: tuple[str, ...]
    is_active: bool
    last_success: datetime | None
    created_at: datetime | None
    api_version: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookTestResult:
    """`TestFirehoseWebhook`: whether a test delivery reached the subscription's URL."""

    delivered: bool
    description: str
    response_code: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkedVendor:
    """One vendor account a user linked, and the kind of device it brings."""

    vendor: str
    vendor_type: VendorType | None
    is_valid: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEvent:
    """One event of a delivery.

    For a device event (`user:<kind>:discovered|updated|deleted`) `kind`, `change` and
    `device` say what happened to which device; other events carry only their name.
    """

    event: str
    created_at: datetime | None
    user_id: str | None
    kind: VendorType | None = None
    change: str | None = None
    device: EnodeDevice | None = None


class EnodeDeliveryError(EnodeError):
    """A delivery whose body is not a JSON array of events."""


def parse_webhook(value: Any, path: str = "webhook") -> Webhook:
    """A `WebhookResponse`."""
    data = as_dict(value, path)
    events = data.get("events")
    return Webhook(
        id=as_str(data.get("id"), f"{path}.id"),
        url=as_str(data.get("url"), f"{path}.url"),
        events=tuple(str(item) for item in events) if isinstance(events, list) else (),
        is_active=bool(opt_bool(data.get("isActive"), f"{path}.isActive")),
        last_success=opt_datetime(data.get("lastSuccess"), f"{path}.lastSuccess"),
        created_at=opt_datetime(data.get("createdAt"), f"{path}.createdAt"),
        api_version=opt_str(data.get("apiVersion"), f"{path}.apiVersion"),
    )


def parse_webhook_test(value: Any, path: str = "testWebhook") -> WebhookTestResult:
    """A `TestFirehoseWebhook`."""
    data = as_dict(value, path)
    response = data.get("response")
    code = (
        opt_number(response.get("code"), f"{path}.response.code")
        if isinstance(response, dict)
        else None
    )
    return WebhookTestResult(
        delivered=data.get("status") == "SUCCESS",
        description=opt_str(data.get("description"), f"{path}.description") or "",
        response_code=int(code) if code is not None else None,
    )


def parse_linked_vendors(value: Any, path: str = "user") -> tuple[LinkedVendor, ...]:
    """The `linkedVendors` of a `UserResponse`."""
    data = as_dict(value, path)
    vendors: list[LinkedVendor] = []
    for index, item in enumerate(required_list(data.get("linkedVendors"), f"{path}.linkedVendors")):
        where = f"{path}.linkedVendors[{index}]"
        entry = as_dict(item, where)
        vendors.append(
            LinkedVendor(
                vendor=as_str(entry.get("vendor"), f"{where}.vendor"),
                vendor_type=opt_enum(VendorType, entry.get("vendorType"), f"{where}.vendorType"),
                is_valid=opt_bool(entry.get("isValid"), f"{where}.isValid") is not False,
            )
        )
    return tuple(vendors)


def _event(value: Any, path: str) -> WebhookEvent:
    data = as_dict(value, path)
    name = as_str(data.get("event"), f"{path}.event")
    user = data.get("user")
    user_id = opt_str(user.get("id"), f"{path}.user.id") if isinstance(user, dict) else None
    created_at = opt_datetime(data.get("createdAt"), f"{path}.createdAt")
    scope, _, rest = name.partition(":")
    kind_name, _, change = rest.partition(":")
    kind = next((kind for kind in VendorType if kind.value == kind_name), None)
    if scope != "user" or kind is None or change not in _CHANGES:
        return WebhookEvent(event=name, created_at=created_at, user_id=user_id)
    device = _PARSERS[kind](data.get(kind.value), f"{path}.{kind.value}")
    return WebhookEvent(
        event=name,
        created_at=created_at,
        user_id=user_id,
        kind=kind,
        change=change,
        device=device,
    )


def parse_delivery(body: bytes) -> tuple[WebhookEvent, ...]:
    """The events of a delivery (a JSON array; a lone object is read as one event).

    An event that does not parse is skipped (and logged at debug) so the others still count;
    a body that is not JSON at all raises EnodeDeliveryError.
    """
    try:
        data = json.loads(body)
    except ValueError, RecursionError:
        raise EnodeDeliveryError("an Enode delivery that is not JSON") from None
    items = data if isinstance(data, list) else [data]
    events: list[WebhookEvent] = []
    for index, item in enumerate(items):
        try:
            events.append(_event(item, f"delivery[{index}]"))
        except EnodeError as err:
            _LOGGER.debug("Skipped an Enode event that does not parse: %s", err)
    return tuple(events)
