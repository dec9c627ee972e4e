"""Generated sheets as pure view models: cells, styles, layout, charts; no file and no Excel."""
