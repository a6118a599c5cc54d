"""Touchstone's platform-neutral core: types, registry, dispatcher, configuration, entry point."""
