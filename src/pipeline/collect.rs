//! Collecting inputs: one collector for both input kinds. It lists the files of
//! `<input>/submissions/<period>/` or `<input>/tuik/` (any depth, one walk with one set of
//! skip rules), takes each unchanged file's outcome from the re-run cache or reads and
//! judges it (in parallel, one file per thread at a time), resolves resubmissions
//! (submissions only), and accounts for every value. Results are in sorted file order,
//! so the output does not depend on the number of threads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cache::{Cache, FileStamp, PendingBody};
use super::progress::ProgressHandle;
use super::Pipeline;
use crate::catalogue::Catalogue;
use crate::diagnostics::{Diagnostic, Note, Reason, Severity};
use crate::model::{observation, FileAccount, Observation, SourceKind};
use crate::sources::guard::Limits;
use crate::sources::sha256_hex;
use crate::validate::{self, resubmission, FileOutcome};

/// Everything one input kind gave for a period.
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
        self.diagnostics.iter().any(|d| d.severity() == Severity::Error)
    }

    /// Adds another collection (its files after this one's).
    pub fn extend(&mut self, other: Collected) {
        self.observations.extend(other.observations);
        self.diagnostics.extend(other.diagnostics);
        self.files.extend(other.files);
        self.cache_hits += other.cache_hits;
        self.files_parsed += other.files_parsed;
    }
}

/// How to collect: through the re-run cache or not, with progress or not, in parallel
/// (the default) or one file after another (for tests and comparisons).
#[derive(Clone, Copy)]
pub struct Options<'a> {
    pub cache: Option<&'a Cache>,
    pub progress: Option<&'a ProgressHandle>,
    pub parallel: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            cache: None,
            progress: None,
            parallel: true,
        }
    }
}

impl<'a> Options<'a> {
    /// Through `cache`.
    pub fn cached(cache: &'a Cache) -> Self {
        Options {
            cache: Some(cache),
            ..Options::default()
        }
    }
}

/// What a folder of the input holds: the regular files to read, and the entries that are
/// not read, with why (a stable code, see [`Note::EntrySkipped`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// (path, path relative to the input folder), sorted by the relative path.
    pub files: Vec<(PathBuf, String)>,
    /// (path relative to the input folder, why), sorted.
    pub skipped: Vec<(String, &'static str)>,
}

impl Listing {
    /// Each skipped entry as a located `entry-skipped` warning.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.skipped
            .iter()
            .map(|(rel, why)| {
                Diagnostic::file(
                    Reason::EntrySkipped,
                    rel.clone(),
                    Note::EntrySkipped { why: (*why).into() },
                )
            })
            .collect()
    }
}

/// The files under `folder` (inside `input_dir`), with their `/`-separated paths relative
/// to `input_dir`, sorted by that path. Only regular files inside the input folder are
/// read: FIFOs, sockets and devices, links that leave the input folder, dangle, or lead
/// back to a folder already listed (a loop), hidden files and folders, office lock files
/// and operating-system folder metadata are not — each is listed in
/// [`Listing::skipped`] with why (`.gitkeep`, which keeps empty folders in git, is passed
/// over silently). Every other file is a candidate, so a PDF or a strangely named file
/// dropped there is reported, not ignored. Nothing is opened here: a FIFO is never read.
pub fn list_files(input_dir: &Path, folder: &Path) -> Listing {
    use std::os::unix::fs::FileTypeExt;
    let root = std::fs::canonicalize(input_dir).unwrap_or_else(|_| input_dir.to_path_buf());
    let mut out = Listing::default();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    if let Ok(c) = std::fs::canonicalize(folder) {
        seen.insert(c);
    }
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if name == ".gitkeep" {
                continue;
            }
            let rel = relative(input_dir, &path);
            let skip = |out: &mut Listing, why: &'static str| out.skipped.push((rel.clone(), why));
            if let Some(why) = junk_kind(&name) {
                skip(&mut out, why);
                continue;
            }
            // (A name that is unsafe to pass on is judged as such, an error: `..x`.)
            if name.starts_with('.') && unsafe_name(&name).is_none() {
                skip(&mut out, "hidden");
                continue;
            }
            let Ok(own) = e.file_type() else { continue };
            // A link: where it leads must be inside the input folder, exist, and not be
            // a folder already listed.
            let (kind, real) = if own.is_symlink() {
                let Ok(target) = std::fs::canonicalize(&path) else {
                    skip(&mut out, "link-dangling");
                    continue;
                };
                if !target.starts_with(&root) {
                    skip(&mut out, "link-outside-input");
                    continue;
                }
                match std::fs::metadata(&target) {
                    Ok(m) => (m.file_type(), Some(target)),
                    Err(_) => {
                        skip(&mut out, "link-dangling");
                        continue;
                    }
                }
            } else {
                (own, None)
            };
            if kind.is_dir() {
                let canonical = real
                    .or_else(|| std::fs::canonicalize(&path).ok())
                    .unwrap_or_else(|| path.clone());
                if seen.insert(canonical) {
                    stack.push(path);
                } else {
                    skip(&mut out, "link-loop");
                }
            } else if kind.is_file() {
                out.files.push((path, rel));
            } else if kind.is_fifo() {
                skip(&mut out, "fifo");
            } else if kind.is_socket() {
                skip(&mut out, "socket");
            } else if kind.is_block_device() || kind.is_char_device() {
                skip(&mut out, "device");
            } else {
                skip(&mut out, "not-a-file");
            }
        }
    }
    out.files.sort_by(|a, b| a.1.cmp(&b.1));
    out.skipped.sort();
    out
}

/// Files no one sent on purpose, by name: Excel's and LibreOffice's lock files
/// (`~$x.xlsx`, `.~lock.x.xlsx#`), folder metadata of macOS (`.DS_Store`, `._x.xlsx`
/// AppleDouble files) and Windows (`Thumbs.db`, `desktop.ini`), `.gitkeep`.
pub fn is_junk(name: &str) -> bool {
    name == ".gitkeep" || junk_kind(name).is_some()
}

/// Why a name is junk: `office-lock` or `os-metadata`.
fn junk_kind(name: &str) -> Option<&'static str> {
    if name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#')) {
        Some("office-lock")
    } else if matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini") || name.starts_with("._") {
        Some("os-metadata")
    } else {
        None
    }
}

/// Why a file name is unsafe to pass on (into reports, logs, other programs): a `..`,
/// control characters, or bidirectional overrides that disguise the real extension.
pub fn unsafe_name(rel: &str) -> Option<Note> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.contains("..") {
        return Some(Note::NameHasDotDot);
    }
    if name.chars().any(|c| c.is_control()) {
        return Some(Note::NameHasControlCharacters);
    }
    if name
        .chars()
        .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'))
    {
        return Some(Note::NameHasBidiOverride);
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

/// An account with what is known before a file is judged: path, kind, period, size, hash.
fn account(rel: &str, source: SourceKind, period: &str, bytes: &[u8]) -> FileAccount {
    FileAccount {
        file: rel.to_string(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        source,
        period: period.to_string(),
        ..FileAccount::default()
    }
}

/// A file's outcome as the collector holds it: from the cache, its body may still be
/// unread.
struct Held {
    outcome: FileOutcome,
    pending: Option<PendingBody>,
    hit: bool,
}

/// Reads and judges one file through the re-run cache. `judge` turns the file's bytes and
/// its account so far into an outcome. Never panics: a panic inside becomes
/// `file-internal-error` (and is not cached). An unchanged file (same metadata as when it
/// was hashed) is not read at all. A file larger than `max_bytes` (`[limits]`
/// `max_file_bytes`) is refused from its size, unread; at most `max_bytes + 1` bytes are
/// ever read (a file that grows while it is read is refused too).
#[allow(clippy::too_many_arguments)]
fn one_file(
    path: &Path,
    rel: &str,
    source: SourceKind,
    period: &str,
    cache_period: &str,
    cache: Option<&Cache>,
    max_bytes: u64,
    judge: &(dyn Fn(&[u8], FileAccount) -> FileOutcome + Sync),
) -> Held {
    let from_cache = |(outcome, body): (FileOutcome, PendingBody)| Held {
        outcome,
        pending: Some(body),
        hit: true,
    };
    let fresh = |outcome| Held {
        outcome,
        pending: None,
        hit: false,
    };
    let refuse = |reason: Reason, note: Note| {
        fresh(validate::refused(
            account(rel, source, period, &[]),
            Diagnostic::file(reason, rel, note),
            period,
        ))
    };
    if let Some(why) = unsafe_name(rel) {
        return refuse(Reason::FileUnsafeName, why);
    }
    let meta = std::fs::metadata(path).ok();
    let stamp = meta.as_ref().map(FileStamp::of);
    if let (Some(cache), Some(st)) = (cache, &stamp) {
        if let Some(sha) = cache.known_sha256(rel, cache_period, st) {
            let key = cache.key(rel, cache_period, sha);
            if let Some(found) = cache.get_head(&key, rel, cache_period, stamp) {
                return from_cache(found);
            }
        }
    }
    let too_large = |bytes: u64| {
        refuse(
            Reason::FileTooLarge,
            Note::FileTooLarge {
                bytes,
                limit: max_bytes,
            },
        )
    };
    if let Some(size) = meta.as_ref().map(std::fs::Metadata::len).filter(|&n| n > max_bytes) {
        return too_large(size);
    }
    let bytes = match read_at_most(path, max_bytes) {
        Ok(b) if b.len() as u64 > max_bytes => return too_large(b.len() as u64),
        Ok(b) => b,
        Err(e) => return refuse(Reason::FileCorrupt, Note::FileUnreadable { error: e.to_string() }),
    };
    let acc = account(rel, source, period, &bytes);
    let key = cache.map(|c| c.key(rel, cache_period, &acc.sha256));
    if let (Some(c), Some(k)) = (cache, &key) {
        if let Some(found) = c.get_head(k, rel, cache_period, stamp) {
            return from_cache(found);
        }
    }
    let run = std::panic::AssertUnwindSafe(|| judge(&bytes, acc));
    match std::panic::catch_unwind(run) {
        Ok(o) => {
            if let (Some(c), Some(k)) = (cache, &key) {
                c.put(k, rel, cache_period, stamp, &o);
            }
            fresh(o)
        }
        Err(panic) => refuse(Reason::FileInternalError, Note::from_panic(&*panic)),
    }
}

/// The first `max + 1` bytes of a file (so a file over `max` is seen to be, without
/// reading it all).
fn read_at_most(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Collects a period's submissions (`<input>/submissions/<period>/`).
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use yeep::pipeline::{collect, Pipeline};
/// let p = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref())?;
/// let cat = p.catalogue()?;
/// let c = collect::submissions(&p, &cat, &p.input_dir, "2023", collect::Options::default());
/// for f in &c.files {
///     assert_eq!(f.values_read, f.values_accepted + f.values_rejected);
/// }
/// # Ok(()) }
/// ```
pub fn submissions(p: &Pipeline, cat: &Catalogue, input_dir: &Path, period: &str, opts: Options) -> Collected {
    let folder = input_dir.join("submissions").join(period);
    let mut listing = list_files(input_dir, &folder);
    // The receipts list beside the workbooks is not a workbook.
    let prefix = format!("submissions/{period}/");
    let receipts_rel = format!("{prefix}{}", super::receipts::FILE_NAME);
    listing.files.retain(|(_, rel)| *rel != receipts_rel);
    let receipts = super::receipts::read(
        &folder.join(super::receipts::FILE_NAME),
        &receipts_rel,
        p.limits.max_file_bytes,
    );
    let files = &listing.files;
    let judge = submission_judge(cat, &p.limits, period);
    let label = format!("{period} submissions");
    let mut c = Collected::default();
    // What is not read is said so, never dropped without a trace.
    c.diagnostics.extend(listing.diagnostics().into_iter().map(|mut d| {
        d.period = period.to_string();
        d
    }));
    let mut held: Vec<Held> = Vec::with_capacity(files.len());
    // The current winner of each unit's accepted files. A file that loses gives up its
    // values and diagnostics at once (the resubmission rule replaces them anyway), so
    // memory grows with the number of units, not of files.
    let mut best: BTreeMap<String, usize> = BTreeMap::new();
    judge_all(
        files,
        &label,
        opts,
        |path, rel| {
            one_file(
                path,
                rel,
                SourceKind::Submission,
                period,
                period,
                opts.cache,
                p.limits.max_file_bytes,
                &judge,
            )
        },
        |h| {
            let i = held.len();
            let unit = h.outcome.file_accepted.then(|| h.outcome.account.unit_id.clone());
            held.push(h);
            let Some(unit) = unit else { return };
            match best.get(&unit).copied() {
                None => {
                    best.insert(unit, i);
                }
                Some(b) => {
                    let loser = if resubmission::later(&held[i].outcome, &held[b].outcome).is_gt() {
                        best.insert(unit, i);
                        b
                    } else {
                        i
                    };
                    held[loser].outcome.observations = Vec::new();
                    held[loser].outcome.diagnostics = Vec::new();
                    held[loser].pending = None;
                }
            }
        },
    );
    // The rule marks the losers; a loser's body is never read.
    let pending: Vec<Option<PendingBody>> = held.iter().map(|h| h.pending).collect();
    let hits: Vec<bool> = held.iter().map(|h| h.hit).collect();
    let outcomes = resubmission::resolve(held.into_iter().map(|h| h.outcome).collect());
    let held: Vec<Held> = outcomes
        .into_iter()
        .zip(pending.into_iter().zip(hits))
        .map(|(outcome, (pending, hit))| {
            let pending = pending.filter(|_| outcome.account.status != crate::model::FileStatus::Superseded);
            Held { outcome, pending, hit }
        })
        .collect();
    finish(&mut c, held, files, opts.cache, |path, rel| {
        submission_file(cat, &p.limits, path, rel, period)
    });
    for f in &mut c.files {
        f.received = receipts.received(&f.file, &prefix);
    }
    c.diagnostics.extend(receipts.diagnostics.into_iter().map(|mut d| {
        d.period = period.to_string();
        d
    }));
    Diagnostic::sort(&mut c.diagnostics);
    c
}

/// Reads and judges one submission file (no cache): what [`submissions`] does for each.
pub fn submission_file(cat: &Catalogue, limits: &Limits, path: &Path, rel: &str, period: &str) -> FileOutcome {
    let judge = submission_judge(cat, limits, period);
    one_file(
        path,
        rel,
        SourceKind::Submission,
        period,
        period,
        None,
        limits.max_file_bytes,
        &judge,
    )
    .outcome
}

/// How a submission file of `period` is judged once read: its bytes and account so far
/// into an outcome.
fn submission_judge<'a>(
    cat: &'a Catalogue,
    limits: &'a Limits,
    period: &'a str,
) -> impl Fn(&[u8], FileAccount) -> FileOutcome + Sync + 'a {
    move |bytes: &[u8], acc: FileAccount| {
        let origin = validate::submission::Origin {
            file: &acc.file.clone(),
            period,
        };
        validate::submission::judge_file(cat, limits, bytes, acc, origin)
    }
}

/// Collects the TÜİK tables (`<input>/tuik/`) through the pipeline's `[[tuik]]`
/// mappings. `period`: `None` keeps every year the mappings select; `Some("2023")` keeps
/// values whose period is 2023 or a range containing it. Mappings that name an unknown
/// context indicator or have a bad glob are reported and left out; the consistency checks
/// of [`validate::tuik`] are added.
pub fn tuik(p: &Pipeline, cat: &Catalogue, input_dir: &Path, period: Option<&str>, opts: Options) -> Collected {
    let config_file = p
        .path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let (mappings, problems) = validate::tuik::check_mappings(&p.tuik, cat, &config_file);
    let listing = list_files(input_dir, &input_dir.join("tuik"));
    let files = &listing.files;
    let judge = |bytes: &[u8], acc: FileAccount| {
        let origin = validate::tuik::Origin {
            file: &acc.file.clone(),
            period,
            plan_id: &p.plan.id,
        };
        validate::tuik::judge_file(cat, &mappings, &p.limits, bytes, acc, origin)
    };
    let (account_period, cache_period) = (period.unwrap_or_default(), period.unwrap_or("*"));
    let mut c = Collected {
        diagnostics: problems,
        ..Collected::default()
    };
    c.diagnostics.extend(listing.diagnostics());
    let mut held = Vec::with_capacity(files.len());
    judge_all(
        files,
        "TÜİK tables",
        opts,
        |path, rel| {
            one_file(
                path,
                rel,
                SourceKind::Tuik,
                account_period,
                cache_period,
                opts.cache,
                p.limits.max_file_bytes,
                &judge,
            )
        },
        |h| held.push(h),
    );
    finish(&mut c, held, files, opts.cache, |path, rel| {
        one_file(
            path,
            rel,
            SourceKind::Tuik,
            account_period,
            cache_period,
            None,
            p.limits.max_file_bytes,
            &judge,
        )
        .outcome
    });
    // One context value from two files (a re-downloaded copy) is never summed.
    let duplicates = validate::tuik::check_duplicates(&mut c.observations, &mut c.files);
    c.diagnostics.extend(duplicates);
    c.diagnostics.extend(validate::tuik::check_catalogue(cat));
    c.diagnostics
        .extend(validate::tuik::check_observations(cat, &c.observations));
    c
}

/// Judges `files` in chunks, in parallel within a chunk, and hands each outcome to `fold`
/// in file order.
fn judge_all(
    files: &[(PathBuf, String)],
    label: &str,
    opts: Options,
    one: impl Fn(&Path, &str) -> Held + Sync,
    mut fold: impl FnMut(Held),
) {
    let progress = opts.progress;
    if let Some(pr) = progress {
        pr.begin(label, files.len() as u64);
    }
    let step = |(path, rel): &(PathBuf, String)| {
        let h = one(path, rel);
        if let Some(pr) = progress {
            pr.step();
        }
        h
    };
    let chunk = 16 * rayon::current_num_threads().max(1);
    for batch in files.chunks(chunk) {
        let results: Vec<Held> = if opts.parallel {
            batch.par_iter().map(step).collect()
        } else {
            batch.iter().map(step).collect()
        };
        results.into_iter().for_each(&mut fold);
    }
    if let Some(pr) = progress {
        pr.end();
    }
}

/// Reads the bodies of cached outcomes whose values are used (a damaged cache file means
/// judging the file after all, with `again`), logs each file and gathers everything into
/// `c`, observations in their canonical order.
fn finish(
    c: &mut Collected,
    mut held: Vec<Held>,
    files: &[(PathBuf, String)],
    cache: Option<&Cache>,
    again: impl Fn(&Path, &str) -> FileOutcome + Sync,
) {
    if let Some(cache) = cache {
        let paths: BTreeMap<&str, &Path> = files.iter().map(|(p, r)| (r.as_str(), p.as_path())).collect();
        held.par_iter_mut().for_each(|h| {
            let Some(body) = h.pending.take() else { return };
            if cache.load_body(&mut h.outcome, body).is_err() {
                if let Some(path) = paths.get(h.outcome.account.file.as_str()) {
                    h.outcome = again(path, &h.outcome.account.file.clone());
                }
            }
        });
    }
    for h in held {
        if h.hit {
            c.cache_hits += 1;
        } else {
            c.files_parsed += 1;
        }
        let o = h.outcome;
        tracing::info!(
            file = %o.account.file,
            unit = %o.account.unit_id,
            status = %o.account.status,
            read = o.account.values_read,
            accepted = o.account.values_accepted,
            rejected = o.account.values_rejected,
            "input file"
        );
        c.observations.extend(o.observations);
        c.diagnostics.extend(o.diagnostics);
        c.files.push(o.account);
    }
    observation::sort(&mut c.observations);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_at_most_stops_one_byte_past_the_limit() {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.as_file().set_len(10 << 30).unwrap();
        let bytes = read_at_most(tmp.path(), 1000).unwrap();
        assert_eq!(bytes.len(), 1001);
        std::fs::write(tmp.path(), b"abc").unwrap();
        assert_eq!(read_at_most(tmp.path(), 1000).unwrap(), b"abc");
    }
}
