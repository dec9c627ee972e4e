"""The deterministic demo master, supplier files and statements."""
