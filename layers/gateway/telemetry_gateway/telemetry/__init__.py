"""Pure domain logic of the Telemetry Client API: parsing, validation, checksums, tokens."""
