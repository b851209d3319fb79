"""The routine as data (routine.toml) and the pure model built from it."""
