"""T&A: milestone templates, plans, states, supplier milestone dates and the board's views."""
