"""Chinese keyword search support: segmentation and the text PostgreSQL indexes (``tokenizer``)."""
