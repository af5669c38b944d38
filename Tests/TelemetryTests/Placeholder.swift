// Tests for TelemetryTests.
