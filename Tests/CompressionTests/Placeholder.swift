// Tests for CompressionTests.
