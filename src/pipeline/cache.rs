//! The per-file cache that makes re-runs cheap: a submission whose bytes, path and period
//! have not changed since the last run (under the same catalogue, limits and yeep
//! version) is not parsed again; its [`FileOutcome`] is read back from
//! `<output>/<plan>/.cache/`.
//!
//! One entry per file, named by the SHA-256 of everything that can change the outcome:
//! the [fingerprint](Cache::open) (yeep version, every catalogue file's bytes, the plan
//! id and catalogue version, the `[limits]`), the path relative to the input folder,
//! the period and the SHA-256 of the file's bytes. An entry is JSON, written to a
//! temporary file and renamed into place, so a run that dies never leaves half an entry;
//! an entry that cannot be read back is treated as a miss. Values are stored with their
//! exact bits, so a cached outcome is identical to a parsed one and the outputs are
//! byte-identical. Entries of files that disappeared are not pruned (they are small;
//! deleting `.cache/` is always safe).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::collect::FileOutcome;
use super::Pipeline;
use crate::sources::sha256_hex;

/// The cache folder of a plan's output folder.
pub const CACHE_DIR: &str = ".cache";

/// A per-file outcome cache under `<output>/<plan>/.cache/`.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    fingerprint: String,
    hits: AtomicUsize,
    misses: AtomicUsize,
    temp_counter: AtomicU64,
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
        Cache {
            dir: plan_dir.join(CACHE_DIR),
            fingerprint,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            temp_counter: AtomicU64::new(0),
        }
    }

    /// The key of one file: its path relative to the input folder, its period and the
    /// SHA-256 of its bytes, under this cache's fingerprint.
    pub fn key(&self, rel: &str, period: &str, sha256: &str) -> String {
        sha256_hex(format!("{}\0{rel}\0{period}\0{sha256}", self.fingerprint).as_bytes())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The cached outcome for `key`, counting a hit or a miss.
    pub fn get(&self, key: &str) -> Option<FileOutcome> {
        let found = std::fs::read(self.path(key))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Entry>(&bytes).ok())
            .filter(|e| e.value_bits.len() == e.outcome.observations.len())
            .map(|mut e| {
                for (o, bits) in e.outcome.observations.iter_mut().zip(&e.value_bits) {
                    o.value = f64::from_bits(*bits);
                }
                e.outcome
            });
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `outcome` under `key`, atomically (temporary file, then rename). A cache
    /// that cannot be written only costs the next run time, so errors are logged, not
    /// returned.
    pub fn put(&self, key: &str, outcome: &FileOutcome) {
        let entry = EntryRef {
            value_bits: outcome.observations.iter().map(|o| o.value.to_bits()).collect(),
            outcome,
        };
        let result = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(&self.dir)?;
            let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
            let n = self.temp_counter.fetch_add(1, Ordering::Relaxed);
            let tmp = self.dir.join(format!(".tmp-{}-{n}-{key}", std::process::id()));
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, self.path(key)).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
        })();
        if let Err(e) = result {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write a cache entry");
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
