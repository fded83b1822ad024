"""Token issuing and authentication like the real Kraken API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory

from simulator.app import RunningSimulator
from simulator.kraken.scenario import (
    DE_ACCOUNT,
    DE_API_KEY,
    DE_EMAIL,
    EMPTY_API_KEY,
    GB_ACCOUNT,
    GB_EMAIL,
    PASSWORD,
)

from .conftest import OBTAIN, Client, error_code
from .kraken_documents import ACCOUNT, VIEWER_ACCOUNTS


def _account_vars(number: str = GB_ACCOUNT) -> dict[str, object]:
    return {"accountNumber": number, "includeRates": False}


async def test_token_by_api_key(client: Client) -> None:
    now = int(datetime.now(UTC).timestamp())
    result = await client.token()
    payload = result["payload"]
    assert isinstance(result["token"], str)
    assert len(result["token"]) > 20
    assert payload["tokenUse"] == "access"
    assert payload["sub"]
    assert abs(payload["iat"] - now) <= 2
    assert payload["exp"] - payload["iat"] == 3600
    assert abs(result["refreshExpiresIn"] - (now + 7 * 86400)) <= 2
    reply = await client.post(VIEWER_ACCOUNTS, token=result["token"])
    numbers = [account["number"] for account in reply.body["data"]["viewer"]["accounts"]]
    assert numbers == ["A-GB000001", "A-GB000002"]


async def test_token_by_email_password_and_jwt_prefix(client: Client) -> None:
    result = await client.token(email=DE_EMAIL, password=PASSWORD)
    reply = await client.post(VIEWER_ACCOUNTS, token=f"JWT {result['token']}")
    assert reply.body == {
        "data": {
            "viewer": {
                "accounts": [
                    {"number": DE_ACCOUNT, "brand": "OCTOPUS_ENERGY_GERMANY", "status": "ACTIVE"}
                ]
            }
        }
    }


async def test_token_by_refresh_token(client: Client) -> None:
    first = await client.token(APIKey=DE_API_KEY)
    second = await client.token(refreshToken=first["refreshToken"])
    assert second["token"] != first["token"]
    assert second["refreshExpiresIn"] == first["refreshExpiresIn"]
    assert client.sim.state.kraken.refresh_grants == 1
    reply = await client.post(VIEWER_ACCOUNTS, token=second["token"])
    assert reply.body["data"]["viewer"]["accounts"][0]["number"] == DE_ACCOUNT


async def test_token_lifetime_is_configurable(client: Client, sim: RunningSimulator) -> None:
    sim.state.kraken.token_lifetime = timedelta(minutes=5)
    payload = (await client.token())["payload"]
    assert payload["exp"] - payload["iat"] == 300


async def _obtain(client: Client, **credentials: str) -> tuple[str, object]:
    reply = await client.post(OBTAIN, {"input": credentials}, "ObtainKrakenToken")
    assert reply.status == 200
    assert reply.body["data"] == {"obtainKrakenToken": None}
    assert reply.body["errors"][0]["message"] == "Invalid data."
    assert reply.body["errors"][0]["path"] == ["obtainKrakenToken"]
    return error_code(reply), reply.body["errors"][0]["extensions"]["errorType"]


async def test_bad_credentials(client: Client, sim: RunningSimulator) -> None:
    assert await _obtain(client, APIKey="sk_live_wrong") == ("KT-CT-1135", "VALIDATION")
    assert (await _obtain(client, email=GB_EMAIL, password="wrong"))[0] == "KT-CT-1135"
    assert (await _obtain(client, email="nobody@example.com", password=PASSWORD))[0] == (
        "KT-CT-1135"
    )
    assert (await _obtain(client))[0] == "KT-CT-1135"
    assert (await _obtain(client, refreshToken="garbage"))[0] == "KT-CT-1134"
    refresh = (await client.token())["refreshToken"]
    sim.state.kraken.revoke_refresh_tokens()
    assert (await _obtain(client, refreshToken=refresh))[0] == "KT-CT-1134"


async def test_expired_refresh_token(client: Client, freezer: FrozenDateTimeFactory) -> None:
    refresh = (await client.token())["refreshToken"]
    freezer.tick(timedelta(days=7, seconds=1))
    assert (await _obtain(client, refreshToken=refresh))[0] == "KT-CT-1134"


async def test_missing_and_garbage_authorization(client: Client) -> None:
    reply = await client.post(VIEWER_ACCOUNTS)
    assert reply.status == 200
    assert reply.body["data"] == {"viewer": None}
    error = reply.body["errors"][0]
    assert error["message"] == "'Authorization' header not provided."
    assert error["path"] == ["viewer"]
    assert error["extensions"]["errorCode"] == "KT-CT-1112"
    assert error["extensions"]["errorType"] == "AUTHORIZATION"
    reply = await client.post(ACCOUNT, _account_vars(), token="garbage")
    assert error_code(reply) == "KT-CT-1111"
    assert reply.body["errors"][0]["message"] == "Unauthorized."
    assert reply.body["data"] == {"account": None}


async def test_expired_token(client: Client, freezer: FrozenDateTimeFactory) -> None:
    result = await client.token()
    reply = await client.post(ACCOUNT, _account_vars(), token=result["token"])
    assert reply.body["data"]["account"]["number"] == GB_ACCOUNT
    freezer.move_to(datetime.fromtimestamp(result["payload"]["exp"], UTC) + timedelta(seconds=1))
    reply = await client.post(ACCOUNT, _account_vars(), token=result["token"])
    assert error_code(reply) == "KT-CT-1124"
    assert reply.body["errors"][0]["message"] == "Signature of the JWT has expired."
    assert reply.body["errors"][0]["extensions"]["errorType"] == "AUTHORIZATION"
    assert reply.body["data"] == {"account": None}


async def test_expire_access_tokens_now(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token())["token"]
    sim.state.kraken.expire_access_tokens()
    reply = await client.post(VIEWER_ACCOUNTS, token=token)
    assert error_code(reply) == "KT-CT-1124"
    async with client.session.post(sim.base_url + "/_simulator/kraken/expire-tokens") as response:
        assert response.status == 200


async def test_account_of_another_user_is_unauthorized(client: Client) -> None:
    token = (await client.token())["token"]
    for number in (DE_ACCOUNT, "A-NOPE0000"):
        reply = await client.post(ACCOUNT, _account_vars(number), token=token)
        assert reply.status == 200
        assert reply.body["data"] == {"account": None}
        assert error_code(reply) == "KT-CT-4123"
        assert reply.body["errors"][0]["message"] == "Unauthorized."


async def test_user_without_accounts(client: Client) -> None:
    token = (await client.token(APIKey=EMPTY_API_KEY))["token"]
    reply = await client.post(VIEWER_ACCOUNTS, token=token)
    assert reply.body == {"data": {"viewer": {"accounts": []}}}


async def test_rotate_api_key(client: Client, sim: RunningSimulator) -> None:
    token = (await client.token(APIKey=DE_API_KEY))["token"]
    new_key = sim.state.kraken.rotate_api_key(DE_API_KEY)
    assert (await _obtain(client, APIKey=DE_API_KEY))[0] == "KT-CT-1135"
    assert (await client.token(APIKey=new_key))["token"]
    # Tokens issued before stay valid.
    reply = await client.post(VIEWER_ACCOUNTS, token=token)
    assert reply.body["data"]["viewer"]["accounts"][0]["number"] == DE_ACCOUNT


async def test_revoke_credentials(client: Client, sim: RunningSimulator) -> None:
    issued = await client.token()
    sim.state.kraken.revoke_credentials(GB_ACCOUNT)
    assert (await _obtain(client))[0] == "KT-CT-1135"
    assert (await _obtain(client, email=GB_EMAIL, password=PASSWORD))[0] == "KT-CT-1135"
    assert (await _obtain(client, refreshToken=issued["refreshToken"]))[0] == "KT-CT-1134"
    assert error_code(await client.post(VIEWER_ACCOUNTS, token=issued["token"])) == "KT-CT-1111"
    # Other users are unaffected.
    assert (await client.token(APIKey=DE_API_KEY))["token"]
