//! Expands the directories given to `check` into the files it can read.

use std::path::Path;

use crate::extract::Carrier;

/// One path to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// As given, or as found under a directory given.
    pub path: String,
    /// Found by walking a directory (rather than named by the user).
    pub walked: bool,
}

/// What walking one directory found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    /// The directory as given.
    pub root: String,
    /// Files of a known kind found under it.
    pub files: usize,
}

/// Expands `paths`: files and `-` stay as they are, directories become the
/// files of known kinds under them, in name order. Hidden entries (`.git`,
/// `.terraform`) and symbolic links to directories are not entered.
pub fn expand(paths: &[String]) -> (Vec<Input>, Vec<Walk>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut walks = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path != "-" && Path::new(path).is_dir() {
            let before = inputs.len();
            walk(Path::new(path), &mut inputs, &mut errors);
            walks.push(Walk {
                root: path.clone(),
                files: inputs.len() - before,
            });
        } else {
            inputs.push(Input {
                path: path.clone(),
                walked: false,
            });
        }
    }
    (inputs, walks, errors)
}

fn walk(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<String>) {
    // An explicit stack rather than recursion: directory depth is the user's.
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(format!("{}: cannot read directory: {e}", dir.display()));
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        names.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for entry in names {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                subdirs.push(path);
            } else if is_known(&name) && path.is_file() {
                inputs.push(Input {
                    path: path.to_string_lossy().into_owned(),
                    walked: true,
                });
            }
        }
        // Depth first, in name order: push the last subdirectory first.
        pending.extend(subdirs.into_iter().rev());
    }
}

/// Formula files (`.formula`) and the hosts `check` extracts formulas from.
fn is_known(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".formula") || Carrier::from_extension(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::is_known;

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
            assert!(is_known(name), "{name}");
        }
        for name in ["README.md", "pool.yaml", "main.tfvars", "formula"] {
            assert!(!is_known(name), "{name}");
        }
    }
}
