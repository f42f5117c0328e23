//! The one way yeep replaces a file: write a temporary file beside it (same folder, so the
//! same file system), then rename it over the target. A reader sees the old file or the
//! new one, never half of one; a write that fails removes its temporary file and leaves
//! the old file in place. Temporary files are named `.<name>.tmp-<pid>` (what
//! `pipeline::output::clean_leftovers` and the cache tidy up after a run that died).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary file beside `path` that [`write_with`] writes.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Whether a file name is one of [`temp_path`]'s (of any process).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp-")
}

/// Replaces `path` with what `write` writes into the temporary file it is given.
///
/// # Errors
///
/// The I/O error of `write` or of the rename; the temporary file is then removed.
pub fn write_with(path: &Path, write: impl FnOnce(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = write(&tmp).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Replaces `path` with `bytes`, flushed to disk before the rename.
///
/// # Errors
///
/// As [`write_with`].
///
/// # Examples
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("a.csv");
/// yeep::sinks::atomic::write(&path, b"x,y\n").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"x,y\n");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
/// ```
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |tmp| {
        let mut f = std::fs::File::create(tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_keeps_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.bin");
        write(&path, b"old").unwrap();
        let err = write_with(&path, |tmp| {
            std::fs::write(tmp, b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["index.bin"]);
        assert!(is_temp_name(&temp_path(&path).file_name().unwrap().to_string_lossy()));
    }
}
