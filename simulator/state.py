"""The state of the whole simulator: every provider's scenario plus faults and the request log."""

from __future__ import annotations

from dataclasses import dataclass, field

from .easee.state import EaseeState
from .enode.state import EnodeState
from .faults import Faults, RequestLog
from .kraken.state import KrakenState


@dataclass
class SimulatorState:
    """Mutable simulator state shared by the HTTP app and tests."""

    kraken: KrakenState = field(default_factory=KrakenState)
    easee: EaseeState = field(default_factory=EaseeState)
    enode: EnodeState = field(default_factory=EnodeState)
    faults: Faults = field(default_factory=Faults)
    requests: RequestLog = field(default_factory=RequestLog)
