"""Tests of the cloud simulator."""
