"""bulletin: scraped bulletins in, a clean searchable archive out."""

__version__ = "0.1.0"
