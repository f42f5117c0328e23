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

/// Tidies up after runs that died (call it holding the lock): a period folder that a
/// dying run had moved aside (`.old-<period>-<pid>`) without putting the new one in place
/// is moved back; other `.old-*` and `.tmp-*` folders are removed, and so are half-written
/// files beside them (the plan workbooks' `.izleme-<plan>.xlsx.tmp-<pid>`) and in the
/// feed partitions (`feed/<table>/period=*/.part-*.tmp-*`).
pub fn clean_leftovers(parent: &Path) {
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if !e.path().is_dir() {
                if crate::sinks::atomic::is_temp_name(&name) {
                    let _ = std::fs::remove_file(e.path());
                }
                continue;
            }
            if let Some(period) = name
                .strip_prefix(".old-")
                .and_then(|r| r.rsplit_once('-'))
                .map(|(p, _)| p)
            {
                let final_dir = parent.join(period);
                if !period.is_empty() && !final_dir.exists() && std::fs::rename(e.path(), &final_dir).is_ok() {
                    tracing::warn!(folder = %final_dir.display(), "restored a period folder a dead run had moved aside");
                    continue;
                }
            }
            if name.starts_with(".tmp-") || name.starts_with(".old-") {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let partitions = std::fs::read_dir(parent.join("feed"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|table| std::fs::read_dir(table.path()).into_iter().flatten().flatten());
    for part in partitions {
        for f in std::fs::read_dir(part.path()).into_iter().flatten().flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = std::fs::remove_file(f.path());
            }
        }
    }
}

/// Moves a complete staging folder into place. On Linux the two folders are swapped in one
/// step (`renameat2` with `RENAME_EXCHANGE`), so at every moment `final_dir` is either the
/// complete old folder or the complete new one; the old one is then removed. Elsewhere, or
/// on a file system without the swap, the old folder is renamed aside and the new one
/// renamed in: a run killed between the two renames leaves no `final_dir` for that instant,
/// and the next run puts the old folder back ([`clean_leftovers`]).
///
/// # Errors
///
/// I/O errors; on failure the old folder is put back when possible.
pub fn replace_dir(staging: &Path, final_dir: &Path) -> Result<(), OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    let had_old = final_dir.exists();
    if had_old {
        match exchange(staging, final_dir) {
            // `staging` now holds the old folder.
            Ok(()) => return std::fs::remove_dir_all(staging).map_err(io(staging)),
            Err(e) => tracing::debug!(error = %e, "atomic exchange unavailable; renaming in two steps"),
        }
    }
    let parent = final_dir.parent().unwrap_or(Path::new("."));
    let name = final_dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let old = parent.join(format!(".old-{name}-{}", std::process::id()));
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

/// Swaps two existing paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call;
    // AT_FDCWD resolves relative paths against the working directory, as std::fs does.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Every file below `dir` (any depth), sorted: what a period folder holds, for the
/// manifest and the up-to-date records.
///
/// # Errors
///
/// The first folder that cannot be listed.
pub fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
