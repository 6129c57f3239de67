"""The test suite of matter_map."""
