import swapledger

EXPECTED = {
    "Claim",
    "Document",
    "Event",
    "EventFilter",
    "ExtractOptions",
    "Flow",
    "IngestOptions",
    "IngestReport",
    "ReadOptions",
    "Store",
    "SwapledgerError",
    "__version__",
    "extract",
    "ingest",
    "read_path",
    "rebuild",
    "totals",
}


def test_public_surface_is_pinned() -> None:
    assert set(swapledger.__all__) == EXPECTED
    for name in swapledger.__all__:
        assert hasattr(swapledger, name)
