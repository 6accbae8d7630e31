"""Excel in and out: the fill-in template, filling it from a dataset, importing workbooks."""
