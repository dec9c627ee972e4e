"""Early warning from history (pure): each open line's risk of shipping late, learned from the lines
shipped before the as-of date (``evidence``), estimated and explained (``model``)."""
