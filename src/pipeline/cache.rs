//! The per-file cache that makes re-runs cheap: an input whose bytes, path and period
//! have not changed since the last run (under the same catalogue, limits and build of
//! yeep) is not parsed again; its [`FileOutcome`] is read back from
//! `<state>/<plan>/cache/`, in the state folder the pipeline file names
//! (`[folders] state`), never inside the output folder's publishable part: the cache
//! holds every raw value read, suppressed ones included.
//!
//! **Keys.** One entry per file, keyed by the SHA-256 of everything that can change the
//! outcome: the [fingerprint](Cache::open) (the build's identity, [`crate::BUILD_ID`];
//! every catalogue file's bytes,
//! the plan id and catalogue version, the `[limits]` and `[[tuik]]` mappings), the path
//! relative to the input folder, the period and the SHA-256 of the file's bytes.
//!
//! **Not reading unchanged files.** Each entry also records the file's size,
//! modification and change times (nanoseconds), inode and device when it was hashed. A
//! file whose metadata are all unchanged is taken to have the same bytes, as `git` and
//! `make` do, so a re-run does not read, let alone hash, the unchanged inputs. Any write
//! to a file changes its change time (`ctime`), which a user cannot set back.
//!
//! **Storage.** Entries live in append-only segment files `seg-<n>.bin` (each record: a
//! small head — the file's account, `Tarih`, whether accepted — then the body — its
//! observations and diagnostics — both in the compact binary `postcard` encoding, with
//! values' exact bits) and one index `index.bin` naming, for this run's inputs only,
//! where each record is. A run appends its new records to a new segment and rewrites
//! the index (temporary file, then rename), so a run that dies never leaves a half cache:
//! the previous index still names only complete records. Segments no longer named are
//! deleted; when more than half of the stored bytes are dead, the live records are
//! copied into one fresh segment. A re-run reads the index and the heads; a body is read
//! only when its values are used (not for a file superseded by a resubmission), so a
//! re-run's memory does not grow with the number of cached files. A cache that cannot be
//! read is a miss. Deleting the cache folder is always safe.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::Pipeline;
use crate::diagnostics::Diagnostic;
use crate::model::FileAccount;
use crate::model::Observation;
use crate::sources::sha256_hex;
use crate::validate::FileOutcome;

/// The index file in the cache folder.
pub const INDEX_FILE: &str = "index.bin";

/// Bumped whenever the stored layout changes: an index of another version is a miss.
const FORMAT: u32 = 3;

/// What identifies a file's bytes without reading them: size, modification and change
/// times in nanoseconds, inode and device (on other systems: size and modification time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp([i64; 7]);

impl FileStamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> FileStamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileStamp([
                meta.size() as i64,
                meta.mtime(),
                meta.mtime_nsec(),
                meta.ctime(),
                meta.ctime_nsec(),
                meta.ino() as i64,
                meta.dev() as i64,
            ])
        }
        #[cfg(not(unix))]
        {
            let m = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            FileStamp([
                meta.len() as i64,
                m.as_secs() as i64,
                i64::from(m.subsec_nanos()),
                0,
                0,
                0,
                0,
            ])
        }
    }
}

/// Where one record is: segment number, offset, head and body lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    seg: u32,
    offset: u64,
    head_len: u32,
    body_len: u32,
    /// CRC-32 of the head and of the body: a damaged record is a miss, never wrong values.
    head_crc: u32,
    body_crc: u32,
}

/// A cached outcome whose observations and diagnostics have not been read yet
/// (see [`Cache::get_head`] and [`Cache::load_body`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingBody(Location);

/// One line of the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexEntry {
    key: String,
    /// Path relative to the input folder and period, with the file's stamp and SHA-256
    /// when it was hashed.
    rel: String,
    period: String,
    stamp: Option<FileStamp>,
    sha256: String,
    at: Location,
}

#[derive(Serialize, Deserialize)]
struct Index {
    format: u32,
    entries: Vec<IndexEntry>,
}

#[derive(Serialize, Deserialize)]
struct Head {
    account: FileAccount,
    date: Option<String>,
    file_accepted: bool,
}

#[derive(Serialize, Deserialize)]
struct Body {
    observations: Vec<Observation>,
    diagnostics: Vec<Diagnostic>,
}

/// The segment this run appends to.
struct Writer {
    seg: u32,
    out: BufWriter<File>,
    len: u64,
}

/// A per-file outcome cache under `<state>/<plan>/cache/`.
pub struct Cache {
    dir: PathBuf,
    fingerprint: String,
    /// The previous run's entries by key, and by (path, period) for stamps.
    old: HashMap<String, IndexEntry>,
    stamps: HashMap<(String, String), (FileStamp, String)>,
    /// Open segment files, for reading records.
    segments: Mutex<HashMap<u32, std::sync::Arc<File>>>,
    /// This run's entries (hits and new ones).
    next: Mutex<Vec<IndexEntry>>,
    writer: Mutex<Option<Writer>>,
    /// The number the next new segment gets.
    next_seg: u32,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("dir", &self.dir)
            .field("entries", &self.old.len())
            .field("hits", &self.hits())
            .field("misses", &self.misses())
            .finish()
    }
}

fn segment_name(seg: u32) -> String {
    format!("seg-{seg}.bin")
}

fn segment_number(name: &str) -> Option<u32> {
    name.strip_prefix("seg-")?.strip_suffix(".bin")?.parse().ok()
}

/// Reads exactly `buf.len()` bytes at `offset`.
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

impl Cache {
    /// Opens (creating if needed) the cache in `dir` (`<state>/<plan>/cache`, see
    /// [`super::output::Layout::cache_dir`]) for pipeline `p`. The
    /// fingerprint covers the build's identity ([`crate::BUILD_ID`]: a hash of the sources it was built from), the plan id and catalogue version, the bytes
    /// of every catalogue file, the resource limits and the `[[tuik]]` mappings, so
    /// editing the catalogue or a mapping invalidates every entry.
    pub fn open(p: &Pipeline, dir: &Path) -> Cache {
        Cache::open_for_build(p, dir, crate::BUILD_ID)
    }

    /// [`Cache::open`] as the build `build` would (its identity, [`crate::BUILD_ID`] for
    /// the running binary): entries another build wrote are never found.
    pub fn open_for_build(p: &Pipeline, dir: &Path, build: &str) -> Cache {
        let fingerprint = fingerprint(p, build);
        let dir = dir.to_path_buf();
        let index: Vec<IndexEntry> = std::fs::read(dir.join(INDEX_FILE))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Index>(&bytes).ok())
            .filter(|i| i.format == FORMAT)
            .map(|i| i.entries)
            .unwrap_or_default();
        let live: HashSet<u32> = index.iter().map(|e| e.at.seg).collect();
        // Left by a run that died, or by an older layout (the output lock is held, so no
        // other run writes here).
        let mut max_seg = 0;
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let dead = match segment_number(&name) {
                Some(n) => {
                    max_seg = max_seg.max(n);
                    !live.contains(&n)
                }
                None => crate::sinks::atomic::is_temp_name(&name) || name == "outcomes.jsonl",
            };
            if dead {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let stamps = index
            .iter()
            .filter_map(|e| Some(((e.rel.clone(), e.period.clone()), (e.stamp?, e.sha256.clone()))))
            .collect();
        let old = index.into_iter().map(|e| (e.key.clone(), e)).collect();
        Cache {
            dir,
            fingerprint,
            old,
            stamps,
            segments: Mutex::new(HashMap::new()),
            next: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
            next_seg: max_seg + 1,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The key of one file: its path relative to the input folder, its period and the
    /// SHA-256 of its bytes, under this cache's fingerprint.
    pub fn key(&self, rel: &str, period: &str, sha256: &str) -> String {
        sha256_hex(format!("{}\0{rel}\0{period}\0{sha256}", self.fingerprint).as_bytes())
    }

    /// The SHA-256 the previous run computed for the file at `rel` (for `period`), if
    /// the file's metadata are the same as then, so the bytes need not be read.
    pub fn known_sha256(&self, rel: &str, period: &str, stamp: &FileStamp) -> Option<&str> {
        let (s, sha) = self.stamps.get(&(rel.to_string(), period.to_string()))?;
        (s == stamp).then_some(sha.as_str())
    }

    fn segment(&self, seg: u32) -> std::io::Result<std::sync::Arc<File>> {
        let mut open = self.segments.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(f) = open.get(&seg) {
            return Ok(f.clone());
        }
        let f = std::sync::Arc::new(File::open(self.dir.join(segment_name(seg)))?);
        open.insert(seg, f.clone());
        Ok(f)
    }

    fn read(&self, at: &Location, body: bool) -> Option<Vec<u8>> {
        let (offset, len, crc) = if body {
            (at.offset + u64::from(at.head_len), at.body_len, at.body_crc)
        } else {
            (at.offset, at.head_len, at.head_crc)
        };
        let mut buf = vec![0; len as usize];
        let f = self.segment(at.seg).ok()?;
        read_at(&f, &mut buf, offset).ok()?;
        (crc32fast::hash(&buf) == crc).then_some(buf)
    }

    /// The cached outcome for `key` without its observations and diagnostics, which
    /// [`Cache::load_body`] reads when they are needed; counts a hit or a miss. A hit is
    /// kept for the next run with `stamp`, the file's metadata when it was hashed.
    pub fn get_head(
        &self,
        key: &str,
        rel: &str,
        period: &str,
        stamp: Option<FileStamp>,
    ) -> Option<(FileOutcome, PendingBody)> {
        let entry = self.old.get(key);
        let found = entry.and_then(|e| {
            let head: Head = postcard::from_bytes(&self.read(&e.at, false)?).ok()?;
            let o = FileOutcome {
                account: head.account,
                date: head.date,
                file_accepted: head.file_accepted,
                ..FileOutcome::default()
            };
            Some((o, PendingBody(e.at)))
        });
        match (&found, entry) {
            (Some((o, _)), Some(e)) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.lock_next().push(IndexEntry {
                    key: key.to_string(),
                    rel: rel.to_string(),
                    period: period.to_string(),
                    stamp,
                    sha256: o.account.sha256.clone(),
                    at: e.at,
                });
            }
            _ => {
                self.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        found
    }

    /// The whole cached outcome for `key` (see [`Cache::get_head`]).
    pub fn get(&self, key: &str, rel: &str, period: &str, stamp: Option<FileStamp>) -> Option<FileOutcome> {
        let (mut o, body) = self.get_head(key, rel, period, stamp)?;
        match self.load_body(&mut o, body) {
            Ok(()) => Some(o),
            Err(()) => None,
        }
    }

    /// Reads the observations and diagnostics of an outcome from [`Cache::get_head`].
    /// An error means the cache file was damaged since it
    /// was opened: the caller parses the file instead.
    #[allow(clippy::result_unit_err)]
    pub fn load_body(&self, o: &mut FileOutcome, PendingBody(at): PendingBody) -> Result<(), ()> {
        let body: Body = self
            .read(&at, true)
            .and_then(|bytes| postcard::from_bytes(&bytes).ok())
            .ok_or(())?;
        o.observations = body.observations;
        o.diagnostics = body.diagnostics;
        Ok(())
    }

    fn lock_next(&self) -> std::sync::MutexGuard<'_, Vec<IndexEntry>> {
        self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores `outcome` under `key` for the file at `rel` (for `period`), hashed when its
    /// metadata were `stamp`. Appended to this run's segment at once, so memory does not
    /// grow with the number of inputs.
    pub fn put(&self, key: &str, rel: &str, period: &str, stamp: Option<FileStamp>, outcome: &FileOutcome) {
        let head = Head {
            account: outcome.account.clone(),
            date: outcome.date.clone(),
            file_accepted: outcome.file_accepted,
        };
        let body = Body {
            observations: outcome.observations.clone(),
            diagnostics: outcome.diagnostics.clone(),
        };
        let (Ok(head), Ok(body)) = (postcard::to_allocvec(&head), postcard::to_allocvec(&body)) else {
            return;
        };
        let at = {
            let mut w = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if w.is_none() {
                let seg = self.next_seg;
                let open =
                    std::fs::create_dir_all(&self.dir).and_then(|()| File::create(self.dir.join(segment_name(seg))));
                match open {
                    Ok(f) => {
                        *w = Some(Writer {
                            seg,
                            out: BufWriter::new(f),
                            len: 0,
                        })
                    }
                    Err(e) => {
                        tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write the re-run cache");
                        return;
                    }
                }
            }
            let Some(wr) = w.as_mut() else { return };
            if wr.out.write_all(&head).and_then(|()| wr.out.write_all(&body)).is_err() {
                // A half-written record must never be named: stop writing this run.
                *w = None;
                return;
            }
            let at = Location {
                seg: wr.seg,
                offset: wr.len,
                head_len: head.len() as u32,
                body_len: body.len() as u32,
                head_crc: crc32fast::hash(&head),
                body_crc: crc32fast::hash(&body),
            };
            wr.len += (head.len() + body.len()) as u64;
            at
        };
        self.lock_next().push(IndexEntry {
            key: key.to_string(),
            rel: rel.to_string(),
            period: period.to_string(),
            stamp,
            sha256: outcome.account.sha256.clone(),
            at,
        });
    }

    /// Makes this run's entries (hits and new ones; entries of files no longer there are
    /// dropped) the cache: the new segment is flushed, the index written to a temporary
    /// file and renamed, and segments no longer named are deleted (after copying the live
    /// records into one fresh segment when most stored bytes are dead). A cache that
    /// cannot be written only costs the next run time, so errors are logged, not returned.
    pub fn save(&self) {
        if let Err(e) = self.try_save() {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write the re-run cache");
        }
    }

    fn try_save(&self) -> std::io::Result<()> {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let new_seg = match writer {
            Some(w) => {
                let seg = w.seg;
                w.out.into_inner().map_err(|e| e.into_error())?;
                Some(seg)
            }
            None => None,
        };
        let mut entries = std::mem::take(&mut *self.lock_next());
        if new_seg.is_none() && self.misses() == 0 && entries.len() == self.old.len() {
            // Every previous entry used and nothing new: the index is already right (the
            // stamps too: a changed stamp with the same bytes would not be a full match).
            if entries
                .iter()
                .all(|e| self.stamps.get(&(e.rel.clone(), e.period.clone())).map(|s| s.0) == e.stamp)
            {
                return Ok(());
            }
        }
        // Keep one entry per key, in a stable order.
        entries.sort_by(|a, b| (&a.rel, &a.period, &a.key).cmp(&(&b.rel, &b.period, &b.key)));
        entries.dedup_by(|a, b| a.key == b.key);
        let live: u64 = entries
            .iter()
            .map(|e| u64::from(e.at.head_len) + u64::from(e.at.body_len))
            .sum();
        let mut segs: HashSet<u32> = entries.iter().map(|e| e.at.seg).collect();
        let stored: u64 = segs
            .iter()
            .filter_map(|s| std::fs::metadata(self.dir.join(segment_name(*s))).ok())
            .map(|m| m.len())
            .sum();
        if stored > 2 * live && stored > 1 << 20 {
            self.compact(&mut entries)?;
            segs = entries.iter().map(|e| e.at.seg).collect();
        }
        std::fs::create_dir_all(&self.dir)?;
        let bytes = postcard::to_allocvec(&Index {
            format: FORMAT,
            entries,
        })
        .map_err(std::io::Error::other)?;
        // No fsync: a cache lost in a crash is only a slower next run.
        crate::sinks::atomic::write_with(&self.dir.join(INDEX_FILE), |tmp| std::fs::write(tmp, bytes))?;
        for e in std::fs::read_dir(&self.dir)?.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if segment_number(&name).is_some_and(|n| !segs.contains(&n)) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Ok(())
    }

    /// Copies the records of `entries` into one new segment and points them there.
    fn compact(&self, entries: &mut [IndexEntry]) -> std::io::Result<()> {
        let seg = self.next_seg + 1;
        let mut out = BufWriter::new(File::create(self.dir.join(segment_name(seg)))?);
        let mut len = 0u64;
        for e in entries.iter_mut() {
            let total = (u64::from(e.at.head_len) + u64::from(e.at.body_len)) as usize;
            let mut buf = vec![0; total];
            read_at(&*self.segment(e.at.seg)?, &mut buf, e.at.offset)?;
            out.write_all(&buf)?;
            e.at = Location {
                seg,
                offset: len,
                ..e.at
            };
            len += total as u64;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }

    /// Files whose outcome came from the cache so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Files looked up and not found (parsed) so far.
    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    /// The fingerprint of the pipeline this cache was opened for (hex SHA-256).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// The hex SHA-256 of what every cached outcome depends on besides the file itself: the
/// build (`build`, the identity of the code that computes the outcomes), the plan and
/// catalogue, the limits and the `[[tuik]]` mappings.
pub(crate) fn fingerprint(p: &Pipeline, build: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(build.as_bytes());
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
    crate::sources::hex(&h.finalize())
}
