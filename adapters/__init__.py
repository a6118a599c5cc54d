"""Adapters: one per chat platform. Platform SDKs are imported here and only here."""
