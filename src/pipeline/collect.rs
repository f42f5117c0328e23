//! Collecting one period's submissions: list the files under
//! `<input>/submissions/<period>/` (any depth), read and judge each (in parallel, one
//! workbook per thread at a time), resolve resubmissions, and account for every value.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cache::{Cache, FileStamp};
use crate::catalogue::Catalogue;
use crate::observations::{self, Observation};
use crate::pipeline::Pipeline;
use crate::progress::ProgressHandle;
use crate::sources::guard::{self, Hazard, Limits};
use crate::sources::submission::{read_submission_as, FileProblem};
use crate::sources::{sha256_hex, FileAccount};
use crate::validate::submission::{judge, Origin};
use crate::validate::{Diagnostic, Reason};

/// Everything one period's submissions gave.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<FileAccount>,
    /// Files whose outcome came from the re-run cache (not parsed).
    pub cache_hits: usize,
    /// Files read and judged (parsed) in this run.
    pub files_parsed: usize,
}

impl Collected {
    /// Whether anything was rejected (an error-severity diagnostic).
    pub fn has_rejections(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == crate::validate::Severity::Error)
    }
}

/// One file's outcome before resubmissions are resolved.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileOutcome {
    pub account: FileAccount,
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    /// `Tarih` on `Bilgi` (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Whether the file as a whole was accepted (takes part in the resubmission rule).
    pub file_accepted: bool,
    /// For an outcome from the re-run cache: its observations and diagnostics, not read
    /// yet ([`Cache::load_body`]); a file superseded by a resubmission never needs them.
    #[serde(skip)]
    pub pending: Option<super::cache::PendingBody>,
}

/// The submission files of a period, sorted by their `/`-separated path relative to
/// `input_dir`. Only operating-system and editor junk is skipped (`.DS_Store`,
/// `Thumbs.db`, `desktop.ini`, Excel lock files `~$x`, hidden folders); every other file is
/// a candidate, so a PDF or a strangely named file dropped there is reported, not ignored.
pub fn list_files(input_dir: &Path, period: &str) -> Vec<(PathBuf, String)> {
    let root = input_dir.join("submissions").join(period);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            // The entry's type comes with the listing; only links need a `stat`.
            let (is_dir, is_file) = match e.file_type() {
                Ok(t) if !t.is_symlink() => (t.is_dir(), t.is_file()),
                _ => (path.is_dir(), path.is_file()),
            };
            if is_junk(&name) || (name.starts_with('.') && is_dir) {
                continue;
            }
            if is_dir {
                stack.push(path);
            } else if is_file {
                let rel = relative(input_dir, &path);
                out.push((path, rel));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

fn is_junk(name: &str) -> bool {
    name.starts_with("~$") || matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini" | ".gitkeep")
}

/// Why a file name is unsafe to pass on (into reports, logs, other programs): a `..`,
/// control characters, or bidirectional overrides that disguise the real extension.
pub fn unsafe_name(rel: &str) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.contains("..") {
        return Some("the name contains '..'");
    }
    if name.chars().any(|c| c.is_control()) {
        return Some("the name contains control characters");
    }
    if name
        .chars()
        .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'))
    {
        return Some("the name contains bidirectional-override characters that can disguise its extension");
    }
    None
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and judges one file. Never panics: a panic inside becomes
/// `file-internal-error`.
pub fn process_file(cat: &Catalogue, path: &Path, rel: &str, period: &str) -> FileOutcome {
    process_file_with(cat, &Limits::default(), path, rel, period)
}

/// [`process_file`] with the pipeline's resource limits for untrusted files.
pub fn process_file_with(cat: &Catalogue, limits: &Limits, path: &Path, rel: &str, period: &str) -> FileOutcome {
    process_file_cached(cat, limits, path, rel, period, None).0
}

/// [`process_file_with`] through the re-run cache: an unchanged file's outcome is read
/// back instead of parsing the file. Returns the outcome and whether it was a cache hit.
/// Outcomes of files whose reader panicked are not cached.
pub fn process_file_cached(
    cat: &Catalogue,
    limits: &Limits,
    path: &Path,
    rel: &str,
    period: &str,
    cache: Option<&Cache>,
) -> (FileOutcome, bool) {
    let run = || process_file_inner(cat, limits, path, rel, period, cache);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(o) => o,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            (
                refused(
                    account(rel, period, &[]),
                    Diagnostic::file(Reason::FileInternalError, rel, msg),
                    period,
                ),
                false,
            )
        }
    }
}

/// The outcome of a file refused as a whole, with its one file-level diagnostic.
fn refused(account: FileAccount, diagnostic: Diagnostic, period: &str) -> FileOutcome {
    let mut o = FileOutcome {
        account,
        ..FileOutcome::default()
    };
    o.account.status = "rejected".into();
    o.diagnostics.push(diagnostic.with_unit_period("", period));
    o
}

fn account(rel: &str, period: &str, bytes: &[u8]) -> FileAccount {
    FileAccount {
        file: rel.to_string(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        source: "submission".into(),
        period: period.to_string(),
        ..FileAccount::default()
    }
}

fn process_file_inner(
    cat: &Catalogue,
    limits: &Limits,
    path: &Path,
    rel: &str,
    period: &str,
    cache: Option<&Cache>,
) -> (FileOutcome, bool) {
    if let Some(why) = unsafe_name(rel) {
        return (
            refused(
                account(rel, period, &[]),
                Diagnostic::file(Reason::FileUnsafeName, rel, why),
                period,
            ),
            false,
        );
    }
    // An unchanged file (same metadata as when it was hashed) is not read at all.
    let stamp = std::fs::metadata(path).ok().map(|m| FileStamp::of(&m));
    if let (Some(cache), Some(st)) = (cache, &stamp) {
        if let Some(sha) = cache.known_sha256(rel, period, st) {
            let key = cache.key(rel, period, sha);
            if let Some(o) = cache.get_head(&key, rel, period, stamp) {
                return (o, true);
            }
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::file(Reason::FileCorrupt, rel, e.to_string());
            return (refused(account(rel, period, &[]), d, period), false);
        }
    };
    let acc = account(rel, period, &bytes);
    let Some(cache) = cache else {
        return (judge_bytes(cat, limits, bytes, acc, rel, period), false);
    };
    let key = cache.key(rel, period, &acc.sha256);
    if let Some(o) = cache.get_head(&key, rel, period, stamp) {
        return (o, true);
    }
    let o = judge_bytes(cat, limits, bytes, acc, rel, period);
    cache.put(&key, rel, period, stamp, &o);
    (o, false)
}

/// Reads and judges a file's bytes (`acc`: its account so far, with size and hash).
fn judge_bytes(
    cat: &Catalogue,
    limits: &Limits,
    bytes: Vec<u8>,
    acc: FileAccount,
    rel: &str,
    period: &str,
) -> FileOutcome {
    // Zip-based workbooks and compound files (`.xls`) are pre-scanned before calamine sees
    // them (zip bombs, entity bombs, huge declared sizes and cell extents, sector chains
    // that loop or leave the file: all would abort the process).
    // A zip comes back repacked: its parts inflated once and checked, for the reader.
    let scan = if bytes.starts_with(b"PK") {
        Some(guard::check_zip(&bytes, limits).map(Some))
    } else if crate::sources::sniff::sniff(&bytes) == crate::sources::sniff::FileKind::Biff {
        // (An encrypted workbook is a compound file too, but is refused unread.)
        Some(guard::check_cfb(&bytes, limits).map(|()| None))
    } else {
        None
    };
    let repacked = match scan {
        Some(Ok(packed)) => packed,
        Some(Err(h)) => {
            let reason = match h {
                Hazard::Corrupt(_) => Reason::FileCorrupt,
                ref h if h.is_size() => Reason::FileTooLarge,
                _ => Reason::FileUnsafe,
            };
            return refused(acc, Diagnostic::file(reason, rel, h.to_string()), period);
        }
        None if bytes.len() as u64 > limits.max_file_bytes => {
            let note = format!("{} bytes; the limit is {}", bytes.len(), limits.max_file_bytes);
            return refused(acc, Diagnostic::file(Reason::FileTooLarge, rel, note), period);
        }
        None => None,
    };
    // The workbook lives only inside read_submission.
    let sub = match read_submission_as(&bytes, repacked.as_deref().unwrap_or(&bytes)) {
        Ok(s) => s,
        Err(FileProblem {
            reason,
            note,
            sheet,
            cell,
        }) => {
            let mut d = Diagnostic::file(reason, rel, note);
            d.sheet = sheet;
            d.cell = cell;
            return refused(acc, d, period);
        }
    };
    drop(repacked);
    drop(bytes);
    let mut o = FileOutcome {
        account: acc,
        ..FileOutcome::default()
    };
    let j = judge(cat, &sub, Origin { file: rel, period });
    o.account.unit_id = j.unit_id;
    o.account.values_read = j.values_read;
    o.account.values_accepted = j.values_accepted;
    o.account.values_rejected = j.values_rejected;
    o.account.status = if j.file_accepted { "accepted" } else { "rejected" }.into();
    o.observations = j.observations;
    o.diagnostics = j.diagnostics;
    o.account.submitted = j.date.clone().unwrap_or_default();
    o.date = j.date;
    o.file_accepted = j.file_accepted;
    o
}

/// Collects a period's submissions, in parallel across files. Results are in sorted
/// file order, so the output does not depend on the number of threads.
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use yeep::pipeline::{collect_submissions, Pipeline};
/// let p = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref())?;
/// let cat = p.catalogue()?;
/// let c = collect_submissions(&p, &cat, &p.input_dir, "2023");
/// for f in &c.files {
///     assert_eq!(f.values_read, f.values_accepted + f.values_rejected);
/// }
/// # Ok(()) }
/// ```
pub fn collect_submissions(p: &Pipeline, cat: &Catalogue, input_dir: &Path, period: &str) -> Collected {
    collect_with(p, cat, input_dir, period, true, None, &ProgressHandle::default())
}

/// Like [`collect_submissions`], one file after another (for tests and comparisons).
pub fn collect_submissions_sequential(p: &Pipeline, cat: &Catalogue, input_dir: &Path, period: &str) -> Collected {
    collect_with(p, cat, input_dir, period, false, None, &ProgressHandle::default())
}

/// [`collect_submissions`] through the re-run cache ([`Cache`]): unchanged files are not
/// parsed; the result is the same as without the cache. `Collected::cache_hits` and
/// `files_parsed` say how many files came from each.
pub fn collect_submissions_cached(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: &str,
    cache: &Cache,
) -> Collected {
    collect_with(p, cat, input_dir, period, true, Some(cache), &ProgressHandle::default())
}

/// [`collect_submissions`], telling `progress` about each file read.
pub fn collect_submissions_with_progress(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: &str,
    progress: &ProgressHandle,
) -> Collected {
    collect_with(p, cat, input_dir, period, true, None, progress)
}

/// What `yeep run` uses: the re-run cache when given, and progress.
pub fn collect_submissions_full(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: &str,
    cache: Option<&Cache>,
    progress: &ProgressHandle,
) -> Collected {
    collect_with(p, cat, input_dir, period, true, cache, progress)
}

fn collect_with(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: &str,
    parallel: bool,
    cache: Option<&Cache>,
    progress: &ProgressHandle,
) -> Collected {
    let files = list_files(input_dir, period);
    progress.begin(&format!("{period} submissions"), files.len() as u64);
    let one = |(path, rel): &(PathBuf, String)| {
        let r = process_file_cached(cat, &p.limits, path, rel, period, cache);
        progress.step();
        r
    };
    let mut c = Collected::default();
    let mut outcomes: Vec<FileOutcome> = Vec::with_capacity(files.len());
    // The current winner of each unit's accepted files. A file that loses gives up its
    // values and diagnostics at once (the resubmission rule replaces them anyway), so
    // memory grows with the number of units, not of files.
    let mut best: BTreeMap<String, usize> = BTreeMap::new();
    // Files are judged in chunks, in parallel within a chunk, then folded in file order.
    let chunk = 16 * rayon::current_num_threads().max(1);
    for batch in files.chunks(chunk) {
        let results: Vec<(FileOutcome, bool)> = if parallel {
            batch.par_iter().map(one).collect()
        } else {
            batch.iter().map(one).collect()
        };
        for (o, hit) in results {
            if hit {
                c.cache_hits += 1;
            } else {
                c.files_parsed += 1;
            }
            let i = outcomes.len();
            if o.file_accepted {
                let unit = o.account.unit_id.clone();
                outcomes.push(o);
                match best.get(&unit).copied() {
                    None => {
                        best.insert(unit, i);
                    }
                    Some(b) => {
                        let loser = if later(&outcomes[i], &outcomes[b]) == Ordering::Greater {
                            best.insert(unit, i);
                            b
                        } else {
                            i
                        };
                        outcomes[loser].observations = Vec::new();
                        outcomes[loser].diagnostics = Vec::new();
                        outcomes[loser].pending = None;
                    }
                }
            } else {
                outcomes.push(o);
            }
        }
    }
    progress.end();
    let mut outcomes = resolve_resubmissions(outcomes);
    // Cached outcomes whose values are used: read their bodies now (a damaged cache
    // file means parsing the file after all).
    if let Some(cache) = cache {
        let paths: BTreeMap<&str, &Path> = files.iter().map(|(p, r)| (r.as_str(), p.as_path())).collect();
        outcomes.par_iter_mut().filter(|o| o.pending.is_some()).for_each(|o| {
            if cache.load_body(o).is_err() {
                if let Some(path) = paths.get(o.account.file.as_str()) {
                    *o = process_file_with(cat, &p.limits, path, &o.account.file.clone(), period);
                }
            }
        });
    }
    for o in outcomes {
        tracing::info!(
            file = %o.account.file,
            unit = %o.account.unit_id,
            status = %o.account.status,
            read = o.account.values_read,
            accepted = o.account.values_accepted,
            rejected = o.account.values_rejected,
            "submission"
        );
        c.observations.extend(o.observations);
        c.diagnostics.extend(o.diagnostics);
        c.files.push(o.account);
    }
    observations::sort(&mut c.observations);
    sort_diagnostics(&mut c.diagnostics);
    c
}

/// The resubmission rule: among the accepted files of one unit and period, the one with
/// the latest `Tarih` wins (a file without a readable `Tarih` counts as oldest); on a
/// tie, the one whose path sorts last. The others are `superseded`: their values are
/// counted as rejected and they get one `duplicate-submission` diagnostic naming the
/// winner.
pub fn resolve_resubmissions(mut outcomes: Vec<FileOutcome>) -> Vec<FileOutcome> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, o) in outcomes.iter().enumerate() {
        if o.file_accepted {
            groups.entry(o.account.unit_id.clone()).or_default().push(i);
        }
    }
    for idx in groups.values().filter(|v| v.len() > 1) {
        let winner = *idx
            .iter()
            .max_by(|a, b| later(&outcomes[**a], &outcomes[**b]))
            .expect("non-empty group");
        let note = format!(
            "kullanılan dosya: {} (Tarih {})",
            outcomes[winner].account.file,
            outcomes[winner].date.as_deref().unwrap_or("yok")
        );
        for &i in idx.iter().filter(|i| **i != winner) {
            let o = &mut outcomes[i];
            o.observations.clear();
            o.pending = None;
            o.diagnostics = vec![Diagnostic::file(Reason::DuplicateSubmission, &o.account.file, &note)
                .with_unit_period(&o.account.unit_id, &o.account.period)
                .with_value(o.date.clone().unwrap_or_default())];
            o.account.status = "superseded".into();
            o.account.values_accepted = 0;
            o.account.values_rejected = o.account.values_read;
        }
    }
    outcomes
}

fn later(a: &FileOutcome, b: &FileOutcome) -> Ordering {
    (a.date.is_some(), &a.date, &a.account.file).cmp(&(b.date.is_some(), &b.date, &b.account.file))
}

/// `F12` → (12, 6) for ordering; empty → (0, 0).
pub fn cell_order(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits: String = cell
        .chars()
        .skip(letters.len())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let col = letters.chars().fold(0u32, |acc, c| {
        acc * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)
    });
    (digits.parse().unwrap_or(0), col)
}

/// Sorts diagnostics by file, sheet, cell (row, then column), code.
pub fn sort_diagnostics(d: &mut [Diagnostic]) {
    d.sort_by(|a, b| {
        (&a.file, &a.sheet, cell_order(&a.cell), a.reason.code(), &a.indicator_id).cmp(&(
            &b.file,
            &b.sheet,
            cell_order(&b.cell),
            b.reason.code(),
            &b.indicator_id,
        ))
    });
}
