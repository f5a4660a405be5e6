"""Phonebank: the caller app (Flet), its shared core, device store and sync client."""
