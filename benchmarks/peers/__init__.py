"""Minimal echo bots: the floors the update-throughput benchmark measures the bot against."""
