"""The config flow's input checks: API addresses and pasted values, by example and fuzzed."""

from __future__ import annotations

from ipaddress import ip_address

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from yarl import URL

from custom_components.kraken_energy.flow import clean_input, url_problem

OWN = {("homeassistant.local", 8123), ("localhost", 8123), ("127.0.0.1", 8123)}
ERRORS = {"invalid_url", "insecure_url", "url_has_credentials", "url_not_allowed"}


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("https://api.octopus.energy/v1/graphql/", None),
        ("https://kraken.example.com:8443/graphql", None),
        # Plain http only to this machine (a local stand-in such as the simulator).
        ("http://127.0.0.1:8765/v1/graphql/", None),
        ("http://localhost:8765/enode", None),
        ("http://[::1]:8765/", None),
        ("http://api.example.com/graphql", "insecure_url"),
        ("http://192.168.1.20/graphql", "insecure_url"),
        # Credentials in the address would be sent along with every request.
        ("https://user:secret@api.example.com/", "url_has_credentials"),
        ("https://user@api.example.com/", "url_has_credentials"),
        # Cloud metadata services and other addresses no API lives at.
        ("https://169.254.169.254/latest/meta-data/", "url_not_allowed"),
        ("https://[fe80::1]/", "url_not_allowed"),
        ("https://0.0.0.0/", "url_not_allowed"),
        ("https://224.0.0.1/", "url_not_allowed"),
        # Home Assistant itself.
        ("https://homeassistant.local:8123/api/", "url_not_allowed"),
        ("http://127.0.0.1:8123/", "url_not_allowed"),
        # Not an address at all.
        ("", "invalid_url"),
        ("not a url", "invalid_url"),
        ("ftp://api.example.com/", "invalid_url"),
        ("https://", "invalid_url"),
        ("http://127.0.0.1:99999/", "invalid_url"),
        ("/v1/graphql/", "invalid_url"),
    ],
)
def test_api_addresses(address: str, problem: str | None) -> None:
    assert url_problem(address, OWN) == problem


@given(st.text(max_size=120))
@settings(max_examples=300, deadline=None)
def test_any_text_gets_an_answer_not_an_exception(text: str) -> None:
    assert url_problem(text, OWN) in ERRORS | {None}


_HOSTS = st.one_of(
    st.sampled_from(
        [
            "api.example.com",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "169.254.169.254",
            "[fe80::1]",
            "0.0.0.0",  # noqa: S104 - an address the check must refuse
            "homeassistant.local",
            "10.0.0.5",
        ]
    ),
    st.from_regex(r"[a-z][a-z0-9-]{0,15}(\.[a-z]{2,6}){0,2}", fullmatch=True),
    st.ip_addresses(v=4).map(str),
)


@given(
    scheme=st.sampled_from(["http", "https", "ftp", "HTTPS", ""]),
    userinfo=st.sampled_from(["", "user@", "user:pass@", ":@"]),
    host=_HOSTS,
    port=st.one_of(st.none(), st.integers(min_value=-5, max_value=70000)),
    path=st.text(max_size=20),
)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_accepted_address_is_safe_to_send_credentials_to(
    scheme: str, userinfo: str, host: str, port: int | None, path: str
) -> None:
    address = f"{scheme}://{userinfo}{host}{'' if port is None else f':{port}'}/{path}"
    if url_problem(address, OWN) is not None:
        return
    url = URL(address)
    assert (
        url.scheme == "https"
        or (url.scheme == "http" and url.host in ("localhost", "127.0.0.1", "::1"))
        or ip_address(url.host or "").is_loopback
    )
    assert url.user is None
    assert url.password is None
    assert (url.host, url.port) not in OWN
    try:
        address_of_host = ip_address(url.host or "")
    except ValueError:
        return
    assert not address_of_host.is_link_local
    assert not address_of_host.is_unspecified


def test_pasted_values_lose_their_whitespace_but_passwords_do_not() -> None:
    cleaned = clean_input(
        {
            "api_key": " sk_live_abc\n",
            "email": "\tme@example.com ",
            "client_id": " id ",
            "password": " spaces count ",
            "sites": [1, 2],
        }
    )
    assert cleaned == {
        "api_key": "sk_live_abc",
        "email": "me@example.com",
        "client_id": "id",
        "password": " spaces count ",
        "sites": [1, 2],
    }
