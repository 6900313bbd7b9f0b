//! Project configuration for `check`: a `batchscale.toml`, or the
//! `[tool.batchscale]` table of a `pyproject.toml`, found by walking up from
//! each checked file (the nearest wins; in one folder `batchscale.toml` wins
//! over `pyproject.toml`). Paths in it are relative to its folder.
//!
//! ```toml
//! allow = ["unused-variable"]
//! deny = ["warnings"]
//! define = { maxNodes = "10" }
//! include = ["pools/**"]          # files a walked directory contributes
//! exclude = ["pools/legacy/**"]
//! [limits]
//! max-chars = 8192
//! [[overrides]]
//! files = ["pools/experimental/*.formula"]
//! allow = ["fractional-target"]
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::input::InputError;
use crate::limits::Limits;

/// The settings of one configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct Settings {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(transform = crate::schema::allowed_codes))]
    allow: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(transform = crate::schema::denied_codes))]
    deny: Vec<String>,
    #[serde(default)]
    define: BTreeMap<String, String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    limits: LimitSettings,
    #[serde(default)]
    overrides: Vec<Override>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct LimitSettings {
    max_chars: Option<usize>,
    max_statements: Option<usize>,
    max_nesting: Option<usize>,
    max_eval_steps: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct Override {
    files: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(transform = crate::schema::allowed_codes))]
    allow: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(transform = crate::schema::denied_codes))]
    deny: Vec<String>,
    #[serde(default)]
    define: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<Tools>,
}

#[derive(Deserialize)]
struct Tools {
    batchscale: Option<toml::Value>,
}

/// The JSON Schema of `batchscale.toml` (and of `[tool.batchscale]` in
/// `pyproject.toml`).
#[cfg(feature = "schema")]
pub(crate) fn schema() -> schemars::Schema {
    crate::schema::root::<Settings>("batchscale configuration (batchscale.toml)")
}

/// What a configuration says about one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSettings {
    /// Codes not reported.
    pub allow: Vec<String>,
    /// Codes reported as errors (`warnings`: every warning).
    pub deny: Vec<String>,
    /// Template placeholders filled.
    pub define: Vec<(String, String)>,
}

/// One loaded configuration file.
#[derive(Debug)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    dir: PathBuf,
    settings: Settings,
    include: Option<GlobSet>,
    exclude: GlobSet,
    overrides: Vec<(GlobSet, Override)>,
}

fn glob_set(path: &Path, key: &str, patterns: &[String]) -> Result<GlobSet, InputError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| {
            InputError::new(path.display().to_string(), format!("`{pattern}`: {e}")).field(key)
        })?;
        builder.add(glob);
        // `dir` also means everything under it, as in .gitignore.
        if !pattern.contains('*') {
            if let Ok(under) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/'))) {
                builder.add(under);
            }
        }
    }
    builder
        .build()
        .map_err(|e| InputError::new(path.display().to_string(), e.to_string()).field(key))
}

/// A TOML error placed at its line and column.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let mut err = InputError::new(path.display().to_string(), e.message().to_string());
    if let Some(span) = e.span() {
        let at = crate::span::line_col(text, span.start);
        err = err.at(at.line, Some(at.column));
    }
    err
}

impl Config {
    /// Reads `path` (a `batchscale.toml`, or a `pyproject.toml`, which gives
    /// `None` when it has no `[tool.batchscale]`).
    pub fn load(path: &Path) -> Result<Option<Config>, InputError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::new(&shown, format!("cannot read: {e}")))?;
        let settings: Settings = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            let project: PyProject =
                toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
            let Some(table) = project.tool.and_then(|t| t.batchscale) else {
                return Ok(None);
            };
            // The table's own positions are lost here; the message still
            // names the key, under `[tool.batchscale]`.
            table.try_into().map_err(|e: toml::de::Error| {
                InputError::new(&shown, e.message().to_string()).field("tool.batchscale")
            })?
        } else {
            toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?
        };
        let include = if settings.include.is_empty() {
            None
        } else {
            Some(glob_set(path, "include", &settings.include)?)
        };
        let exclude = glob_set(path, "exclude", &settings.exclude)?;
        let overrides = settings
            .overrides
            .iter()
            .map(|o| Ok((glob_set(path, "overrides.files", &o.files)?, o.clone())))
            .collect::<Result<_, InputError>>()?;
        Ok(Some(Config {
            path: path.to_path_buf(),
            dir: path.parent().unwrap_or(Path::new("")).to_path_buf(),
            settings,
            include,
            exclude,
            overrides,
        }))
    }

    /// `file` relative to the configuration's folder, with `/` separators.
    fn relative(&self, file: &Path) -> Option<String> {
        let absolute = std::path::absolute(file).ok()?;
        let relative = absolute.strip_prefix(&self.dir).ok()?;
        Some(relative.to_string_lossy().replace('\\', "/"))
    }

    /// Whether a file found by walking a directory is checked: it matches
    /// `include` (when given) and not `exclude`.
    pub fn selects(&self, file: &Path) -> bool {
        let Some(relative) = self.relative(file) else {
            return true;
        };
        let included = self.include.as_ref().is_none_or(|s| s.is_match(&relative));
        included && !self.exclude.is_match(&relative)
    }

    /// The settings for `file`: the file's, then every matching override's.
    pub fn for_file(&self, file: &Path) -> FileSettings {
        let mut out = FileSettings {
            allow: self.settings.allow.clone(),
            deny: self.settings.deny.clone(),
            define: self.settings.define.clone().into_iter().collect(),
        };
        let relative = self.relative(file).unwrap_or_default();
        for (set, o) in &self.overrides {
            if set.is_match(&relative) {
                out.allow.extend(o.allow.iter().cloned());
                out.deny.extend(o.deny.iter().cloned());
                for (name, value) in &o.define {
                    out.define.retain(|(n, _)| n != name);
                    out.define.push((name.clone(), value.clone()));
                }
            }
        }
        out
    }

    /// `base` with the limits the file sets.
    pub fn limits(&self, mut base: Limits) -> Limits {
        let l = self.settings.limits;
        if let Some(n) = l.max_chars {
            base.max_chars = n;
        }
        if let Some(n) = l.max_statements {
            base.max_statements = n;
        }
        if let Some(n) = l.max_nesting {
            base.max_nesting = n;
        }
        if let Some(n) = l.max_eval_steps {
            base.max_eval_steps = n;
        }
        base.clamped()
    }
}

/// Finds the configuration of each file, reading each folder once.
#[derive(Debug, Default)]
pub struct Discovery {
    by_dir: HashMap<PathBuf, Option<Rc<Config>>>,
}

impl Discovery {
    /// The configuration nearest to `file` (`-`: the current folder's).
    pub fn find(&mut self, file: &str) -> Result<Option<Rc<Config>>, InputError> {
        let start = if file == "-" {
            PathBuf::from(".")
        } else {
            Path::new(file)
                .parent()
                .unwrap_or(Path::new("."))
                .to_path_buf()
        };
        let start = std::path::absolute(if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &start
        })
        .map_err(|e| InputError::new(file, format!("cannot resolve its folder: {e}")))?;
        let mut visited = Vec::new();
        let mut found = None;
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            if let Some(known) = self.by_dir.get(d) {
                found = known.clone();
                break;
            }
            visited.push(d.to_path_buf());
            if let Some(config) = Self::in_dir(d)? {
                found = Some(Rc::new(config));
                break;
            }
            dir = d.parent();
        }
        for d in visited {
            self.by_dir.insert(d, found.clone());
        }
        Ok(found)
    }

    fn in_dir(dir: &Path) -> Result<Option<Config>, InputError> {
        for name in ["batchscale.toml", "pyproject.toml"] {
            let path = dir.join(name);
            if path.is_file() {
                if let Some(config) = Config::load(&path)? {
                    return Ok(Some(config));
                }
            }
        }
        Ok(None)
    }
}
