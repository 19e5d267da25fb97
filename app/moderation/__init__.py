"""Built-in rules job and gig postings must obey before publishing (``rules.check_posting``)."""
