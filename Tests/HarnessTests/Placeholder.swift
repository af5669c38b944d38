// Tests for HarnessTests.
