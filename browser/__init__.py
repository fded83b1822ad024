"""The headless-browser walkthrough of Home Assistant's UI (scripts/browser-check)."""
