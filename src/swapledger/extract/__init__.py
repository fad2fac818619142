"""Extraction: from a document's text to the claims it makes (pure, no I/O)."""

from .claims import EXTRACTOR_VERSION, ExtractOptions, UnsupportedLanguageError, extract

__all__ = ["EXTRACTOR_VERSION", "ExtractOptions", "UnsupportedLanguageError", "extract"]
