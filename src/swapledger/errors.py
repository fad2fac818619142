"""The errors swapledger raises, one tree under one base class.

::

    SwapledgerError
    ├── SourceError            a document could not be read (carries .source)
    │   ├── UnsupportedTypeError   not a kind of file we read
    │   ├── TooLargeError          over the size limit
    │   ├── BinaryFileError        not text
    │   ├── DecodingError          text in an encoding we could not tell
    │   ├── EmptyDocumentError     nothing to read
    │   ├── FrontMatterError       the front matter is broken
    │   ├── NoMainTextError        an HTML page with no article text
    │   ├── TelegramExportError    a Telegram export that is broken or not one
    │   ├── FetchError             a URL could not be fetched (carries .status, .retry_after)
    │   └── FeedError              not an RSS or Atom feed, or XML unsafe to parse
    ├── OptionError            a bad option value (carries .option)
    └── StoreError             the database could not be opened or used (carries .url)
        └── NotFoundError          no such record (carries .what)

Every error says what it is about and, where there is one, what to do.
"""

from __future__ import annotations


class SwapledgerError(Exception):
    """Base of every error swapledger raises on purpose."""


class SourceError(SwapledgerError):
    """A document could not be read."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class UnsupportedTypeError(SourceError):
    """The file is of a type swapledger does not read."""


class TooLargeError(SourceError):
    """The file is over the size limit."""


class BinaryFileError(SourceError):
    """The file is not text."""


class DecodingError(SourceError):
    """The file's encoding could not be told."""


class EmptyDocumentError(SourceError):
    """The document has no text."""


class FrontMatterError(SourceError):
    """The document's front matter is broken."""


class NoMainTextError(SourceError):
    """An HTML page has no main text."""


class TelegramExportError(SourceError):
    """A Telegram Desktop export is broken (cut short, invalid JSON) or is not an export."""


class FetchError(SourceError):
    """A URL could not be fetched: the network, the server's answer, a time limit or redirects.

    ``status`` is the HTTP status when the server answered with an error, and
    ``retry_after`` the seconds it asked us to wait (Retry-After), if it did.
    """

    def __init__(
        self, source: str, problem: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(source, problem)
        self.status = status
        self.retry_after = retry_after


class FeedError(SourceError):
    """A feed could not be read: not XML, not RSS or Atom, or XML that is unsafe to parse."""


class OptionError(SwapledgerError):
    """An option has a value that cannot be used."""

    def __init__(self, option: str, problem: str) -> None:
        self.option = option
        self.problem = problem
        super().__init__(f"{option}: {problem}")


class StoreError(SwapledgerError):
    """The database could not be opened or used."""

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"{url}: {problem}")


class NotFoundError(SwapledgerError):
    """No record with that id."""

    def __init__(self, what: str, key: str) -> None:
        self.what = what
        self.key = key
        super().__init__(f"no {what} with id {key!r}")
