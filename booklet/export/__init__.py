"""Exporters: the model into other formats (JSON, iCalendar, frab schedule.xml)."""
