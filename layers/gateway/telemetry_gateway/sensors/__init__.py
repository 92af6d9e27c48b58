"""Sensor API domain: signatures, replay window, client registry, heartbeats, picks, inactivity sweep."""
