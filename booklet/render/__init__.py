"""Renderers: the model into pages (booklet through WeasyPrint, badges and signs through
ReportLab). Renderers never read content files or write outputs."""
