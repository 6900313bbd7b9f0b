//! The main loop: initialization, the documents, and one function per request.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentHighlightRequest, DocumentSymbolRequest,
    FoldingRangeRequest, Formatting, GotoDefinition, HoverRequest, InlayHintRequest, References,
    Rename, Request as _, SemanticTokensFullRequest, SignatureHelpRequest,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, Diagnostic as LspDiagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, InitializeParams, Location, NumberOrString,
    OneOf, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions, SemanticTokens,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensResult,
    SemanticTokensServerCapabilities, ServerCapabilities, SignatureHelpOptions,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::document::{Document, Unit};
use super::position::Encoding;
use super::{actions, inlay, language, navigate};
use crate::diagnostics::{Diagnostic, Severity};
use crate::value::Timestamp;

/// What the client configured.
#[derive(Debug, Clone)]
struct Options {
    debounce: Duration,
    rules_base_url: Option<String>,
}

impl Options {
    fn from_json(value: Option<&Json>) -> Options {
        let get = |key: &str| value.and_then(|v| v.get(key));
        // Without a configured address, the package's repository (when
        // Cargo.toml names one) holds the rule pages.
        let repository = option_env!("CARGO_PKG_REPOSITORY")
            .filter(|r| !r.is_empty())
            .map(|r| format!("{}/blob/main/docs/rules/", r.trim_end_matches('/')));
        Options {
            debounce: Duration::from_millis(
                get("debounceMs").and_then(Json::as_u64).unwrap_or(200),
            ),
            rules_base_url: get("rulesBaseUrl")
                .and_then(Json::as_str)
                .map(str::to_string)
                .or(repository),
        }
    }
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    options: Options,
    documents: HashMap<Url, Document>,
    /// Documents whose diagnostics are due, and when.
    pending: HashMap<Url, Instant>,
    /// The time a context without `now` is evaluated at.
    clock: fn() -> Timestamp,
}

fn wall_clock() -> Timestamp {
    Timestamp::from_datetime(chrono::Utc::now()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(true.into()),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), "$".to_string()]),
            ..CompletionOptions::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
            ..SignatureHelpOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: navigate::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        folding_range_provider: Some(true.into()),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on `connection`: the handshake, then every message until `exit`.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let init: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let offered_utf8 = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
    let encoding = if offered_utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "batchscale", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        connection,
        encoding,
        options: Options::from_json(init.initialization_options.as_ref()),
        documents: HashMap::new(),
        pending: HashMap::new(),
        clock: wall_clock,
    };
    server.run()
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), String> {
        loop {
            let next = self.pending.values().min().copied();
            let message = match next {
                None => match self.connection.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.connection.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(e) if e.is_timeout() => None,
                        Err(_) => return Ok(()),
                    }
                }
            };
            match message {
                Some(Message::Request(request)) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(request);
                    self.send(Message::Response(response))?;
                }
                Some(Message::Notification(notification)) => self.notification(notification)?,
                Some(Message::Response(_)) | None => {}
            }
            self.publish_due()?;
        }
    }

    fn send(&self, message: Message) -> Result<(), String> {
        self.connection
            .sender
            .send(message)
            .map_err(|e| e.to_string())
    }

    fn notification(&mut self, notification: Notification) -> Result<(), String> {
        let now = Instant::now();
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams = parse(notification.params)?;
                let item = params.text_document;
                if let Some(doc) =
                    Document::open(item.uri.clone(), &item.language_id, item.text, item.version)
                {
                    self.documents.insert(item.uri.clone(), doc);
                    self.pending.insert(item.uri, now);
                }
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams = parse(notification.params)?;
                let uri = params.text_document.uri;
                if let Some(doc) = self.documents.get_mut(&uri) {
                    let mut text = std::mem::take(&mut doc.text);
                    for change in params.content_changes {
                        match change.range {
                            Some(range) => {
                                let lines = super::position::LineIndex::new(&text);
                                let span = lines.span(&text, range, self.encoding);
                                if text.get(span.start..span.end).is_some() {
                                    text.replace_range(span.start..span.end, &change.text);
                                }
                            }
                            None => text = change.text,
                        }
                    }
                    doc.set_text(text, params.text_document.version);
                    self.pending.insert(uri, now + self.options.debounce);
                }
            }
            DidSaveTextDocument::METHOD => {
                let params: lsp_types::DidSaveTextDocumentParams = parse(notification.params)?;
                if self.documents.contains_key(&params.text_document.uri) {
                    self.pending.insert(params.text_document.uri, now);
                }
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams = parse(notification.params)?;
                let uri = params.text_document.uri;
                self.pending.remove(&uri);
                if self.documents.remove(&uri).is_some() {
                    self.publish(uri, Vec::new(), None)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn publish_due(&mut self) -> Result<(), String> {
        let now = Instant::now();
        let due: Vec<Url> = self
            .pending
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            self.pending.remove(&uri);
            let Some(doc) = self.documents.get_mut(&uri) else {
                continue;
            };
            doc.refresh();
            let diagnostics = self.diagnostics(&uri);
            let version = self.documents.get(&uri).map(|d| d.version);
            self.publish(uri, diagnostics, version)?;
        }
        Ok(())
    }

    fn publish(
        &self,
        uri: Url,
        diagnostics: Vec<LspDiagnostic>,
        version: Option<i32>,
    ) -> Result<(), String> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )))
    }

    /// Every diagnostic of a document, at its own positions.
    fn diagnostics(&self, uri: &Url) -> Vec<LspDiagnostic> {
        let Some(doc) = self.documents.get(uri) else {
            return Vec::new();
        };
        let mut out: Vec<LspDiagnostic> = doc
            .analysis
            .file_diagnostics
            .iter()
            .map(|d| self.to_lsp(doc, d, &|s| s))
            .collect();
        for unit in &doc.analysis.units {
            out.extend(
                unit.diagnostics
                    .iter()
                    .map(|d| self.unit_diagnostic(doc, unit, d)),
            );
        }
        out
    }

    fn unit_diagnostic(&self, doc: &Document, unit: &Unit, d: &Diagnostic) -> LspDiagnostic {
        self.to_lsp(doc, d, &|s| unit.host(s))
    }

    fn to_lsp(
        &self,
        doc: &Document,
        d: &Diagnostic,
        host: &dyn Fn(crate::span::Span) -> crate::span::Span,
    ) -> LspDiagnostic {
        let range = |span| doc.lines.range(&doc.text, host(span), self.encoding);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .labels
            .iter()
            .map(|l| DiagnosticRelatedInformation {
                location: Location::new(doc.uri.clone(), range(l.span)),
                message: l.message.clone(),
            })
            .collect();
        LspDiagnostic {
            range: range(d.span),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.code.to_string())),
            code_description: self
                .options
                .rules_base_url
                .as_ref()
                .and_then(|base| Url::parse(&format!("{base}{}.md", d.code)).ok())
                .map(|href| lsp_types::CodeDescription { href }),
            source: Some("batchscale".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    /// The document a request names, analysed, and the byte offset of its position.
    fn at(&mut self, params: &TextDocumentPositionParams) -> Option<(&Document, usize)> {
        let encoding = self.encoding;
        let doc = self.documents.get_mut(&params.text_document.uri)?;
        doc.refresh();
        let offset = doc.lines.offset(&doc.text, params.position, encoding);
        Some((doc, offset))
    }

    fn document(&mut self, uri: &Url) -> Option<&Document> {
        let doc = self.documents.get_mut(uri)?;
        doc.refresh();
        Some(doc)
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.answer(request) {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn answer(&mut self, request: Request) -> Result<Json, (ErrorCode, String)> {
        let encoding = self.encoding;
        let invalid = |e: String| (ErrorCode::InvalidParams, e);
        let json = |v: Result<Json, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match request.method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(request.params).map_err(invalid)?;
                let hover = self
                    .at(&p.text_document_position_params)
                    .and_then(|(doc, at)| language::hover(doc, at, encoding));
                json(serde_json::to_value(hover))
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(request.params).map_err(invalid)?;
                let items = self
                    .at(&p.text_document_position)
                    .map(|(doc, at)| language::completion(doc, at, encoding))
                    .unwrap_or_default();
                json(serde_json::to_value(items))
            }
            SignatureHelpRequest::METHOD => {
                let p: lsp_types::SignatureHelpParams = parse(request.params).map_err(invalid)?;
                let help = self
                    .at(&p.text_document_position_params)
                    .and_then(|(doc, at)| language::signature_help(doc, at));
                json(serde_json::to_value(help))
            }
            Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams =
                    parse(request.params).map_err(invalid)?;
                let edits = self
                    .document(&p.text_document.uri)
                    .and_then(|doc| actions::formatting(doc, encoding));
                json(serde_json::to_value(edits))
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = parse(request.params).map_err(invalid)?;
                let Some(doc) = self.document(&p.text_document.uri) else {
                    return Ok(Json::Null);
                };
                let range = doc.lines.span(&doc.text, p.range, encoding);
                let doc = doc.clone();
                let to_lsp = |unit: &Unit, d: &Diagnostic| self.unit_diagnostic(&doc, unit, d);
                json(serde_json::to_value(actions::code_actions(
                    &doc, range, encoding, &to_lsp,
                )))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(request.params).map_err(invalid)?;
                let location = self
                    .at(&p.text_document_position_params)
                    .and_then(|(doc, at)| navigate::definition(doc, at, encoding));
                json(serde_json::to_value(location))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(request.params).map_err(invalid)?;
                let declarations = p.context.include_declaration;
                let locations = self
                    .at(&p.text_document_position)
                    .map(|(doc, at)| navigate::references(doc, at, declarations, encoding));
                json(serde_json::to_value(locations))
            }
            DocumentHighlightRequest::METHOD => {
                let p: lsp_types::DocumentHighlightParams =
                    parse(request.params).map_err(invalid)?;
                let highlights = self
                    .at(&p.text_document_position_params)
                    .map(|(doc, at)| navigate::highlight(doc, at, encoding));
                json(serde_json::to_value(highlights))
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = parse(request.params).map_err(invalid)?;
                let Some((doc, at)) = self.at(&p.text_document_position) else {
                    return Ok(Json::Null);
                };
                let edit = navigate::rename(doc, at, &p.new_name, encoding)
                    .map_err(|e| (ErrorCode::RequestFailed, e))?;
                json(serde_json::to_value(edit))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(request.params).map_err(invalid)?;
                let symbols = self
                    .document(&p.text_document.uri)
                    .map(|doc| navigate::symbols(doc, encoding));
                json(serde_json::to_value(symbols))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = parse(request.params).map_err(invalid)?;
                let tokens = self.document(&p.text_document.uri).map(|doc| {
                    SemanticTokensResult::Tokens(SemanticTokens {
                        result_id: None,
                        data: navigate::semantic_tokens(doc, encoding),
                    })
                });
                json(serde_json::to_value(tokens))
            }
            FoldingRangeRequest::METHOD => {
                let p: lsp_types::FoldingRangeParams = parse(request.params).map_err(invalid)?;
                let folds = self
                    .document(&p.text_document.uri)
                    .map(|doc| navigate::folding(doc, encoding));
                json(serde_json::to_value(folds))
            }
            InlayHintRequest::METHOD => {
                let p: lsp_types::InlayHintParams = parse(request.params).map_err(invalid)?;
                let now = (self.clock)();
                let hints = self.document(&p.text_document.uri).map(|doc| {
                    let wanted = doc.lines.span(&doc.text, p.range, encoding);
                    inlay::hints(doc, encoding, now)
                        .into_iter()
                        .filter(|h| {
                            let at = doc.lines.offset(&doc.text, h.position, encoding);
                            wanted.start <= at && at <= wanted.end
                        })
                        .collect::<Vec<_>>()
                });
                json(serde_json::to_value(hints))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unhandled method {other}"),
            )),
        }
    }
}

fn parse<T: DeserializeOwned>(params: Json) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}
