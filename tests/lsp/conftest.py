"""Drives `batchscale lsp` as an editor does, through pytest-lsp.

The server binary is $BATCHSCALE_BIN, or target/debug/batchscale of this
repository. Every expected value in the tests is worked out by hand in a
comment next to it, from the formula text, the rule table or the spec.
"""

import os
import pathlib

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
BIN = os.environ.get("BATCHSCALE_BIN", str(ROOT / "target" / "debug" / "batchscale"))
RULES = "https://example.invalid/rules/"
CONFIG = ClientServerConfig(server_command=[BIN, "lsp"])


def init_params(encodings=None):
    capabilities = client_capabilities("visual-studio-code")
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return types.InitializeParams(
        capabilities=capabilities,
        # A short debounce keeps the suite fast; the delay itself is not under test.
        initialization_options={"debounceMs": 20, "rulesBaseUrl": RULES},
    )


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(init_params())
    lsp_client.init_result = result
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG)
async def utf8_client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(
        init_params([types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16])
    )
    lsp_client.init_result = result
    yield
    await lsp_client.shutdown_session()


async def open_doc(client, path, text=None, language="azure-batch-autoscale"):
    """Opens `path` (its text from disk unless given) and waits for its diagnostics."""
    path = pathlib.Path(path)
    uri = path.as_uri()
    if text is None:
        text = path.read_text(encoding="utf-8")
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    await wait_diagnostics(client, uri)
    return uri


async def wait_diagnostics(client, uri):
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def rng(l1, c1, l2, c2):
    return types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2))


def apply_edits(text, edits):
    """Applies LSP text edits (positions in UTF-16 units) to `text`."""
    lines = text.split("\n")

    def offset(pos):
        before = sum(len(l) + 1 for l in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return before + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
