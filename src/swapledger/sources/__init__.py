"""Readers that turn inputs (files, folders) into Documents.

``read_path`` reads one file; ``iter_paths`` walks folders. Each reader raises
a ``SourceError`` subclass naming the file and the problem.
"""

from .files import SUFFIXES, ReadOptions, iter_paths, read_path

__all__ = ["SUFFIXES", "ReadOptions", "iter_paths", "read_path"]
