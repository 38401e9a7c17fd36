"""Transport-independent command handling (Telegram and the console share it).

The top holds the protocol only: requests, replies, the runtime services and delivery
errors. Command logic lives in `commands`, the ingestion pipeline in `ingestion`.
"""
