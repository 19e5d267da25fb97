"""`GET /api/v1/meta`: what the mini-program loads once at start (vocabularies, labels, limits)."""
