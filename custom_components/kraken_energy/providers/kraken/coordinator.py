"""Kraken supplier accounts: the entry's runtime data and one coordinator per cadence."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY, CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from ...api.kraken import (
    ApiKeyCredential,
    Capabilities,
    Credential,
    KrakenApiError,
    KrakenAuthError,
    KrakenClient,
    KrakenConnectionError,
    KrakenError,
    KrakenRateLimitError,
    KrakenSchemaError,
    PasswordCredential,
)
from ...api.kraken.models import (
    Account,
    MeterPoint,
    RatePeriod,
    SmartFlexData,
    Tariff,
    TariffKind,
)
from ...api.kraken.telemetry import TelemetryQuery
from ...const import CONF_ENDPOINT, DOMAIN
from ...coordinator import PollingCoordinator
from ...errors import ErrorTable
from .const import (
    ACCOUNT_DUE_SLACK,
    ACCOUNT_UPDATE_INTERVAL,
    AUTH_PASSWORD,
    CONF_AUTH_METHOD,
    CONF_NIGHT_END,
    CONF_NIGHT_START,
    CONF_OFF_PEAK_END,
    CONF_OFF_PEAK_START,
    DEVICES_UPDATE_INTERVAL,
    RATES_LOW_WATER,
    RATES_PUBLISHED_HOUR,
)
from .live_meter import LiveMeters, account_meters, meters_with_data
from .rates import BandSchedule, day_bounds, next_change

if TYPE_CHECKING:
    from .heat_pump import KrakenHeatPumpCoordinator

type KrakenConfigEntry = ConfigEntry[KrakenRuntimeData]

# Why Kraken refused a device command -> the translation key that explains it.
REFUSAL_TRANSLATION_KEYS = {
    "BC_DEVICE_NOT_YET_LIVE": "refused_not_live",
    "BC_DEVICE_RETIRED": "refused_retired",
    "BC_DEVICE_SUSPENDED": "refused_suspended",
    "BC_DEVICE_DISCONNECTED": "refused_disconnected",
    "BC_DEVICE_NOT_AT_HOME": "refused_not_at_home",
    "BC_BOOST_CHARGE_IN_PROGRESS": "refused_boosting",
}


def _refusal(err: Exception) -> HomeAssistantError | None:
    """Why Kraken refused a command: a reason it names, else its own message."""
    if not isinstance(err, KrakenApiError):
        return None
    key = next(
        (REFUSAL_TRANSLATION_KEYS[r] for r in err.reasons if r in REFUSAL_TRANSLATION_KEYS), None
    )
    if key is not None:
        return HomeAssistantError(translation_domain=DOMAIN, translation_key=key)
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="command_refused",
        translation_placeholders={"reason": err.api_message},
    )


KRAKEN_ERRORS = ErrorTable(
    service="Kraken",
    base=KrakenError,
    auth=KrakenAuthError,
    rate_limit=KrakenRateLimitError,
    connection=KrakenConnectionError,
    refusal=_refusal,
)


def _credential(data: Mapping[str, Any]) -> Credential:
    """The credential a config entry (or a flow's input) holds."""
    if data.get(CONF_AUTH_METHOD) == AUTH_PASSWORD:
        return PasswordCredential(data[CONF_EMAIL], data[CONF_PASSWORD])
    return ApiKeyCredential(data[CONF_API_KEY])


def kraken_client(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    *,
    capabilities: Capabilities | None = None,
    on_schema_learnt: Callable[[Capabilities], None] | None = None,
) -> KrakenClient:
    """A client for an entry's (or a flow's) endpoint and credential."""
    return KrakenClient(
        async_get_clientsession(hass),
        data[CONF_ENDPOINT],
        _credential(data),
        capabilities=capabilities,
        on_schema_learnt=on_schema_learnt,
    )


def schema_issue_id(entry_id: str) -> str:
    """The repair issue saying an entry's Kraken API lacks fields it needs."""
    return f"{entry_id}_supplier_lacks_fields"


class KrakenRuntimeData:
    """What a loaded Kraken entry holds."""

    def __init__(
        self,
        client: KrakenClient,
        account: KrakenAccountCoordinator,
        devices: KrakenDevicesCoordinator,
        account_device_id: str,
    ) -> None:
        self.client = client
        self.account = account
        self.devices = devices
        # The registry id of the account device, which meter points and smart devices hang from.
        self.account_device_id = account_device_id
        # Heat pump controllers, where the supplier serves them (set up after the rest).
        self.heat_pump: KrakenHeatPumpCoordinator | None = None


def band_schedule_from_options(options: dict[str, object]) -> BandSchedule:
    """The household's register times, from the entry options ("HH:MM:SS" strings)."""
    defaults = BandSchedule()
    values: dict[str, time] = {}
    for key, default in (
        (CONF_NIGHT_START, defaults.night_start),
        (CONF_NIGHT_END, defaults.night_end),
        (CONF_OFF_PEAK_START, defaults.off_peak_start),
        (CONF_OFF_PEAK_END, defaults.off_peak_end),
    ):
        raw = options.get(key)
        parsed = dt_util.parse_time(raw) if isinstance(raw, str) else None
        values[key] = parsed or default
    return BandSchedule(**values)


class KrakenCoordinator[DataT](PollingCoordinator[DataT]):
    """A slice of one Kraken account."""

    config_entry: KrakenConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        name: str,
        interval: timedelta,
        account_number: str,
    ) -> None:
        # Named by the entry id, so logs do not carry the account number.
        super().__init__(
            hass, entry, name=f"{name} {entry.entry_id}", interval=interval, errors=KRAKEN_ERRORS
        )
        self.client = client
        self.account_number = account_number


class KrakenAccountCoordinator(KrakenCoordinator[Account]):
    """Account, balance, meter points and agreements, with half-hourly rates when due.

    It keeps no timer of its own: the device poll (`KrakenDevicesCoordinator`) carries it in
    the same request once it is due, every ACCOUNT_UPDATE_INTERVAL (its `interval`, the
    cadence its data arrives at). Its own refresh runs at setup and when asked for, and then
    carries the devices. Half-hourly rates are asked for only when none are held for an
    agreement, when the held ones run out soon, or in the afternoon until tomorrow's appear;
    between those requests the held rates are merged back into the parsed account.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        account_number: str,
        currency: str,
        supplier_name: str,
        devices: KrakenDevicesCoordinator,
    ) -> None:
        super().__init__(
            hass,
            entry,
            client,
            name="account",
            interval=ACCOUNT_UPDATE_INTERVAL,
            account_number=account_number,
        )
        self.devices = devices
        devices.account = self
        self.currency = currency
        self.supplier_name = supplier_name
        self.bands = band_schedule_from_options(dict(entry.options))
        self._rates: dict[tuple[str, str], tuple[RatePeriod, ...]] = {}
        self._fetched_at: datetime | None = None
        self._carrier_failed = False

    async def _fetch(self) -> Account:
        account, smartflex = await self.fetch_with_devices(self.devices.dispatch_devices())
        self.devices.async_take(smartflex)
        # From here on the device poll carries the account.
        self.update_interval = None
        return account

    def is_due(self, now: datetime) -> bool:
        """Whether the next request should carry the account (a poll early counts as due)."""
        return (
            self._fetched_at is None or now - self._fetched_at >= self.interval - ACCOUNT_DUE_SLACK
        )

    async def fetch_with_devices(
        self, asked: tuple[str, ...]
    ) -> tuple[Account, SmartFlexData | None]:
        """The account, and its SmartFlex data where the API has it, in one request.

        `asked`: the devices whose planned dispatches to ask for. Rates ride along when due.
        """
        now = dt_util.utcnow()
        include_rates = self._rates_due(now)
        try:
            account, smartflex = await self._fetch_account(include_rates, asked)
        except KrakenSchemaError as err:
            # Asking again will not help: say what the supplier's API lacks, once.
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                schema_issue_id(self.config_entry.entry_id),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="supplier_lacks_fields",
                translation_placeholders={
                    "supplier": self.supplier_name,
                    "fields": ", ".join(err.missing),
                },
            )
            raise
        ir.async_delete_issue(self.hass, DOMAIN, schema_issue_id(self.config_entry.entry_id))
        if not include_rates and self._rates_missing(account, now):
            # A new agreement: fetch its rates now rather than at the next cycle.
            include_rates = True
            account, smartflex = await self._fetch_account(True, asked)
        self._fetched_at = now
        return self._merge_rates(account, now, fresh=include_rates), smartflex

    async def _fetch_account(
        self, include_rates: bool, asked: tuple[str, ...]
    ) -> tuple[Account, SmartFlexData | None]:
        await self.client.ensure_schema()
        if not self.client.has_smartflex():
            account = await self.client.fetch_account(
                self.account_number, currency=self.currency, include_rates=include_rates
            )
            return account, None
        meters = self.devices.meters_query(self.data, every_meter=True)
        account, smartflex = await self.client.fetch_account_with_devices(
            self.account_number,
            currency=self.currency,
            include_rates=include_rates,
            dispatch_devices=asked,
            meters=meters,
        )
        return account, await self.devices.with_new_devices_dispatches(
            smartflex, asked, account, meters
        )

    @callback
    def async_set_carrier_failed(self, err: Exception) -> None:
        """The device poll that carried the account failed: its entities say so too.

        Home Assistant's log has the failure once, from the device poll.
        """
        self.last_exception = err
        self._carrier_failed = True
        # The account's own data is recent enough for its own (longer) cycle: it stands until
        # it is too old, like any failed read.
        if not self._keep_while_fresh(self._carrier_went_stale):
            self._carrier_went_stale(dt_util.utcnow())

    @callback
    def _carrier_went_stale(self, _now: datetime) -> None:
        """The account's data grew too old while its carrier failed; the devices' poll said so."""
        self._unsub_stale = None
        if self.last_update_success:
            self.last_update_success = False
            self.async_update_listeners()

    @callback
    def async_set_updated_data(self, data: Account) -> None:
        """Take the account a device poll carried; it sets no timer of its own."""
        self.update_interval = None
        if self._carrier_failed:
            # The device poll logs the recovery, as it logged the failure.
            self._carrier_failed = False
            self.last_update_success = True
        super().async_set_updated_data(data)

    def _next_change(self, data: Account, now: datetime) -> datetime | None:
        tariffs = [
            agreement.tariff
            for point in data.meter_points
            if (agreement := point.agreement_at(now)) and agreement.tariff
        ]
        return next_change(tariffs, now, dt_util.get_default_time_zone(), self.bands)

    def _half_hourly_agreements(
        self, account: Account, now: datetime
    ) -> list[tuple[MeterPoint, Tariff]]:
        found = []
        for point in account.meter_points:
            agreement = point.agreement_at(now)
            if agreement and agreement.tariff and agreement.tariff.kind is TariffKind.HALF_HOURLY:
                found.append((point, agreement.tariff))
        return found

    def _rates_due(self, now: datetime) -> bool:
        if self.data is None or not self._rates:
            # Nothing known yet: the first request asks for everything.
            return self.data is None
        zone = dt_util.get_default_time_zone()
        _, today_end = day_bounds(now, zone)
        tomorrow_end = today_end + timedelta(days=1)
        after_publication = now.astimezone(zone).hour >= RATES_PUBLISHED_HOUR
        for periods in self._rates.values():
            held_until = periods[-1].end if periods else now
            if held_until - now < RATES_LOW_WATER:
                return True
            if after_publication and held_until < tomorrow_end:
                return True
        return False

    def _rates_missing(self, account: Account, now: datetime) -> bool:
        return any(
            (point.identifier, tariff.tariff_code) not in self._rates
            for point, tariff in self._half_hourly_agreements(account, now)
        )

    def _merge_rates(self, account: Account, now: datetime, *, fresh: bool) -> Account:
        """Keep fetched rates, and put held ones back into agreements fetched without them."""
        keep_from = day_bounds(now, dt_util.get_default_time_zone())[0] - timedelta(days=1)
        rates: dict[tuple[str, str], tuple[RatePeriod, ...]] = {}
        points = []
        for point in account.meter_points:
            agreements = []
            for agreement in point.agreements:
                tariff = agreement.tariff
                if tariff is None or tariff.kind is not TariffKind.HALF_HOURLY:
                    agreements.append(agreement)
                    continue
                key = (point.identifier, tariff.tariff_code)
                # Rates parsed now are current (a dynamic German tariff always carries them).
                periods = tariff.unit_rates if fresh or tariff.unit_rates else None
                if periods is None:
                    periods = self._rates.get(key, ())
                periods = tuple(period for period in periods if period.end > keep_from)
                rates[key] = periods
                agreements.append(replace(agreement, tariff=replace(tariff, unit_rates=periods)))
            points.append(replace(point, agreements=tuple(agreements)))
        self._rates = rates
        return replace(account, meter_points=tuple(points))


class KrakenDevicesCoordinator(KrakenCoordinator[SmartFlexData]):
    """SmartFlex devices and dispatches, and the entry's one timer.

    Polls every DEVICES_UPDATE_INTERVAL while the account has live devices, else at the
    account's cadence; a poll carries the account too when it is due (one request), so no
    cycle sends two requests and the account adds none of its own.
    """

    account: KrakenAccountCoordinator
    """The account it carries (set by the account coordinator)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: KrakenConfigEntry,
        client: KrakenClient,
        *,
        account_number: str,
    ) -> None:
        super().__init__(
            hass,
            entry,
            client,
            name="devices",
            interval=DEVICES_UPDATE_INTERVAL,
            account_number=account_number,
        )
        self.live_meters = LiveMeters()

    async def _async_update_data(self) -> SmartFlexData:
        try:
            return await super()._async_update_data()
        except (UpdateFailed, ConfigEntryAuthFailed) as err:
            if self.account.is_due(dt_util.utcnow()):
                self.account.async_set_carrier_failed(err)
            raise

    async def _fetch(self) -> SmartFlexData:
        asked = self.dispatch_devices()
        data: SmartFlexData | None = None
        if self.account.is_due(dt_util.utcnow()):
            account, data = await self.account.fetch_with_devices(asked)
            self.account.async_set_updated_data(account)
        elif self.client.has_smartflex():
            meters = self.meters_query(self.account.data, every_meter=False)
            data = await self.client.fetch_smartflex(self.account_number, asked, meters)
            data = await self.with_new_devices_dispatches(
                data, asked, self.account.data, meters, carrying=False
            )
        data = self._with_kept_meters(data)
        self._follow_devices(data)
        if data is None:
            # The supplier's API lists no devices (any more): keep what was known.
            known: SmartFlexData | None = self.data
            return known if known is not None else _NO_DEVICES
        return data

    def dispatch_devices(self) -> tuple[str, ...]:
        """The devices whose planned dispatches to ask for: live vehicles and charge points.

        Kraken plans per device since 2025 (one root field each, in the same request).
        """
        data: SmartFlexData | None = self.data
        if data is None:
            return ()
        return _dispatch_devices(data)

    async def with_new_devices_dispatches(
        self,
        data: SmartFlexData,
        asked: tuple[str, ...],
        account: Account | None,
        meters: TelemetryQuery | None = None,
        *,
        carrying: bool = True,
    ) -> SmartFlexData:
        """The data, asked again at once when it lists a device new since the last answer.

        So a new device's planned dispatches do not wait a cycle; nor, when the request
        `carrying` the account lists a smart meter not asked about, does a Home Mini's data.
        """
        wanted = _dispatch_devices(data) if data.per_device else asked
        new_devices = not set(wanted) <= set(asked)
        asked_meters = set(meters.device_ids) if meters else set()
        new_meters = (
            carrying
            and self.client.has_meter_telemetry()
            and not set(account_meters(account)) <= asked_meters
        )
        if not new_devices and not new_meters:
            return data
        return await self.client.fetch_smartflex(
            self.account_number,
            wanted,
            self.meters_query(account, every_meter=new_meters),
        )

    def meters_query(self, account: Account | None, *, every_meter: bool) -> TelemetryQuery | None:
        """The smart meters whose live data to ask for: see `live_meter`."""
        if not self.client.has_meter_telemetry():
            return None
        day = day_bounds(dt_util.utcnow(), dt_util.get_default_time_zone())
        return self.live_meters.query(account, self.data, day, every_meter=every_meter)

    def _with_kept_meters(self, data: SmartFlexData | None) -> SmartFlexData | None:
        """Live meter data with the last values where a part failed or was not asked."""
        if data is None:
            return None
        return self.live_meters.merge(self.data, data, self.account.data, dt_util.utcnow())

    def meter_fresh(self, device_id: str) -> bool:
        """Whether a meter's live data stands (as data does: until STALE_AFTER_CYCLES old)."""
        return self.live_meters.fresh(device_id, dt_util.utcnow(), self.stale_after)

    @callback
    def async_take(self, data: SmartFlexData | None) -> None:
        """Take what the account's own refresh fetched (None: the API has no SmartFlex)."""
        data = self._with_kept_meters(data)
        self._follow_devices(data)
        known: SmartFlexData | None = self.data
        if data is not None:
            self.async_set_updated_data(data)
        elif known is None:
            # Not a listing: devices known from before are not judged gone on this.
            DataUpdateCoordinator.async_set_updated_data(self, _NO_DEVICES)

    def _follow_devices(self, data: SmartFlexData | None) -> None:
        """Every few minutes while there are live devices or live meter data, else less often.

        Without either, each poll comes at the account's cadence and carries the account and
        the check for new devices.
        """
        active = data is not None and (bool(data.live_devices) or bool(meters_with_data(data)))
        self.interval = DEVICES_UPDATE_INTERVAL if active else ACCOUNT_UPDATE_INTERVAL
        self.update_interval = self.interval

    def _next_change(self, data: SmartFlexData, now: datetime) -> datetime | None:
        edges = [
            edge
            for dispatch in data.planned_dispatches
            for edge in (dispatch.start, dispatch.end)
            if edge > now
        ]
        return min(edges, default=None)


_NO_DEVICES = SmartFlexData(devices=(), planned_dispatches=(), completed_dispatches=())


def _dispatch_devices(data: SmartFlexData) -> tuple[str, ...]:
    return tuple(
        device_id for device_id, device in data.live_devices.items() if device.charges_vehicles
    )
