"""`batchscale lsp` end to end: what an editor sends and what it must get back."""

from lsprotocol import types

from conftest import FIXTURES, RULES, apply_edits, open_doc, rng, wait_diagnostics

# Three findings, one per line (0-based lines and UTF-16 columns):
# line 0 `$tasks = 3` has no `;` before line 1: missing-semicolon at the statement
#   the parser could not take (line 1, `$TargetDedicatedNodes`, 0..21), with the
#   place the `;` belongs (line 0, column 10, just after `3`) related;
# line 1 `$tasks / 2` is 3 / 2 = 1.5, a fractional target: columns 24..34;
# line 2 `taskcompletoin` (columns 26..40) is no name: undefined-symbol.
BROKEN = "$tasks = 3\n$TargetDedicatedNodes = $tasks / 2;\n$NodeDeallocationOption = taskcompletoin;\n"


def summary(diagnostics):
    return sorted(
        (d.code, d.severity, (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character))
        for d in diagnostics
    )


async def test_utf16_is_the_default_encoding(client):
    assert client.init_result.capabilities.position_encoding == types.PositionEncodingKind.Utf16


async def test_diagnostics_on_open_at_their_ranges(client, tmp_path):
    uri = await open_doc(client, tmp_path / "broken.formula", BROKEN)
    found = client.diagnostics[uri]
    E, W = types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning
    assert summary(found) == [
        ("fractional-target", W, (1, 24, 1, 34)),
        ("missing-semicolon", E, (1, 0, 1, 21)),
        ("undefined-symbol", E, (2, 26, 2, 40)),
    ]
    missing = next(d for d in found if d.code == "missing-semicolon")
    assert missing.code_description.href == RULES + "missing-semicolon.md"
    assert missing.source == "batchscale"
    related = missing.related_information[0]
    assert related.location.range == rng(0, 10, 0, 10)
    assert related.message == "a `;` belongs here"


async def test_diagnostics_follow_changes(client, tmp_path):
    uri = await open_doc(client, tmp_path / "broken.formula", BROKEN)
    client.diagnostics.pop(uri)
    # Insert the missing `;` at line 0, column 10: that error goes, the others stay.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=rng(0, 10, 0, 10), text=";")],
        )
    )
    found = await wait_diagnostics(client, uri)
    assert [d.code for d in sorted(found, key=lambda d: d.range.start.line)] == [
        "fractional-target",
        "undefined-symbol",
    ]


async def test_hover_on_function_variable_and_method(client, tmp_path):
    text = "$TargetDedicatedNodes = avg($PendingTasks.GetSamplePercent(TimeInterval_Minute));\n"
    uri = await open_doc(client, tmp_path / "hover.formula", text)
    doc = types.TextDocumentIdentifier(uri=uri)

    async def hover(character):
        result = await client.text_document_hover_async(
            types.HoverParams(text_document=doc, position=types.Position(line=0, character=character))
        )
        return result.contents.value

    # `avg` is columns 24..27: the builtins table's signature and doc.
    avg = await hover(25)
    assert "double avg(doubleVecList)" in avg and "Average of all values in the list." in avg
    # `$PendingTasks` is columns 28..41: a sampled metric, and what it counts.
    pending = await hover(30)
    assert "$ActiveTasks plus $RunningTasks." in pending and "sampled metric" in pending
    # `GetSamplePercent` is columns 42..58.
    percent = await hover(45)
    assert "Percentage (0-100) of the window's samples that are available" in percent


async def test_hover_gives_a_user_variables_type(client, tmp_path):
    # `GetSample` returns a doubleVec (spec §6), so `v` holds one.
    text = "v = $PendingTasks.GetSample(1);\n$TargetDedicatedNodes = max(0, ceil(avg(v)));\n"
    uri = await open_doc(client, tmp_path / "types.formula", text)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=41))
    )
    assert "v : doubleVec" in result.contents.value


async def test_completion_after_a_metric_lists_the_sample_methods(client, tmp_path):
    text = "x = $PendingTasks."
    uri = await open_doc(client, tmp_path / "complete.formula", text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=18))
    )
    items = result if isinstance(result, list) else result.items
    # The five sample methods of spec §6, and nothing else.
    assert sorted(i.label for i in items) == [
        "Count",
        "GetSample",
        "GetSamplePercent",
        "GetSamplePeriod",
        "HistoryBeginTime",
    ]
    assert all(i.kind == types.CompletionItemKind.Method for i in items)


async def test_signature_help_inside_max(client, tmp_path):
    text = "$TargetDedicatedNodes = max(0, "
    uri = await open_doc(client, tmp_path / "sig.formula", text)
    result = await client.text_document_signature_help_async(
        types.SignatureHelpParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=len(text))
        )
    )
    assert [s.label for s in result.signatures] == ["double max(doubleVecList)"]
    # One comma before the cursor: the second argument.
    assert result.active_parameter == 1


async def test_formatting_a_formula_file(client, tmp_path):
    text = "x=1;$TargetDedicatedNodes=max(0,x)"
    uri = await open_doc(client, tmp_path / "fmt.formula", text)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    # The canonical layout (docs of `batchscale fmt`): one statement per line,
    # spaces around `=` and after `,`, a `;` after each statement.
    assert apply_edits(text, edits) == "x = 1;\n$TargetDedicatedNodes = max(0, x);\n"


async def actions_for(client, uri, diagnostic):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


async def test_code_actions_applied_give_the_fixed_text(client, tmp_path):
    uri = await open_doc(client, tmp_path / "fix.formula", BROKEN)
    text = BROKEN
    by_code = {d.code: d for d in client.diagnostics[uri]}
    chosen = []
    for code, title in [
        ("missing-semicolon", "Insert `;`"),
        ("fractional-target", "Round up: `ceil($tasks / 2)`"),
        ("undefined-symbol", "Replace with `taskcompletion`"),
    ]:
        actions = await actions_for(client, uri, by_code[code])
        action = next(a for a in actions if a.title == title)
        chosen.extend(action.edit.changes[uri])
    text = apply_edits(text, chosen)
    assert text == "$tasks = 3;\n$TargetDedicatedNodes = ceil($tasks / 2);\n$NodeDeallocationOption = taskcompletion;\n"
    # The fixed text has nothing left to report.
    uri2 = await open_doc(client, tmp_path / "fixed.formula", text)
    assert list(client.diagnostics[uri2]) == []


async def test_negative_target_is_bounded_and_windowed_sample_guarded(client, tmp_path):
    # `0 - $PendingTasks` can be negative; the 15-minute window is unguarded.
    text = "$TargetDedicatedNodes = ceil(avg($PendingTasks.GetSample(TimeInterval_Minute * 15))) - 1;\n"
    uri = await open_doc(client, tmp_path / "guard.formula", text)
    by_code = {d.code: d for d in client.diagnostics[uri]}
    assert set(by_code) == {"negative-target", "unguarded-sample"}
    bound = next(a for a in await actions_for(client, uri, by_code["negative-target"]) if a.title.startswith("Bound"))
    bounded = apply_edits(text, bound.edit.changes[uri])
    assert bounded == (
        "$TargetDedicatedNodes = max(0, ceil(avg($PendingTasks.GetSample(TimeInterval_Minute * 15))) - 1);\n"
    )
    guard = next(a for a in await actions_for(client, uri, by_code["unguarded-sample"]) if a.title.startswith("Guard"))
    guarded = apply_edits(text, guard.edit.changes[uri])
    # 70 is GetSample's default samplePercent (spec §6): below it the latest sample stands in.
    assert guarded == (
        "$TargetDedicatedNodes = ceil(avg(($PendingTasks.GetSamplePercent(TimeInterval_Minute * 15) < 70"
        " ? $PendingTasks.GetSample(1) : $PendingTasks.GetSample(TimeInterval_Minute * 15)))) - 1;\n"
    )
    uri2 = await open_doc(client, tmp_path / "guarded.formula", guarded)
    assert "unguarded-sample" not in {d.code for d in client.diagnostics[uri2]}


# BROKEN with its `;`: navigation needs a formula that parses.
PARSES = BROKEN.replace("= 3\n", "= 3;\n")


async def test_rename_definition_references_and_highlight(client, tmp_path):
    uri = await open_doc(client, tmp_path / "rename.formula", PARSES)
    doc = types.TextDocumentIdentifier(uri=uri)
    at_read = types.Position(line=1, character=26)  # inside `$tasks` on line 1 (24..30)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc, position=at_read, new_name="$load")
    )
    renamed = apply_edits(PARSES, edit.changes[uri])
    assert renamed == "$load = 3;\n$TargetDedicatedNodes = $load / 2;\n$NodeDeallocationOption = taskcompletoin;\n"
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=at_read)
    )
    definition = definition[0] if isinstance(definition, list) else definition
    assert definition.range == rng(0, 0, 0, 6)
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc, position=at_read, context=types.ReferenceContext(include_declaration=True)
        )
    )
    assert sorted((r.range.start.line, r.range.start.character) for r in references) == [(0, 0), (1, 24)]
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc, position=at_read)
    )
    kinds = sorted((h.range.start.line, h.kind) for h in highlights)
    assert kinds == [(0, types.DocumentHighlightKind.Write), (1, types.DocumentHighlightKind.Read)]


async def test_symbols_tokens_and_folds(client, tmp_path):
    text = "// one\n// two\na = 1;\n$TargetDedicatedNodes = a;\n"
    uri = await open_doc(client, tmp_path / "outline.formula", text)
    doc = types.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    assert [s.name for s in symbols] == ["a", "$TargetDedicatedNodes"]
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc))
    assert [(f.start_line, f.end_line, f.kind) for f in folds] == [(0, 1, types.FoldingRangeKind.Comment)]
    tokens = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc))
    legend = client.init_result.capabilities.semantic_tokens_provider.legend.token_types
    # Decode (line, start, length, type): the two comments, `a`, `1`, the target, `a`.
    decoded, line, start = [], 0, 0
    data = tokens.data
    for i in range(0, len(data), 5):
        dl, ds, length, kind = data[i : i + 4]
        line += dl
        start = ds if dl else start + ds
        decoded.append((line, start, length, legend[kind]))
    assert decoded == [
        (0, 0, 6, "comment"),
        (1, 0, 6, "comment"),
        (2, 0, 1, "variable"),
        (2, 4, 1, "number"),
        (3, 0, 21, "variable"),
        (3, 24, 1, "variable"),
    ]


def hint_labels(hints):
    return [(h.position.line, h.position.character, h.label) for h in hints]


async def test_inlay_hints_show_values_under_the_context_line(client):
    path = FIXTURES / "live.formula"
    uri = await open_doc(client, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=uri), range=rng(0, 0, len(lines), 0))
    )
    end = lambda n: len(lines[n])  # each hint sits after its statement's `;`, the line's end
    # live-ctx.json: $PendingTasks samples 4, 6, 8, 7, the newest (7) last.
    # tasks = max(GetSample(1)) = max([7]) = 7; half = 7 / 2 = 3.5;
    # $TargetDedicatedNodes = min(ceil(3.5), 4) = min(4, 4) = 4.
    # Results: the targets, the pool's low-priority target (0), the option,
    # then the user variables by name (spec: results string).
    assert hint_labels(hints) == [
        (1, end(1), "= 7"),
        (2, end(2), "= 3.5"),
        (3, end(3), "= 4"),
        (4, end(4), "= taskcompletion"),
        (
            3,
            end(3),
            "results: $TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;"
            "$NodeDeallocationOption=taskcompletion;half=3.5;tasks=7",
        ),
    ]


async def test_inlay_hints_from_batchscale_toml(client):
    path = FIXTURES / "toml" / "live.formula"
    uri = await open_doc(client, path)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=uri), range=rng(0, 0, 10, 0))
    )
    # The same formula and context as above, one line higher (no context line).
    assert [h.label for h in hints][:2] == ["= 7", "= 3.5"]


async def test_bicep_and_terraform_diagnostics_at_host_positions_in_utf16(client):
    # Bicep line 5: 8 spaces, `/* ` (3), `Größe` (5), ` ` (1), `😀` (2 UTF-16
    # units), ` */ ` (4), `formula: ` (9), `'` (1), `$TargetDedicatedNodes = `
    # (24), `max(0, ` (7), `ceil(` (5): `tsks` starts at 8+3+5+1+2+4+9+1+24+7+5 = 69.
    uri = await open_doc(client, FIXTURES / "pool.bicep", language="bicep")
    assert summary(client.diagnostics[uri]) == [
        ("undefined-symbol", types.DiagnosticSeverity.Error, (5, 69, 5, 73))
    ]
    # Terraform line 4: 4 spaces, `/* ` (3), `Größe` (5), ` ` (1), `😀` (2),
    # ` */ ` (4), `formula = ` (10), `"` (1), 24, 7, 5: 4+3+5+1+2+4+10+1+24+7+5 = 66.
    uri = await open_doc(client, FIXTURES / "pool.tf", language="terraform")
    assert summary(client.diagnostics[uri]) == [
        ("undefined-symbol", types.DiagnosticSeverity.Error, (4, 66, 4, 70))
    ]


async def test_utf8_positions_when_the_client_offers_them(utf8_client):
    client = utf8_client
    assert client.init_result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    # In bytes: `ö` and `ß` are 2 each, `😀` is 4: 69 - 2 (😀 in UTF-16) + 4 + 2 = 73.
    uri = await open_doc(client, FIXTURES / "pool.bicep", language="bicep")
    assert summary(client.diagnostics[uri]) == [
        ("undefined-symbol", types.DiagnosticSeverity.Error, (5, 73, 5, 77))
    ]
