"""booklet: an event programme in, a printed programme booklet (and friends) out."""

__version__ = "0.1.0"
