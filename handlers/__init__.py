"""Command logic and ingestion, independent of the transport (Telegram or console)."""
