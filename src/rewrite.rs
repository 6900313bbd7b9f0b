//! Replacing a file's content atomically: a sibling temporary file, flushed
//! and synced, given the original's permissions, renamed over the original
//! (the final target of a symlink). Used by `fmt`, the REPL's `:save` and
//! `simulate --out`; see docs/guarantees-io.md for what this promises.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::input::read_file;

/// Why a rewrite did not happen; the original file is untouched in each case.
#[derive(Debug)]
pub enum RewriteError {
    /// The file's content is no longer what was read.
    Changed,
    /// Reading, writing, syncing or renaming failed.
    Io(std::io::Error),
}

impl std::fmt::Display for RewriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RewriteError::Changed => f.write_str(
                "the file changed since it was read; not rewritten (run again to format the new content)",
            ),
            RewriteError::Io(e) => write!(f, "cannot write: {e}"),
        }
    }
}

/// Writes `bytes` to `path` so that the file is either its old content or the
/// new one, never partial: a sibling temporary file is written, flushed and
/// synced, given the original's permissions, and renamed over the original.
/// A symlink is followed and its target rewritten; another hard link to the
/// file keeps the old content (the rename gives the name a new file).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, None).map_err(|e| match e {
        RewriteError::Io(e) => e,
        RewriteError::Changed => std::io::Error::other("changed"),
    })
}

/// [`write_atomic`], refusing when the file's bytes are no longer `expected`.
pub fn rewrite_if_unchanged(
    path: &Path,
    expected: &[u8],
    bytes: &[u8],
) -> Result<(), RewriteError> {
    replace(path, bytes, Some(expected))
}

fn replace(path: &Path, bytes: &[u8], expected: Option<&[u8]>) -> Result<(), RewriteError> {
    let target = resolve(path).map_err(RewriteError::Io)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let permissions = std::fs::metadata(&target).ok().map(|m| m.permissions());
    // A rename would replace a read-only file that a plain write may not touch.
    if permissions.as_ref().is_some_and(|p| p.readonly()) {
        return Err(RewriteError::Io(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        )));
    }
    let (temp_path, mut temp) = temp_file(&dir, &target).map_err(RewriteError::Io)?;
    let written = (|| {
        temp.write_all(bytes)?;
        temp.flush()?;
        if let Some(p) = permissions {
            temp.set_permissions(p)?;
        }
        temp.sync_all()
    })();
    drop(temp);
    let result = written.map_err(RewriteError::Io).and_then(|()| {
        if let Some(expected) = expected {
            let now = read_file(&target.to_string_lossy(), expected.len())
                .map_err(|_| RewriteError::Changed)?;
            if now != expected {
                return Err(RewriteError::Changed);
            }
        }
        std::fs::rename(&temp_path, &target).map_err(RewriteError::Io)
    });
    if result.is_err() {
        // The original is untouched; the half-written copy must not linger.
        let _ = std::fs::remove_file(&temp_path);
        return result;
    }
    // Make the rename itself durable; not every platform can sync a directory.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The file a rewrite of `path` must replace: the final target of a symlink.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// A new, empty file beside `target`, named after it and this process.
fn temp_file(dir: &Path, target: &Path) -> std::io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let mut attempt = 0u32;
    loop {
        let candidate = dir.join(format!(
            ".{name}.batchscale-{}-{attempt}.tmp",
            std::process::id()
        ));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("batchscale-rewrite-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = scratch("changed");
        let file = dir.join("f.txt");
        let _ = std::fs::write(&file, "edited by someone else\n");
        let result = rewrite_if_unchanged(&file, b"what fmt read\n", b"formatted\n");
        assert!(matches!(result, Err(RewriteError::Changed)));
        assert_eq!(
            std::fs::read_to_string(&file).ok().as_deref(),
            Some("edited by someone else\n")
        );
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["f.txt"]);
    }

    #[test]
    fn an_unchanged_file_is_replaced_and_a_new_one_created() {
        let dir = scratch("unchanged");
        let file = dir.join("f.txt");
        let _ = std::fs::write(&file, "old\n");
        assert!(rewrite_if_unchanged(&file, b"old\n", b"new\n").is_ok());
        assert_eq!(
            std::fs::read_to_string(&file).ok().as_deref(),
            Some("new\n")
        );
        let fresh = dir.join("fresh.txt");
        assert!(write_atomic(&fresh, b"x").is_ok());
        assert_eq!(std::fs::read(&fresh).ok().as_deref(), Some(&b"x"[..]));
    }
}
