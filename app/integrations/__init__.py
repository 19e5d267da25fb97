"""Adapters to the outside world (WeChat, file storage), each behind a small interface."""
