// Tests for EdgeprobeTests.
