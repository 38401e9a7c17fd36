"""Command logic: the router, each command group, their shared argument helpers, paging, the
throttle, and the views and Telegram-HTML formatting their replies are built from."""
