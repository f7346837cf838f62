"""Pure rules of the product: levels, reasons, sessions, validation, masking, hashing.

Nothing here imports Qt or does I/O beyond reading the packaged reason catalogue.
"""
