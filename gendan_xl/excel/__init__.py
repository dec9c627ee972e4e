"""Excel edge: xlwings UDFs (``udfs``) over the pure core; no business rules live here."""
