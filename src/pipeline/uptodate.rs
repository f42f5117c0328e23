//! Which outputs are already up to date, so a re-run does not write them again.
//!
//! A run writes its outputs in units: a period's folder `<output>/<plan>/<period>/`, each
//! partition of the cumulative feed, and the plan-period workbooks (the two files
//! `<output>/<plan>/izleme-<plan>.xlsx` and `kamu/izleme-<plan>-kamu.xlsx`, one unit, from
//! the metric rows of every period they show); a period's unit is its internal folder and
//! its public folder `kamu/<period>/` together. For each unit it records, in
//! `<output>/<plan>/.yeep-outputs.json` (digests and file stamps only, no data; outside
//! the publishable folder), a digest of *everything the unit is written
//! from* (the build's identity, the pipeline, the catalogue files, the language and the unit's own data: its
//! observations, diagnostics, input accounts and metric rows) and the stamp (size,
//! times, inode) of every file it wrote. The next run computes the digest again from the
//! data it has just read; when it is the same and the unit's folders hold exactly the
//! recorded files, unchanged, the unit is left as it is — its bytes would be the same,
//! since every writer is deterministic (tests check that two runs are byte-identical).
//! Anything else — new data, a file touched, removed or added by hand, a record missing —
//! means the unit is written again. Deleting the record file is always safe.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::cache::FileStamp;

/// The record file in the plan folder.
pub const OUTPUTS_FILE: &str = ".yeep-outputs.json";

/// A running digest of the data an output unit is written from.
#[derive(Clone)]
pub struct Digest(Sha256);

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

/// Feeds `fmt::Write` output into the hash without building the string.
struct HashWriter<'a>(&'a mut Sha256);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl Digest {
    /// A digest of nothing yet (the build's identity enters through the cache
    /// fingerprint every output unit's digest starts from, see `pipeline::run`).
    pub fn new() -> Digest {
        let mut h = Sha256::new();
        h.update(b"yeep output digest 2");
        Digest(h)
    }

    /// Adds a labelled value, by its `Debug` form (every value's content, floats with
    /// their shortest exact representation; no hash maps, whose order varies).
    pub fn add(&mut self, label: &str, value: &impl Debug) -> &mut Digest {
        use std::fmt::Write as _;
        self.0.update([0]);
        self.0.update(label.as_bytes());
        self.0.update([0]);
        let _ = write!(HashWriter(&mut self.0), "{value:?}");
        self
    }

    /// Adds a labelled value by its compact binary form (postcard: every field, floats by
    /// their exact bits), several times faster than [`Digest::add`] for the large tables
    /// (observations, diagnostics, file accounts).
    pub fn add_serialized(&mut self, label: &str, value: &impl serde::Serialize) -> &mut Digest {
        self.0.update([1]);
        self.0.update(label.as_bytes());
        self.0.update([0]);
        match postcard::to_allocvec(value) {
            Ok(bytes) => self.0.update(&bytes),
            // (Cannot happen for the types digested; never let it pass as "unchanged".)
            Err(e) => self
                .0
                .update(format!("unserializable {e} {:?}", std::time::SystemTime::now()).as_bytes()),
        }
        self
    }

    /// The hex digest.
    pub fn finish(self) -> String {
        crate::sources::hex(&self.0.finalize())
    }
}

/// What was recorded for one output unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    digest: String,
    /// Every file in the unit's folders, relative to the plan folder, with its stamp.
    files: Vec<(String, FileStamp)>,
}

/// The records of a plan folder's outputs.
#[derive(Debug)]
pub struct UpToDate {
    plan_dir: PathBuf,
    records: BTreeMap<String, Record>,
}

impl UpToDate {
    /// Reads the records of `plan_dir` (none when missing or unreadable).
    pub fn open(plan_dir: &Path) -> UpToDate {
        let records = std::fs::read(plan_dir.join(OUTPUTS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        UpToDate {
            plan_dir: plan_dir.to_path_buf(),
            records,
        }
    }

    /// The files under `dirs` (relative to the plan folder; a path may also be a file),
    /// with their stamps, sorted.
    fn files(&self, dirs: &[PathBuf]) -> Option<Vec<(String, FileStamp)>> {
        let mut out = Vec::new();
        for d in dirs {
            let paths = if d.is_file() {
                vec![d.clone()]
            } else {
                super::output::files_under(d).ok()?
            };
            for path in paths {
                let meta = std::fs::metadata(&path).ok()?;
                let rel = path.strip_prefix(&self.plan_dir).ok()?.to_string_lossy().to_string();
                out.push((rel, FileStamp::of(&meta)));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Some(out)
    }

    /// Whether unit `name`, written to `dirs`, is up to date for data with `digest`.
    pub fn is_current(&self, name: &str, digest: &str, dirs: &[PathBuf]) -> bool {
        let Some(r) = self.records.get(name) else { return false };
        r.digest == digest && !r.files.is_empty() && self.files(dirs).as_ref() == Some(&r.files)
    }

    /// Forgets unit `name` (before its folders are replaced).
    pub fn forget(&mut self, name: &str) {
        self.records.remove(name);
    }

    /// Records unit `name` as written from data with `digest` into `dirs`.
    pub fn record(&mut self, name: &str, digest: String, dirs: &[PathBuf]) {
        if let Some(files) = self.files(dirs) {
            self.records.insert(name.to_string(), Record { digest, files });
        }
    }

    /// Writes the records (temporary file, then rename). Failing only costs the next run
    /// time, so errors are logged.
    pub fn save(&self) {
        let dir = self.plan_dir.clone();
        let result = std::fs::create_dir_all(&dir)
            .and_then(|()| serde_json::to_vec_pretty(&self.records).map_err(std::io::Error::other))
            .and_then(|bytes| {
                crate::sinks::atomic::write_with(&dir.join(OUTPUTS_FILE), |tmp| std::fs::write(tmp, bytes))
            });
        if let Err(e) = result {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot record which outputs are up to date");
        }
    }
}
