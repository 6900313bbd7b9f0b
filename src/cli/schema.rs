//! `batchscale schema context|scenario|config`: the JSON Schema of a context
//! file, a scenario file (its TOML read as JSON) or `batchscale.toml`, for
//! editors and validators.
//! The same text is committed under `schemas/`.

use clap::{Args, ValueEnum};

use super::io::{errln, out, write_atomic};
use super::{EXIT_OK, EXIT_USAGE};

/// The files with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The evaluation context of `eval --context` and `replay`.
    Context,
    /// The scenario file of `simulate`.
    Scenario,
    /// `batchscale.toml` (or `[tool.batchscale]` in `pyproject.toml`).
    Config,
}

impl SchemaKind {
    /// The schema's text.
    pub fn text(self) -> String {
        let schema = match self {
            SchemaKind::Context => crate::context::schema(),
            SchemaKind::Scenario => crate::schema::root::<crate::sim::scenario::Scenario>(
                "batchscale simulation scenario",
            ),
            SchemaKind::Config => crate::config::schema(),
        };
        crate::schema::text(&schema)
    }

    /// The committed file's name under `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaKind::Context => "context.schema.json",
            SchemaKind::Scenario => "scenario.schema.json",
            SchemaKind::Config => "batchscale.schema.json",
        }
    }
}

/// Every file with a schema.
const KINDS: [SchemaKind; 3] = [
    SchemaKind::Context,
    SchemaKind::Scenario,
    SchemaKind::Config,
];

/// Arguments of `batchscale schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum, required_unless_present = "out")]
    pub kind: Option<SchemaKind>,
    /// Write every schema into this directory instead (created if missing),
    /// as `context.schema.json`, `scenario.schema.json` and
    /// `batchscale.schema.json`.
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    pub out: Option<std::path::PathBuf>,
}

/// Runs `batchscale schema`.
pub fn run(args: &SchemaArgs) -> i32 {
    if let Some(kind) = args.kind {
        out!("{}", kind.text());
        return EXIT_OK;
    }
    let Some(dir) = &args.out else {
        return EXIT_OK;
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        errln!("error: {}: cannot create: {e}", dir.display());
        return EXIT_USAGE;
    }
    for kind in KINDS {
        let path = dir.join(kind.file_name());
        if let Err(e) = write_atomic(&path, kind.text().as_bytes()) {
            errln!("error: {}: cannot write: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schemas_are_the_generated_ones() {
        for kind in KINDS {
            let path = format!(
                "{}/schemas/{}",
                env!("CARGO_MANIFEST_DIR"),
                kind.file_name()
            );
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == kind.text(),
                "{path} is stale: run `batchscale schema --out schemas`"
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
