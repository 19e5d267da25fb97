"""File storage behind a small interface: local disk by default."""
