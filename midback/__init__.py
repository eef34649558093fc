"""midback: likely causes, urgency and self-care for middle and upper back pain, with reasons."""

__version__ = "0.1.0"
