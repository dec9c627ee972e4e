"""Assembling the macro-enabled master workbook without Excel."""
