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
_ACCOUNT_SELECTION = (
    """
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
"""
)

ACCOUNT = (
    "\nquery Account($accountNumber: String!, $includeRates: Boolean!) {"
    + _ACCOUNT_SELECTION
    + "}\n"
)

ALL_DOCUMENTS: dict[str, str] = {
    "ObtainKrakenToken": OBTAIN_TOKEN,
    "ViewerAccounts": VIEWER_ACCOUNTS,
    "Account": ACCOUNT,
}

_DISPATCH = """
    start
    end
    delta
    meta {
      source
      location
    }
"""

# SmartFlex devices with their state, preferences and telemetry, and the account's planned
# and completed dispatches: everything the fast cadence needs, in one request.
_SMARTFLEX_SELECTION = (
    """
  devices(accountNumber: $accountNumber) {
    __typename
    id
    name
    deviceType
    provider
    status {
      current
      currentState
      isSuspended
      ... on SmartFlexVehicleStatus {
        stateOfChargeLimit {
          upperSocLimit
          isLimitViolated
        }
      }
      ... on SmartFlexChargePointStatus {
        stateOfChargeLimit {
          upperSocLimit
          isLimitViolated
        }
      }
      ... on SmartFlexHeatPumpStatus {
        activity {
          value
        }
        mode {
          value
        }
        targetTemperature {
          value
        }
        currentTemperatures {
          zone
          value
        }
      }
    }
    preferences {
      ... on SmartFlexDevicePreferences {
        mode
        targetType
        unit
        schedules {
          dayOfWeek
          time
          min
          max
        }
      }
    }
    ... on SmartFlexVehicle {
      make
      model
      vehicleVariant {
        batterySize
      }
    }
    ... on SmartFlexChargePoint {
      make
      model
    }
    ... on SmartFlexBattery {
      make
      model
    }
    ... on SmartFlexHeatPump {
      make
      model
    }
    ... on SmartFlexInverter {
      make
      model
      telemetry {
        battery {
          stateOfCharge
          powerInKw
          connectionStatus
        }
        inverter {
          powerInKw
          connectionStatus
        }
        grid {
          powerInKw
        }
        site {
          consumptionInKw
          exportInKw
        }
        solar {
          powerInKw
        }
      }
    }
  }
  plannedDispatches(accountNumber: $accountNumber) {"""
    + _DISPATCH
    + """  }
  completedDispatches(accountNumber: $accountNumber) {"""
    + _DISPATCH
    + """  }
"""
)

SMARTFLEX = "\nquery SmartFlex($accountNumber: String!) {" + _SMARTFLEX_SELECTION + "}\n"

# Both of the above in one request: the account's cycle carries the devices along.
ACCOUNT_WITH_DEVICES = (
    "\nquery AccountWithDevices($accountNumber: String!, $includeRates: Boolean!) {"
    + _ACCOUNT_SELECTION
    + _SMARTFLEX_SELECTION
    + "}\n"
)

UPDATE_SMART_CONTROL = """
mutation UpdateDeviceSmartControl($input: SmartControlInput!) {
  updateDeviceSmartControl(input: $input) {
    id
  }
}
"""

UPDATE_BOOST_CHARGE = """
mutation UpdateBoostCharge($input: UpdateBoostChargeInput!) {
  updateBoostCharge(input: $input) {
    id
  }
}
"""

SET_DEVICE_PREFERENCES = """
mutation SetDevicePreferences($input: SmartFlexDevicePreferencesInput!) {
  setDevicePreferences(input: $input) {
    id
  }
}
"""

ALL_DOCUMENTS.update(
    {
        "SmartFlex": SMARTFLEX,
        "AccountWithDevices": ACCOUNT_WITH_DEVICES,
        "UpdateDeviceSmartControl": UPDATE_SMART_CONTROL,
        "UpdateBoostCharge": UPDATE_BOOST_CHARGE,
        "SetDevicePreferences": SET_DEVICE_PREFERENCES,
    }
)
