"""报价 Quotations (pure): rate cells, today's exchange rates, the price of every quote in its
incoterm, the purchase price worked back from a buyer's target, and the quotes whose margin the
exchange rate has eaten."""
