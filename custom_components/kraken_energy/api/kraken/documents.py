"""GraphQL documents sent to the Kraken API.

Every document takes its inputs as GraphQL variables; nothing is formatted into the text.
Field names follow the Kraken object reference (seed 002).
"""

from __future__ import annotations

OBTAIN_TOKEN = """
mutation ObtainKrakenToken($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) {
    token
    payload
    refreshToken
    refreshExpiresIn
  }
}
"""

VIEWER_ACCOUNTS = """
query ViewerAccounts {
  viewer {
    accounts {
      number
      ... on AccountType {
        brand
        status
      }
    }
  }
}
"""

_TARIFF_COMMON = """
      id
      displayName
      fullName
      productCode
      tariffCode
      isExport
      standingCharge
      preVatStandingCharge
"""

_ELECTRICITY_TARIFF = (
    """
    tariff {
      __typename
      ... on StandardTariff {"""
    + _TARIFF_COMMON
    + """
        unitRate
        preVatUnitRate
      }
      ... on DayNightTariff {"""
    + _TARIFF_COMMON
    + """
        dayRate
        nightRate
        preVatDayRate
        preVatNightRate
      }
      ... on ThreeRateTariff {"""
    + _TARIFF_COMMON
    + """
        dayRate
        nightRate
        offPeakRate
        preVatDayRate
        preVatNightRate
        preVatOffPeakRate
      }
      ... on HalfHourlyTariff {"""
    + _TARIFF_COMMON
    + """
        unitRates @include(if: $includeRates) {
          validFrom
          validTo
          value
          preVatValue
        }
      }
      ... on PrepayTariff {"""
    + _TARIFF_COMMON
    + """
        unitRate
        preVatUnitRate
      }
    }
"""
)

# Account, balance, meter points and agreements in one request; the half-hourly unit rates
# ride along only when the caller says they are due ($includeRates).
ACCOUNT = (
    """
query Account($accountNumber: String!, $includeRates: Boolean!) {
  account(accountNumber: $accountNumber) {
    number
    status
    brand
    balance(includeAllLedgers: true)
    billingOptions {
      nextBillingDate
      currentBillingPeriodStartDate
      currentBillingPeriodEndDate
    }
    properties {
      id
      postcode
      electricityMeterPoints {
        id
        mpan
        meters {
          id
          serialNumber
        }
        agreements {
          id
          validFrom
          validTo
"""
    + _ELECTRICITY_TARIFF
    + """
        }
      }
      gasMeterPoints {
        id
        mprn
        meters {
          id
          serialNumber
        }
        agreements {
          id
          validFrom
          validTo
          tariff {
            __typename"""
    + _TARIFF_COMMON
    + """
            unitRate
            preVatUnitRate
          }
        }
      }
    }
  }
}
"""
)

ALL_DOCUMENTS: dict[str, str] = {
    "ObtainKrakenToken": OBTAIN_TOKEN,
    "ViewerAccounts": VIEWER_ACCOUNTS,
    "Account": ACCOUNT,
}
