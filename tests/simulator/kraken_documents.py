"""GraphQL documents the simulator tests send: the seed-era documents of the integration.

They are the integration's documents as they were written against the seed schema (before the
client composed its documents per instance), kept here so the simulator's tests do not follow
the client's changes. German documents follow the queries of the German clients quoted in
research kraken_de.md section 2.
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


# --- German instance (kraken_de.md sections 2.2-2.5) ------------------------------------------

DE_VIEWER = """
query Viewer {
  viewer {
    accounts {
      number
      status
      ledgers { balance ledgerType }
    }
  }
}
"""

_DE_GROSS = "grossRateInformation { date grossRate rateValidToDate vatRate }"

DE_UNIT_RATE_INFORMATION = (
    """
      unitRateInformation {
        __typename
        ... on SimpleProductUnitRateInformation {
          """
    + _DE_GROSS
    + """
          latestGrossUnitRateCentsPerKwh
          netUnitRateCentsPerKwh
        }
        ... on TimeOfUseProductUnitRateInformation {
          rates {
            """
    + _DE_GROSS
    + """
            latestGrossUnitRateCentsPerKwh
            netUnitRateCentsPerKwh
            timeslotActivationRules { activeFromTime activeToTime }
            timeslotName
          }
        }
      }
"""
)

_DE_AGREEMENTS = (
    """
    agreements {
      id
      validFrom
      validTo
      isActive
      product { code fullName displayName description isTimeOfUse }
      netMonthlyStandingCharge
      standingChargeGrossRateInformation { date grossRate vatRate rateValidToDate }
"""
    + DE_UNIT_RATE_INFORMATION
    + """
      unitRateForecast {
        validFrom
        validTo
        unitRateInformation {
          __typename
          ... on SimpleProductUnitRateInformation { latestGrossUnitRateCentsPerKwh }
          ... on TimeOfUseProductUnitRateInformation {
            rates { latestGrossUnitRateCentsPerKwh netUnitRateCentsPerKwh timeslotName }
          }
        }
      }
    }
"""
)

_DE_MALO = (
    """
    id
    maloNumber
    meters { id number meterType meloNumber shouldReceiveSmartMeterData hasSmartMeterGateway }
"""
    + _DE_AGREEMENTS
)

DE_ACCOUNT = (
    """
query DeAccount($accountNumber: String!) {
  account(accountNumber: $accountNumber) {
    number
    status
    brand
    balance
    ledgers { balance ledgerType name number }
    billingOptions { currentBillingPeriodStartDate }
    allProperties {
      id
      address
      postcode
      electricityMalos {"""
    + _DE_MALO
    + """      }
      gasMalos {"""
    + _DE_MALO
    + """      }
    }
  }
}
"""
)

DE_DEVICES = """
query DeDevices($accountNumber: String!) {
  devices(accountNumber: $accountNumber) {
    __typename
    id
    name
    deviceType
    provider
    integrationDeviceId
    status {
      current
      currentState
      isSuspended
      ... on SmartFlexVehicleStatus {
        stateOfCharge { value timestamp }
        activePower { value timestamp }
        stateOfChargeLimit { upperSocLimit isLimitViolated }
      }
    }
    preferences {
      ... on SmartFlexDevicePreferences { mode targetType unit schedules { dayOfWeek time max } }
    }
    ... on SmartFlexVehicle { make model vehicleBatterySize chargePointPowerOutput }
  }
  completedDispatches(accountNumber: $accountNumber) { start end delta meta { source location } }
}
"""

FLEX_PLANNED_DISPATCHES = """
query FlexPlannedDispatches($deviceId: String!) {
  flexPlannedDispatches(deviceId: $deviceId) { start end type energyAddedKwh }
}
"""

COMPLETED_DISPATCHES = """
query CompletedDispatches($accountNumber: String!) {
  completedDispatches(accountNumber: $accountNumber) { start end delta meta { source location } }
}
"""
