"""Renderers: terminal views, plain lines for pipes, and JSON / JSONL / CSV data."""
