"""The benchmarks share the test suite's fixtures (simulator, entries)."""

from tests.conftest import *
