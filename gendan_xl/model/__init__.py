"""The vocabulary and values every layer shares: schema, codes, cell parsing, issues, errors, settings."""
