"""matter_map: declarative, bidirectional translation between vendor cloud JSON and Matter."""

__version__ = "0.1.0"
