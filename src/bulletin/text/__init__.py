"""Text utilities shared by every layer."""
