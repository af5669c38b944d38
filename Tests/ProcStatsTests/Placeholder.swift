// Tests for ProcStatsTests.
