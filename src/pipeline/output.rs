//! Safe output folders: a lock so two runs never write the same plan's outputs at once,
//! and atomic replacement of a period's folder so a run that dies half-way leaves the
//! previous outputs intact and readers never see a half-written folder.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The folder under `<output>/<plan>/` that holds the public files, and only them.
pub const PUBLIC_DIR: &str = "kamu";

/// Where a plan's outputs go. `public_dir` may be published whole: it holds only the
/// public editions and the public feeds. Everything else — the internal workbooks, the
/// validation reports (raw values of rejected cells), the manifests (unit names, input
/// files) — stays in `plan_dir` outside it, and the re-run cache (every raw value read)
/// lives in the state folder, never under the output folder the pipeline names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// `<output>/<plan>`: internal files, one folder per period.
    pub plan_dir: PathBuf,
    /// `<output>/<plan>/kamu`: the publishable folder.
    pub public_dir: PathBuf,
    /// `<state>/<plan>`: the re-run cache (`cache/`) and its lock.
    pub state_dir: PathBuf,
}

impl Layout {
    /// The layout of plan `plan_id` under output folder `output` and state folder `state`.
    pub fn new(output: &Path, state: &Path, plan_id: &str) -> Layout {
        let plan_dir = output.join(plan_id);
        Layout {
            public_dir: plan_dir.join(PUBLIC_DIR),
            plan_dir,
            state_dir: state.join(plan_id),
        }
    }

    /// A period's internal folder: `<output>/<plan>/<period>`.
    pub fn period_dir(&self, period: &str) -> PathBuf {
        self.plan_dir.join(period)
    }

    /// A period's public folder: `<output>/<plan>/kamu/<period>`.
    pub fn public_period_dir(&self, period: &str) -> PathBuf {
        self.public_dir.join(period)
    }

    /// The re-run cache: `<state>/<plan>/cache`.
    pub fn cache_dir(&self) -> PathBuf {
        self.state_dir.join("cache")
    }

    /// Refuses a state folder inside the publishable folder (or the publishable folder
    /// inside the state folder), compared lexically after making both absolute.
    ///
    /// # Errors
    ///
    /// [`OutputError::StateInsidePublic`].
    pub fn check(&self) -> Result<(), OutputError> {
        let abs = |p: &Path| {
            let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            super::config::lexically_normal(&p)
        };
        let (state, public) = (abs(&self.state_dir), abs(&self.public_dir));
        if state.starts_with(&public) || public.starts_with(&state) {
            return Err(OutputError::StateInsidePublic { state, public });
        }
        Ok(())
    }
}

/// Removes what an older yeep left in `plan_dir` where it must no longer be: the re-run
/// cache (raw values) in `.cache/`, and the public plan workbook and cumulative feed,
/// which now live in the publishable folder [`PUBLIC_DIR`]. Period folders need nothing:
/// each is replaced whole when written.
pub fn remove_old_layout(plan_dir: &Path, plan_id: &str) {
    let (_, public_workbook) = crate::sinks::plan_workbook::file_names(plan_id);
    for dir in [".cache", "feed"] {
        let path = plan_dir.join(dir);
        if path.is_dir() && std::fs::remove_dir_all(&path).is_ok() {
            tracing::info!(folder = %path.display(), "removed a folder of the old output layout");
        }
    }
    let path = plan_dir.join(public_workbook);
    if path.is_file() && std::fs::remove_file(&path).is_ok() {
        tracing::info!(file = %path.display(), "removed a file of the old output layout");
    }
}

/// Errors around the output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "another yeep run is writing {path} ({holder}; lock file {lock}); waited {waited:?}. Try again when it has finished"
    )]
    Locked {
        path: PathBuf,
        lock: PathBuf,
        /// Who holds it, as its lock file says (`pid 123 on host x since …`).
        holder: String,
        waited: Duration,
    },
    #[error(
        "the state folder {state} (re-run cache, raw values) lies inside the publishable folder {public}, or holds it; name another with [folders] state or --state"
    )]
    StateInsidePublic { state: PathBuf, public: PathBuf },
    #[error("cannot use output folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Holds the lock on a plan's output folder until dropped.
///
/// The lock is the kernel's (`flock`) on the folder itself, so it cannot be lost by
/// deleting a file, and it dies with its process: a run that was killed leaves no stale
/// lock. `.yeep.lock` in the folder says who holds it: process id, host and start time
/// (UTC), for the message a second run gives and for whoever looks.
#[derive(Debug)]
pub struct OutputLock {
    _dir: File,
    pub path: PathBuf,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Said only while held (the kernel lock itself goes with the handle).
        let _ = std::fs::write(&self.path, b"");
    }
}

/// The host name, for the lock record.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|f| std::fs::read_to_string(f).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// What `.yeep.lock` says of its holder: `pid 123 on host x since 2026-12-06T08:00:00Z`.
fn holder_record() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let since = chrono::DateTime::from_timestamp(secs, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    format!("pid {} on host {} since {since}", std::process::id(), host_name())
}

/// Takes the lock on `dir` (creating it), waiting up to `wait` for another run to finish.
///
/// # Errors
///
/// [`OutputError::Locked`] (naming the holder) when another process holds it past `wait`.
pub fn lock(dir: &Path, wait: Duration) -> Result<OutputLock, OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join(".yeep.lock");
    let handle = File::open(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let start = Instant::now();
    loop {
        match handle.try_lock() {
            Ok(()) => {
                std::fs::write(&path, format!("{}\n", holder_record())).map_err(|source| OutputError::Io {
                    path: path.clone(),
                    source,
                })?;
                return Ok(OutputLock { _dir: handle, path });
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= wait {
                    let holder = std::fs::read_to_string(&path)
                        .map(|s| s.trim().to_string())
                        .ok()
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "holder unknown".into());
                    return Err(OutputError::Locked {
                        path: dir.to_path_buf(),
                        lock: path,
                        holder,
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
            if let Some(period) = name
                .strip_prefix(".tmp-")
                .and_then(|r| r.rsplit_once('-'))
                .map(|(p, _)| p)
            {
                if roll_forward(parent, period, &e.path()) {
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

/// A run swaps a period's public folder into place, then its internal folder; one killed
/// between the two leaves the new public folder beside the old internal one, and the new
/// internal folder complete in its staging folder `staged`. When `staged` holds a manifest
/// whose public files are exactly what `<parent>/kamu/<period>/` now holds (names, sizes,
/// SHA-256), the swap is finished (returns `true`); otherwise the staging folder is an
/// unfinished one and is removed by the caller.
fn roll_forward(parent: &Path, period: &str, staged: &Path) -> bool {
    let Ok(text) = std::fs::read(staged.join("manifest.json")) else {
        return false;
    };
    let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&text) else {
        return false;
    };
    let Some(outputs) = manifest["outputs"].as_array() else {
        return false;
    };
    let prefix = format!("../{PUBLIC_DIR}/{period}/");
    let public_dir = parent.join(PUBLIC_DIR).join(period);
    let listed: Vec<(&str, &str)> = outputs
        .iter()
        .filter_map(|o| Some((o["file"].as_str()?.strip_prefix(&prefix)?, o["sha256"].as_str()?)))
        .collect();
    let present = files_under(&public_dir).unwrap_or_default();
    let matches = !listed.is_empty()
        && present.len() == listed.len()
        && listed.iter().all(|(file, sha)| {
            std::fs::read(public_dir.join(file)).is_ok_and(|b| crate::sources::sha256_hex(&b) == *sha)
        });
    if matches && replace_dir(staged, &parent.join(period)).is_ok() {
        tracing::warn!(
            period,
            "finished replacing a period folder a dead run had left half-swapped"
        );
        return true;
    }
    false
}

/// Moves a complete staging folder into place. On Linux the two folders are swapped in one
/// step (`renameat2` with `RENAME_EXCHANGE`), so at every moment `final_dir` is either the
/// complete old folder or the complete new one; the old one is then removed (if that
/// fails, the new folder is in place all the same: a logged warning, not an error; the next
/// run removes the leftover). Elsewhere, or
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
            // `staging` now holds the old folder. The new one is in place: failing to remove
            // the old one is a warning, never "nothing replaced" (the next run removes it).
            Ok(()) => {
                if let Err(e) = std::fs::remove_dir_all(staging) {
                    tracing::warn!(folder = %staging.display(), error = %e, "new outputs in place; the old folder could not be removed (the next run removes it)");
                }
                return Ok(());
            }
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
        if let Err(e) = std::fs::remove_dir_all(&old) {
            tracing::warn!(folder = %old.display(), error = %e, "new outputs in place; the old folder could not be removed (the next run removes it)");
        }
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
