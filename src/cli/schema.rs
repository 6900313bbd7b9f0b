//! `batchscale schema context|scenario`: the JSON Schema of a context file or
//! of a scenario file (its TOML read as JSON), for editors and validators.
//! The same text is committed under `schemas/`.

use clap::{Args, ValueEnum};

use super::io::out;
use super::EXIT_OK;

/// The files with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The evaluation context of `eval --context` and `replay`.
    Context,
    /// The scenario file of `simulate`.
    Scenario,
}

impl SchemaKind {
    /// The schema's text.
    pub fn text(self) -> String {
        let schema = match self {
            SchemaKind::Context => crate::schema::context(),
            SchemaKind::Scenario => crate::schema::scenario(),
        };
        crate::schema::text(&schema)
    }

    /// The committed file's name under `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaKind::Context => "context.schema.json",
            SchemaKind::Scenario => "scenario.schema.json",
        }
    }
}

/// Arguments of `batchscale schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// Runs `batchscale schema`: prints the schema on standard output.
pub fn run(args: &SchemaArgs) -> i32 {
    out!("{}", args.kind.text());
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schemas_are_the_generated_ones() {
        for kind in [SchemaKind::Context, SchemaKind::Scenario] {
            let path = format!(
                "{}/schemas/{}",
                env!("CARGO_MANIFEST_DIR"),
                kind.file_name()
            );
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == kind.text(),
                "{path} is stale: run `batchscale schema {} > {path}`",
                kind.to_possible_value()
                    .map_or(String::new(), |v| v.get_name().to_string())
            );
        }
    }

    #[test]
    fn the_context_schema_names_every_key_the_reader_takes() {
        let schema: serde_json::Value =
            serde_json::from_str(&SchemaKind::Context.text()).unwrap_or_default();
        let properties = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["$schema", "metrics", "now", "pool", "seed"]);
        assert_eq!(schema["additionalProperties"], false);
    }
}
