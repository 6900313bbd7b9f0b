//! How the JSON Schemas of the files the command reads are made: the
//! generator settings and the hand-written parts the derives name (the
//! `$schema` key, metric names, keywords, rule codes). A leaf: the readers'
//! types derive their schemas with these helpers (context, scenario,
//! configuration), and `batchscale schema` prints them; `schemas/` holds
//! them, checked against a fresh generation by a test.
//!
//! The readers check more than a schema can say (a window's `from` offsets
//! increasing, `min <= max` in a uniform distribution); a file the schema
//! accepts can still be refused, with a message naming the line and key.

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema};
use serde_json::Value;

/// The schema of `T`, as draft 2020-12, titled. An absent optional field is
/// left out of the file, never written `null` (TOML has no null, and the
/// context reader refuses one), so no property admits `null` and none has a
/// `null` default; a `null` sample inside `values` is still allowed.
pub(crate) fn root<T: JsonSchema>(title: &str) -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    if let Some(map) = schema.as_object_mut() {
        no_null_in(map);
    }
    schema
}

/// Takes `null` out of the own schema of every property of the object
/// schema `map` and of those it holds.
fn no_null_in(map: &mut serde_json::Map<String, Value>) {
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(not_null);
    }
    map.values_mut().for_each(no_null_properties);
}

fn no_null_properties(value: &mut Value) {
    match value {
        Value::Object(map) => no_null_in(map),
        Value::Array(items) => items.iter_mut().for_each(no_null_properties),
        _ => {}
    }
}

/// `schema` without `null` among its types, alternatives or default.
fn not_null(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    if map.get("default").is_some_and(Value::is_null) {
        map.remove("default");
    }
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            map.insert("type".into(), only);
        }
    }
    let null = serde_json::json!({ "type": "null" });
    if let Some(Value::Array(alternatives)) = map.get_mut("anyOf") {
        alternatives.retain(|a| *a != null);
        if let [Value::Object(only)] = alternatives.as_slice() {
            let only = only.clone();
            map.remove("anyOf");
            map.extend(only);
        }
    }
}

/// The text committed under `schemas/`: pretty JSON and a final line feed.
pub(crate) fn text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// A context file may name its schema (`"$schema": "..."`) for editors; the
/// reader ignores the value.
pub(crate) fn allow_schema_key(schema: &mut Schema) {
    if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
        properties.insert(
            "$schema".into(),
            json_schema!({
                "description": "The address of this schema, for editors; not read.",
                "type": "string"
            })
            .into(),
        );
    }
}

/// The metric series of a context are keyed by the metric's name as the
/// formula writes it (`$PendingTasks`).
pub(crate) fn metric_names(schema: &mut Schema) {
    let mut names: Vec<&str> = crate::builtins::Metric::ALL
        .iter()
        .map(|m| m.name())
        .collect();
    // Read as `$CurrentDedicatedNodes`, as the service's old name is.
    names.push("$CurrentDedicated");
    schema.insert("propertyNames".into(), serde_json::json!({ "enum": names }));
}

/// The keywords of `$NodeDeallocationOption`.
pub(crate) fn deallocation_keywords(schema: &mut Schema) {
    let words: Vec<&str> = crate::value::NodeDeallocationOption::ALL
        .iter()
        .map(|o| o.keyword())
        .collect();
    schema.insert("enum".into(), serde_json::json!(words));
}

/// The codes `allow` takes: warnings and infos (errors cannot be allowed).
pub(crate) fn allowed_codes(schema: &mut Schema) {
    let codes: Vec<&str> = crate::lint::RULES
        .iter()
        .filter(|r| r.severity != crate::diagnostics::Severity::Error)
        .map(|r| r.code)
        .collect();
    schema.insert("items".into(), serde_json::json!({ "enum": codes }));
}

/// The codes `deny` takes: every code, and `warnings` for all warnings.
pub(crate) fn denied_codes(schema: &mut Schema) {
    let codes: Vec<&str> = std::iter::once("warnings")
        .chain(crate::lint::RULES.iter().map(|r| r.code))
        .collect();
    schema.insert("items".into(), serde_json::json!({ "enum": codes }));
}
