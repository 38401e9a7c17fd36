"""Test doubles that behave like the real services newsbot talks to (see telegram_server)."""
