// Tests for KernelsTests.
