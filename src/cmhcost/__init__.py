"""cmhcost: what community mental health services cost against hospital care."""

__version__ = "0.1.0"
