"""What a device's registry entry shows: makes and models as people read them."""

from __future__ import annotations

# Placeholders services send for a make or model they do not know.
_PLACEHOLDERS = frozenset({"", "unknown", "<unknown>", "n/a", "none", "null"})


def known(text: str | None) -> str | None:
    """The text, or None where it is empty or a placeholder for "unknown"."""
    if text is None or text.strip().lower() in _PLACEHOLDERS:
        return None
    return text.strip()


def make_and_model(make: str | None, model: str | None) -> str | None:
    """A device's name from its make and model, the make said once.

    Models often begin with their make in other case ("Zaptec", "ZAPTEC PRO"): then the
    model alone.
    """
    make, model = known(make), known(model)
    if model is None:
        return make
    if make is None or f"{model.lower()} ".startswith(f"{make.lower()} "):
        return model
    return f"{make} {model}"
