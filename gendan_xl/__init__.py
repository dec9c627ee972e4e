"""gendan_xl — 跟单 automation for merchandisers' master workbooks."""

__version__ = "0.1.0"
