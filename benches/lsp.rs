//! `batchscale lsp`: from a one-character `didChange` to the
//! `publishDiagnostics` it causes, for a 100-statement formula, through the
//! server's real main loop over an in-memory connection (no debounce).

use std::thread;

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

const URI: &str = "file:///bench/hundred.formula";

/// 100 statements (the service's limit): a chain of user variables, then the target.
fn formula() -> String {
    let mut text = String::from("s0 = max($PendingTasks.GetSample(1)) + 1;\n");
    for i in 1..99 {
        text.push_str(&format!("s{i} = s{} * 2 + {};\n", i - 1, i % 7));
    }
    text.push_str("$TargetDedicatedNodes = max(0, min(ceil(s98 / 1000), 20));\n");
    text
}

fn notify(client: &Connection, method: &str, params: serde_json::Value) {
    let _ = client.sender.send(Message::Notification(Notification::new(
        method.to_string(),
        params,
    )));
}

/// Waits for the next diagnostics the server publishes; returns how many.
fn diagnostics(client: &Connection) -> usize {
    loop {
        match client.receiver.recv() {
            Ok(Message::Notification(n)) if n.method == "textDocument/publishDiagnostics" => {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
            Ok(_) => {}
            Err(_) => panic!("the server stopped"),
        }
    }
}

fn bench(c: &mut Criterion) {
    let (server, client) = Connection::memory();
    let handle = thread::spawn(move || batchscale::fuzzing::serve_lsp(&server));
    let init = Request::new(
        RequestId::from(1),
        "initialize".to_string(),
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    );
    let _ = client.sender.send(Message::Request(init));
    let _ = client.receiver.recv();
    notify(&client, "initialized", json!({}));
    let text = formula();
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "azure-batch-autoscale", "version": 1, "text": text } }),
    );
    diagnostics(&client);
    // Statement 50 is `s50 = s49 * 2 + 1;`: its last digit flips between 1 and 2.
    let line = 50;
    let column = format!("s{line} = s{} * 2 + ", line - 1).len();
    let mut version = 1;
    c.bench_function("lsp didChange to publishDiagnostics (100 statements)", |b| {
        b.iter(|| {
            version += 1;
            let digit = if version % 2 == 0 { "2" } else { "1" };
            notify(
                &client,
                "textDocument/didChange",
                json!({
                    "textDocument": { "uri": URI, "version": version },
                    "contentChanges": [{
                        "range": { "start": { "line": line, "character": column }, "end": { "line": line, "character": column + 1 } },
                        "text": digit
                    }]
                }),
            );
            diagnostics(&client)
        })
    });
    let shutdown = Request::new(RequestId::from(2), "shutdown".to_string(), json!(null));
    let _ = client.sender.send(Message::Request(shutdown));
    let _ = client.receiver.recv();
    notify(&client, "exit", json!(null));
    drop(client);
    let _ = handle.join();
}

criterion_group!(benches, bench);
criterion_main!(benches);
