//! Safe output folders: a lock so two runs never write the same plan's outputs at once,
//! and atomic replacement of a period's folder so a run that dies half-way leaves the
//! previous outputs intact and readers never see a half-written folder.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Errors around the output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "another yeep run is writing {path} (lock file {lock}); waited {waited:?}. Try again when it has finished"
    )]
    Locked {
        path: PathBuf,
        lock: PathBuf,
        waited: Duration,
    },
    #[error("cannot use output folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Holds the lock on a plan's output folder until dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
    pub path: PathBuf,
}

/// Takes the lock on `dir` (creating it), waiting up to `wait` for another run to finish.
///
/// # Errors
///
/// [`OutputError::Locked`] when another process holds it past `wait`.
pub fn lock(dir: &Path, wait: Duration) -> Result<OutputLock, OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join(".yeep.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| OutputError::Io {
            path: path.clone(),
            source,
        })?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(OutputLock { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= wait {
                    return Err(OutputError::Locked {
                        path: dir.to_path_buf(),
                        lock: path,
                        waited: start.elapsed(),
                    });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(OutputError::Io { path, source }),
        }
    }
}

/// A fresh staging folder beside `final_dir` (same file system, so rename is atomic).
///
/// # Errors
///
/// I/O errors creating it.
pub fn staging_dir(final_dir: &Path) -> Result<PathBuf, OutputError> {
    let parent = final_dir.parent().unwrap_or(Path::new("."));
    let name = final_dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = parent.join(format!(".tmp-{name}-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|source| OutputError::Io {
            path: tmp.clone(),
            source,
        })?;
    }
    std::fs::create_dir_all(&tmp).map_err(|source| OutputError::Io {
        path: tmp.clone(),
        source,
    })?;
    Ok(tmp)
}

/// Removes staging folders left behind by runs that died (`.tmp-*`, `.old-*`).
pub fn clean_leftovers(parent: &Path) {
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if (name.starts_with(".tmp-") || name.starts_with(".old-")) && e.path().is_dir() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// Moves a complete staging folder into place: the old folder is renamed aside, the new
/// one renamed in, then the old one removed. Each step is a rename, so at any moment the
/// folder is either the complete old one or the complete new one.
///
/// # Errors
///
/// I/O errors; on failure the old folder is put back when possible.
pub fn replace_dir(staging: &Path, final_dir: &Path) -> Result<(), OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    let parent = final_dir.parent().unwrap_or(Path::new("."));
    let name = final_dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let old = parent.join(format!(".old-{name}-{}", std::process::id()));
    let had_old = final_dir.exists();
    if had_old {
        std::fs::rename(final_dir, &old).map_err(io(final_dir))?;
    }
    if let Err(e) = std::fs::rename(staging, final_dir) {
        if had_old {
            let _ = std::fs::rename(&old, final_dir);
        }
        return Err(io(final_dir)(e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(())
}
