//! Expands the directories given to `check` into the files it can read.
//!
//! Walks with the `ignore` crate: `.gitignore` (and `.ignore`, and
//! `.git/info/exclude`) are respected, in a git repository or not; the
//! user's global git excludes are not, so that a run does not depend on the
//! machine. Hidden entries are skipped, symbolic links are followed (a loop
//! is reported as a note), and `--exclude GLOB` leaves out more. Paths stay
//! `OsStr` from the directory to the read, so a name that is not UTF-8 is
//! read exactly (and displayed lossily).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::extract::Carrier;

/// One path to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// As given, or as found under a directory given; `-` is standard input.
    pub path: PathBuf,
    /// Found by walking a directory (rather than named by the user).
    pub walked: bool,
}

impl Input {
    /// Whether this is standard input.
    pub fn is_stdin(&self) -> bool {
        !self.walked && self.path.as_os_str() == "-"
    }

    /// The path for messages (lossy where the name is not UTF-8).
    pub fn display(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

/// What walking one directory found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    /// The directory as given.
    pub root: String,
    /// Files of a known kind found under it.
    pub files: usize,
}

/// What expanding the paths found.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The files to check, in order.
    pub inputs: Vec<Input>,
    /// One summary per directory walked.
    pub walks: Vec<Walk>,
    /// Directories or entries that could not be read (the run fails).
    pub errors: Vec<String>,
    /// Symbolic link loops met (each entered once; the run goes on).
    pub notes: Vec<String>,
}

/// Expands `paths`: files and `-` stay as they are, directories become the
/// files of known kinds under them: each directory's files in name order,
/// then its subdirectories', depth first. `exclude` globs (relative to the
/// directory walked, as in `.gitignore`) leave out more.
pub fn expand(paths: &[OsString], exclude: &[String]) -> Expanded {
    let mut out = Expanded::default();
    for path in paths {
        let path = Path::new(path);
        if path.as_os_str() != "-" && path.is_dir() {
            let before = out.inputs.len();
            walk(path, exclude, &mut out);
            out.walks.push(Walk {
                root: path.to_string_lossy().into_owned(),
                files: out.inputs.len() - before,
            });
        } else {
            out.inputs.push(Input {
                path: path.to_path_buf(),
                walked: false,
            });
        }
    }
    out
}

fn walk(root: &Path, exclude: &[String], out: &mut Expanded) {
    let mut overrides = OverrideBuilder::new(root);
    for glob in exclude {
        if let Err(e) = overrides.add(&format!("!{glob}")) {
            out.errors.push(format!("--exclude {glob}: {e}"));
            return;
        }
    }
    let overrides = match overrides.build() {
        Ok(o) => o,
        Err(e) => {
            out.errors.push(format!("--exclude: {e}"));
            return;
        }
    };
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_global(false)
        .require_git(false)
        .follow_links(true)
        .overrides(overrides)
        .build();
    let mut found: Vec<PathBuf> = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_known(entry.file_name()) {
                    found.push(entry.into_path());
                }
            }
            Err(e) => match loop_of(&e) {
                Some((ancestor, child)) => out.notes.push(format!(
                    "{}: a symbolic link loop back to {}: not entered again",
                    child.to_string_lossy(),
                    ancestor.to_string_lossy()
                )),
                None => out.errors.push(e.to_string()),
            },
        }
    }
    // Today's order: a directory's files (by name), then its subdirectories.
    found.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    out.inputs
        .extend(found.into_iter().map(|path| Input { path, walked: true }));
}

/// The directory's components, then the file name: sorting by it lists a
/// directory's own files before those of its subdirectories.
fn order_key(path: &Path) -> (Vec<&std::ffi::OsStr>, Option<&std::ffi::OsStr>) {
    let dir = path
        .parent()
        .map(|p| p.iter().collect())
        .unwrap_or_default();
    (dir, path.file_name())
}

/// The two paths of a symbolic link loop, when that is what `e` reports.
fn loop_of(e: &ignore::Error) -> Option<(&Path, &Path)> {
    match e {
        ignore::Error::Loop { ancestor, child } => Some((ancestor, child)),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => loop_of(err),
        _ => None,
    }
}

/// Formula files (`.formula`) and the hosts `check` extracts formulas from.
fn is_known(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.to_ascii_lowercase().ends_with(".formula") || Carrier::from_extension(&name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_are_chosen_by_name() {
        for name in [
            "pool.formula",
            "azuredeploy.json",
            "main.tf.json",
            "pool.BICEP",
            "main.tf",
            "nextflow.config",
        ] {
            assert!(is_known(name.as_ref()), "{name}");
        }
        for name in ["README.md", "pool.yaml", "main.tfvars", "formula"] {
            assert!(!is_known(name.as_ref()), "{name}");
        }
    }

    #[test]
    fn a_directory_lists_its_files_before_its_subdirectories() {
        let mut paths: Vec<PathBuf> = ["r/b/x.tf", "r/z.tf", "r/a/y.tf", "r/a.tf", "r/a/b/w.tf"]
            .iter()
            .map(PathBuf::from)
            .collect();
        paths.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        let shown: Vec<_> = paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            shown,
            ["r/a.tf", "r/z.tf", "r/a/y.tf", "r/a/b/w.tf", "r/b/x.tf"]
        );
    }
}
