"""Composition root: settings, the `newsbot` CLI, Telegram wiring and the offline console."""
