//! `batchscale lsp` over an in-memory connection: the handshake, diagnostics at
//! a host file's UTF-16 positions, and a clean shutdown. (The full editor-level
//! suite is tests/lsp/, run by .ci/lsp.sh with pytest-lsp.)

use std::thread;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

fn notify(client: &Connection, method: &str, params: Value) {
    let message = Message::Notification(Notification::new(method.to_string(), params));
    client
        .sender
        .send(message)
        .expect("the server is listening");
}

fn request(client: &Connection, id: i32, method: &str, params: Value) -> Value {
    let message = Message::Request(Request::new(
        RequestId::from(id),
        method.to_string(),
        params,
    ));
    client
        .sender
        .send(message)
        .expect("the server is listening");
    loop {
        match client.receiver.recv().expect("the server answers") {
            Message::Response(r) if r.id == RequestId::from(id) => {
                return r.result.unwrap_or(Value::Null)
            }
            _ => {}
        }
    }
}

fn published(client: &Connection) -> Value {
    loop {
        match client.receiver.recv().expect("the server publishes") {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                return n.params
            }
            _ => {}
        }
    }
}

#[test]
fn bicep_diagnostics_arrive_at_utf16_columns_and_the_server_shuts_down() {
    let (server, client) = Connection::memory();
    let handle = thread::spawn(move || crate::lsp::serve(&server));
    let init = request(
        &client,
        1,
        "initialize",
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    notify(&client, "initialized", json!({}));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/lsp/fixtures/pool.bicep");
    let text = std::fs::read_to_string(path).expect("the fixture exists");
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///x/pool.bicep", "languageId": "bicep", "version": 1, "text": text } }),
    );
    let params = published(&client);
    let diagnostics = params["diagnostics"].as_array().expect("a list");
    assert_eq!(diagnostics.len(), 1);
    // Line 5: 8 spaces, `/* ` 3, `Größe` 5, ` ` 1, `😀` 2 UTF-16 units, ` */ ` 4,
    // `formula: ` 9, `'` 1, `$TargetDedicatedNodes = ` 24, `max(0, ` 7,
    // `ceil(` 5: `tsks` spans 69..73.
    assert_eq!(
        diagnostics[0]["range"],
        json!({ "start": { "line": 5, "character": 69 }, "end": { "line": 5, "character": 73 } })
    );
    assert_eq!(diagnostics[0]["code"], "undefined-symbol");
    request(&client, 2, "shutdown", Value::Null);
    notify(&client, "exit", Value::Null);
    assert_eq!(handle.join().expect("the server thread ends"), Ok(()));
}

#[test]
fn a_warning_offers_to_suppress_it_for_its_statement() {
    let (server, client) = Connection::memory();
    let handle = thread::spawn(move || crate::lsp::serve(&server));
    request(
        &client,
        1,
        "initialize",
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    );
    notify(&client, "initialized", json!({}));
    // `spare` (line 1, characters 2..7) is assigned and never read.
    let text = "$TargetDedicatedNodes = 2;\n  spare = 1;\n";
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///x/pool.formula", "languageId": "autoscale", "version": 1, "text": text } }),
    );
    let params = published(&client);
    assert_eq!(params["diagnostics"][0]["code"], "unused-variable");
    let actions = request(
        &client,
        2,
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": "file:///x/pool.formula" },
            "range": { "start": { "line": 1, "character": 2 }, "end": { "line": 1, "character": 7 } },
            "context": { "diagnostics": [] },
        }),
    );
    let actions = actions.as_array().expect("a list");
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Suppress `unused-variable` for this statement")
        .expect("the action is offered");
    // Inserted at the start of line 1, at the statement's two-space indent.
    assert_eq!(
        suppress["edit"]["changes"]["file:///x/pool.formula"],
        json!([{
            "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 0 } },
            "newText": "  // batchscale: allow(unused-variable)\n",
        }])
    );
    assert_eq!(suppress["isPreferred"], false);
    request(&client, 3, "shutdown", Value::Null);
    notify(&client, "exit", Value::Null);
    assert_eq!(handle.join().expect("the server thread ends"), Ok(()));
}

#[test]
fn a_did_you_mean_fix_is_offered_but_not_preferred() {
    let (server, client) = Connection::memory();
    let handle = thread::spawn(move || crate::lsp::serve(&server));
    request(
        &client,
        1,
        "initialize",
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    );
    notify(&client, "initialized", json!({}));
    let text = "$TargetDedicatedNodes = $PendingTask.GetSample(1);\n";
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///x/pool.formula", "languageId": "autoscale", "version": 1, "text": text } }),
    );
    published(&client);
    let actions = request(
        &client,
        2,
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": "file:///x/pool.formula" },
            "range": { "start": { "line": 0, "character": 24 }, "end": { "line": 0, "character": 36 } },
            "context": { "diagnostics": [] },
        }),
    );
    let actions = actions.as_array().expect("a list");
    // `$PendingTask` (24..36) is one letter short of the service's
    // `$PendingTasks`: one replacement, offered once, not preferred (unsafe).
    let replacements: Vec<&Value> = actions
        .iter()
        .filter(|a| a["title"] == "Replace with `$PendingTasks`")
        .collect();
    assert_eq!(replacements.len(), 1, "{actions:?}");
    assert_eq!(replacements[0]["isPreferred"], false);
    // An error is never offered a suppression.
    assert!(!actions.iter().any(|a| a["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Suppress"))));
    request(&client, 3, "shutdown", Value::Null);
    notify(&client, "exit", Value::Null);
    assert_eq!(handle.join().expect("the server thread ends"), Ok(()));
}

#[test]
fn inside_a_terraform_heredoc_the_suppression_is_a_new_line_of_the_formula() {
    let (server, client) = Connection::memory();
    let handle = thread::spawn(move || crate::lsp::serve(&server));
    request(
        &client,
        1,
        "initialize",
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    );
    notify(&client, "initialized", json!({}));
    // A heredoc keeps the formula verbatim and may span lines; `spare` is
    // line 4 (0-based), characters 0..5.
    let text = "resource \"azurerm_batch_pool\" \"p\" {\n  auto_scale {\n    evaluation_interval = \"PT15M\"\n    formula = <<EOF\nspare = 1;\n$TargetDedicatedNodes = 2;\nEOF\n  }\n}\n";
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///x/main.tf", "languageId": "terraform", "version": 1, "text": text } }),
    );
    let params = published(&client);
    assert_eq!(params["diagnostics"][0]["code"], "unused-variable");
    let actions = request(
        &client,
        2,
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": "file:///x/main.tf" },
            "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 5 } },
            "context": { "diagnostics": [] },
        }),
    );
    let suppress = actions
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["title"] == "Suppress `unused-variable` for this statement")
        .cloned()
        .expect("the action is offered");
    assert_eq!(
        suppress["edit"]["changes"]["file:///x/main.tf"],
        json!([{
            "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 0 } },
            "newText": "// batchscale: allow(unused-variable)\n",
        }])
    );
    request(&client, 3, "shutdown", Value::Null);
    notify(&client, "exit", Value::Null);
    assert_eq!(handle.join().expect("the server thread ends"), Ok(()));
}
