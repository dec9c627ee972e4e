"""Files gendan writes for people outside the master: new masters, chase files, customer reports, PDFs."""
