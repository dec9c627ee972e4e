"""What the reports say: the weekly report, its history, the supplier scorecard, the customer report."""
