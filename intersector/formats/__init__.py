"""The site's date formats in each language (settings.FORMAT_MODULE_PATH): templates and code
write `date:"DATE_FORMAT"` for a long date, so Spanish reads "2 de diciembre de 2026", not the
English order with Spanish words."""
