//! The per-file cache that makes re-runs cheap: a submission whose bytes, path and period
//! have not changed since the last run (under the same catalogue, limits and yeep
//! version) is not parsed again; its [`FileOutcome`] is read back from
//! `<output>/<plan>/.cache/`.
//!
//! One entry per file, keyed by the SHA-256 of everything that can change the outcome:
//! the [fingerprint](Cache::open) (yeep version, every catalogue file's bytes, the plan
//! id and catalogue version, the `[limits]` and `[[tuik]]` mappings), the path relative
//! to the input folder, the period and the SHA-256 of the file's bytes. The entries live
//! in one file, `outcomes.jsonl` (a line per entry: key, tab, JSON), read once when the
//! cache opens and rewritten by [`Cache::save`] with the entries of this run's files only
//! — one file, not one per input, because creating thousands of small files costs more
//! than parsing them on some file systems. It is written to a temporary file and renamed
//! into place, so a run that dies never leaves half a cache; a cache that cannot be read
//! is a miss. Values are stored with their exact bits, so a cached outcome is identical to
//! a parsed one and the outputs are byte-identical. Deleting `.cache/` is always safe.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::collect::FileOutcome;
use super::Pipeline;
use crate::sources::sha256_hex;

/// The cache folder of a plan's output folder.
pub const CACHE_DIR: &str = ".cache";

/// The file holding the entries, in [`CACHE_DIR`].
pub const CACHE_FILE: &str = "outcomes.jsonl";

/// A per-file outcome cache under `<output>/<plan>/.cache/`.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    fingerprint: String,
    /// The previous run's cache file and where each entry's JSON is in it.
    old: Vec<u8>,
    index: HashMap<String, Range<usize>>,
    /// This run's entries (hits and new ones), streamed to a temporary file as they come,
    /// so memory does not grow with the number of inputs; [`Cache::save`] renames it
    /// into place.
    next: Mutex<Option<std::io::BufWriter<std::fs::File>>>,
    next_path: PathBuf,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// What is stored: the outcome, plus every observation's value as its bit pattern (JSON
/// floats are not guaranteed to round-trip to the same bits when parsed).
#[derive(Deserialize)]
struct Entry {
    outcome: FileOutcome,
    value_bits: Vec<u64>,
}

/// [`Entry`] as written (borrowing the outcome).
#[derive(Serialize)]
struct EntryRef<'a> {
    outcome: &'a FileOutcome,
    value_bits: Vec<u64>,
}

impl Cache {
    /// Opens (creating if needed) the cache of `plan_dir` for pipeline `p`. The
    /// fingerprint covers the yeep version, the plan id and catalogue version, the bytes
    /// of every catalogue file, the resource limits and the `[[tuik]]` mappings, so
    /// editing the catalogue or a mapping invalidates every entry.
    pub fn open(p: &Pipeline, plan_dir: &Path) -> Cache {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update([0]);
        h.update(p.plan.id.as_bytes());
        h.update([0]);
        h.update(p.plan.catalogue_version.as_bytes());
        h.update([0]);
        h.update(format!("{:?}", p.limits).as_bytes());
        h.update([0]);
        h.update(format!("{:?}", p.tuik).as_bytes());
        for f in &p.catalogue_files {
            h.update([0]);
            h.update(f.to_string_lossy().as_bytes());
            h.update([0]);
            match std::fs::read(p.catalogue_dir.join(f)) {
                Ok(bytes) => h.update(&bytes),
                Err(e) => h.update(e.to_string().as_bytes()),
            }
        }
        let fingerprint = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let dir = plan_dir.join(CACHE_DIR);
        let old = std::fs::read(dir.join(CACHE_FILE)).unwrap_or_default();
        // Left by a run that died (the output lock is held, so no other run writes here).
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().starts_with(".tmp-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let mut index = HashMap::new();
        let mut at = 0;
        for line in old.split(|b| *b == b'\n') {
            if let Some(tab) = line.iter().position(|b| *b == b'\t') {
                if let Ok(key) = std::str::from_utf8(&line[..tab]) {
                    index.insert(key.to_string(), at + tab + 1..at + line.len());
                }
            }
            at += line.len() + 1;
        }
        let next_path = dir.join(format!(".tmp-{}-{CACHE_FILE}", std::process::id()));
        Cache {
            next_path,
            dir,
            fingerprint,
            old,
            index,
            next: Mutex::new(None),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The key of one file: its path relative to the input folder, its period and the
    /// SHA-256 of its bytes, under this cache's fingerprint.
    pub fn key(&self, rel: &str, period: &str, sha256: &str) -> String {
        sha256_hex(format!("{}\0{rel}\0{period}\0{sha256}", self.fingerprint).as_bytes())
    }

    /// The cached outcome for `key`, counting a hit or a miss.
    pub fn get(&self, key: &str) -> Option<FileOutcome> {
        let json = self.index.get(key).map(|r| &self.old[r.clone()]);
        let found = json
            .and_then(|bytes| serde_json::from_slice::<Entry>(bytes).ok())
            .filter(|e| e.value_bits.len() == e.outcome.observations.len())
            .map(|mut e| {
                for (o, bits) in e.outcome.observations.iter_mut().zip(&e.value_bits) {
                    o.value = f64::from_bits(*bits);
                }
                e.outcome
            });
        match (&found, json) {
            (Some(_), Some(bytes)) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.keep(key, bytes);
            }
            _ => {
                self.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        found
    }

    fn keep(&self, key: &str, json: &[u8]) {
        use std::io::Write;
        let mut next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if next.is_none() {
            let open = std::fs::create_dir_all(&self.dir).and_then(|()| std::fs::File::create(&self.next_path));
            match open {
                Ok(f) => *next = Some(std::io::BufWriter::new(f)),
                Err(e) => {
                    tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write the re-run cache");
                    return;
                }
            }
        }
        if let Some(w) = next.as_mut() {
            let line = [key.as_bytes(), b"\t", json, b"\n"];
            if line.iter().try_for_each(|part| w.write_all(part)).is_err() {
                // A broken entry would be skipped on reading; drop the whole file instead.
                *next = None;
                let _ = std::fs::remove_file(&self.next_path);
            }
        }
    }

    /// Stores `outcome` under `key` (in memory until [`Cache::save`]).
    pub fn put(&self, key: &str, outcome: &FileOutcome) {
        let entry = EntryRef {
            value_bits: outcome.observations.iter().map(|o| o.value.to_bits()).collect(),
            outcome,
        };
        if let Ok(json) = serde_json::to_vec(&entry) {
            self.keep(key, &json);
        }
    }

    /// Puts this run's entries (hits and new ones; entries of files no longer there are
    /// dropped) in place of the previous cache: the temporary file is flushed and
    /// renamed. A cache that cannot be written only costs the next run time, so errors
    /// are logged, not returned.
    pub fn save(&self) {
        let Some(w) = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        else {
            return;
        };
        // Every previous entry used and nothing new: the previous file is already right.
        if self.misses() == 0 && self.hits() == self.index.len() {
            drop(w);
            let _ = std::fs::remove_file(&self.next_path);
            return;
        }
        // No fsync: a cache lost in a crash is only a slower next run.
        let result = w
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|_| std::fs::rename(&self.next_path, self.dir.join(CACHE_FILE)));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&self.next_path);
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write the re-run cache");
        }
    }

    /// Files whose outcome came from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Files looked up and not found (parsed) so far.
    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }
}
