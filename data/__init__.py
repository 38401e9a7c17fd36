"""The SQLite article store (the only code that speaks SQL) and the bundled sample articles."""
