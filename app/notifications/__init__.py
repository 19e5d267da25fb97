"""Notifications: an in-app inbox and WeChat subscribe messages, fed by a transactional outbox."""
