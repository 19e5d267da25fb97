"""东胜就业 — backend of the Dongsheng District public employment service mini-program."""
