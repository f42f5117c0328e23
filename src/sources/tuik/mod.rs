//! TÜİK-style statistics tables (`<input>/tuik/`): BIFF `.xls`, `.xlsx`, `.ods`, biruni
//! HTML saved as `.xls`, SDMX-CSV. Each file becomes a [`Grid`]; its layout is read from
//! its labels ([`layout`]); the `[[tuik]]` mappings of the pipeline file select cells
//! ([`extract`]); the cells become [`Observation`]s of the plan's context indicators.
//! See `docs/tuik.md`.

pub mod extract;
pub mod grid;
pub mod html;
pub mod layout;
pub mod sdmx;
pub mod workbook;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use grid::{cell_ref, Cell, Grid};

use self::extract::{extract, Selected, Value};
use self::workbook::{Workbook, WorkbookError};
use super::guard::{self, Hazard, Limits};
use super::sniff::{sniff, FileKind};
use super::{sha256_hex, FileAccount};
use crate::catalogue::Catalogue;
use crate::normalise::Sex;
use crate::observations::Observation;
use crate::pipeline::cache::{Cache, FileStamp};
use crate::pipeline::collect::FileOutcome;
use crate::pipeline::{Pipeline, TuikMapping};
use crate::progress::ProgressHandle;
use crate::validate::{tuik as checks, Diagnostic, Reason};

/// The unit id of every TÜİK observation.
pub const UNIT_ID: &str = "tuik";

/// Everything read from `<input>/tuik/`.
#[derive(Debug, Clone, Default)]
pub struct TuikRead {
    pub observations: Vec<Observation>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<FileAccount>,
    /// Files whose outcome came from the re-run cache (not parsed).
    pub cache_hits: usize,
    /// Files read and mapped (parsed) in this call.
    pub files_parsed: usize,
}

/// Why a file could not be turned into a grid.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is password-protected")]
    Encrypted,
    #[error("a {0} file is not a table")]
    NotATable(&'static str),
    #[error(transparent)]
    Workbook(#[from] WorkbookError),
    #[error(transparent)]
    Csv(#[from] sdmx::CsvError),
    #[error(transparent)]
    Hazard(#[from] Hazard),
}

impl LoadError {
    /// The reason code of a diagnostic about this error.
    pub fn reason(&self) -> Reason {
        match self {
            LoadError::Empty => Reason::FileEmpty,
            LoadError::Encrypted => Reason::FileEncrypted,
            LoadError::NotATable(_) => Reason::FileNotSpreadsheet,
            LoadError::Workbook(WorkbookError::SheetMissing { .. }) => Reason::TuikLayoutMismatch,
            LoadError::Workbook(_) | LoadError::Csv(_) | LoadError::Hazard(Hazard::Corrupt(_)) => Reason::FileCorrupt,
            LoadError::Hazard(h) if h.is_size() => Reason::FileTooLarge,
            LoadError::Hazard(_) => Reason::FileUnsafe,
        }
    }
}

/// Loads one sheet of a file into a grid, whatever the file really is (sniffed from its
/// bytes, not its name). `sheet` applies to workbooks; `None` takes the first sheet.
///
/// # Errors
///
/// [`LoadError`] when the file is empty, encrypted, not a table, corrupt, or lacks the sheet.
///
/// # Examples
///
/// ```
/// let g = yeep::sources::tuik::load_grid(b"A;B\r\n1;2,5\r\n".to_vec(), None).unwrap();
/// assert_eq!(g.cell(1, 1).text(), "2,5");
/// ```
pub fn load_grid(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Grid, LoadError> {
    load_grid_as(sniff(&bytes), bytes, sheet)
}

/// [`load_grid`] of bytes whose kind is known (a repacked zip is read as what the file was).
fn load_grid_as(kind: FileKind, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Grid, LoadError> {
    match kind {
        FileKind::Empty => Err(LoadError::Empty),
        FileKind::Encrypted => Err(LoadError::Encrypted),
        FileKind::Biff | FileKind::Ooxml | FileKind::Ods => Ok(Workbook::open(bytes)?.grid(sheet)?),
        FileKind::Html => Ok(html::read_html(&bytes)),
        FileKind::Text => Ok(sdmx::read_csv(&bytes)?),
        other => Err(LoadError::NotATable(other.as_str())),
    }
}

/// [`load_grid`] behind the same guard as submissions: a file larger than
/// `limits.max_file_bytes` is refused, and a zip-based workbook is pre-scanned with
/// [`guard::check_zip`] and a compound file (`.xls`) with [`guard::check_cfb`] before
/// calamine sees it (zip and entity bombs, cells that make
/// calamine allocate the whole sheet). This is what [`read_tuik`] and the `tuik_grid` fuzz
/// target call.
///
/// # Errors
///
/// [`LoadError::Hazard`] for a refused file, else as [`load_grid`].
///
/// # Examples
///
/// ```
/// use yeep::sources::{guard::Limits, tuik::load_grid_checked};
/// let err = load_grid_checked(b"PK\x03\x04 not a zip".to_vec(), None, &Limits::default()).unwrap_err();
/// assert_eq!(err.reason().code(), "file-corrupt");
/// ```
pub fn load_grid_checked(bytes: Vec<u8>, sheet: Option<&str>, limits: &Limits) -> Result<Grid, LoadError> {
    if bytes.starts_with(b"PK") {
        // Read from the repacked parts the guard inflated and checked.
        let kind = sniff(&bytes);
        let packed = guard::check_zip(&bytes, limits)?;
        drop(bytes);
        return load_grid_as(kind, packed, sheet);
    } else if sniff(&bytes) == FileKind::Biff {
        guard::check_cfb(&bytes, limits)?;
    } else if bytes.len() as u64 > limits.max_file_bytes {
        return Err(LoadError::Hazard(Hazard::FileTooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_file_bytes,
        }));
    }
    load_grid(bytes, sheet)
}

/// Reads every file under `<input_dir>/tuik/` through the pipeline's `[[tuik]]` mappings.
///
/// `period`: `None` keeps every year the mappings select; `Some("2023")` keeps values whose
/// period is 2023 or a range containing it (`2022-2023`). Files that match no mapping are
/// accounted with status `unmapped`. A table that does not fit its mapping is rejected
/// whole (`tuik-layout-mismatch`, located); `-`, `..`, `x` give no observation and a
/// `tuik-value-missing` warning. The consistency checks of [`checks`] are added.
///
/// # Examples
///
/// ```no_run
/// use yeep::pipeline::Pipeline;
/// let p = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref()).unwrap();
/// let cat = p.catalogue().unwrap();
/// let read = yeep::sources::tuik::read_tuik(&p, &cat, &p.input_dir, None);
/// assert!(read.diagnostics.iter().all(|d| d.severity() != yeep::validate::Severity::Error));
/// ```
pub fn read_tuik(p: &Pipeline, cat: &Catalogue, input_dir: &Path, period: Option<&str>) -> TuikRead {
    read_tuik_full(p, cat, input_dir, period, None, &ProgressHandle::default())
}

/// [`read_tuik`], telling `progress` about each file read.
pub fn read_tuik_with_progress(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: Option<&str>,
    progress: &ProgressHandle,
) -> TuikRead {
    read_tuik_full(p, cat, input_dir, period, None, progress)
}

/// [`read_tuik`] through the re-run cache: a file whose bytes, path and period are
/// unchanged (under the same pipeline file and catalogue) is not parsed again.
/// `TuikRead::cache_hits` and `files_parsed` say how many files came from each.
pub fn read_tuik_cached(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: Option<&str>,
    cache: Option<&Cache>,
) -> TuikRead {
    read_tuik_full(p, cat, input_dir, period, cache, &ProgressHandle::default())
}

/// What `yeep run` uses: the re-run cache when given, and progress.
pub fn read_tuik_full(
    p: &Pipeline,
    cat: &Catalogue,
    input_dir: &Path,
    period: Option<&str>,
    cache: Option<&Cache>,
    progress: &ProgressHandle,
) -> TuikRead {
    let mut out = TuikRead::default();
    let dir = input_dir.join("tuik");
    let config_file = p
        .path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let mut mappings: Vec<(usize, &TuikMapping, glob::Pattern)> = Vec::new();
    for (i, m) in p.tuik.iter().enumerate() {
        let ids: Vec<&String> = m
            .indicator
            .iter()
            .chain(m.rows.values())
            .chain(m.columns.values())
            .collect();
        let unknown: Vec<&&String> = ids.iter().filter(|id| cat.context_indicator(id).is_none()).collect();
        if !unknown.is_empty() {
            out.diagnostics.push(Diagnostic::file(
                Reason::TuikLayoutMismatch,
                &config_file,
                format!(
                    "[[tuik]] #{} ({}): unknown context indicator(s) {unknown:?}",
                    i + 1,
                    m.files
                ),
            ));
            continue;
        }
        match glob::Pattern::new(&m.files) {
            Ok(g) => mappings.push((i, m, g)),
            Err(e) => out.diagnostics.push(Diagnostic::file(
                Reason::TuikLayoutMismatch,
                &config_file,
                format!("[[tuik]] #{}: files = {:?} is not a glob: {e}", i + 1, m.files),
            )),
        }
    }
    let mut files = Vec::new();
    list_files(&dir, &mut files);
    files.sort();
    // One file per task; results merged in sorted file order, so the output does not
    // depend on the number of threads.
    progress.begin("TÜİK tables", files.len() as u64);
    let per_file: Vec<(TuikRead, bool)> = files
        .par_iter()
        .map(|path| {
            let r = read_one_cached(p, cat, &mappings, &dir, path, period, cache);
            progress.step();
            r
        })
        .collect();
    progress.end();
    for (one, hit) in per_file {
        if hit {
            out.cache_hits += 1;
        } else {
            out.files_parsed += 1;
        }
        out.observations.extend(one.observations);
        out.diagnostics.extend(one.diagnostics);
        out.files.extend(one.files);
    }
    progress.end();
    out.diagnostics.extend(checks::check_catalogue(cat));
    out.diagnostics
        .extend(checks::check_observations(cat, &out.observations));
    crate::observations::sort(&mut out.observations);
    out
}

/// Reads one file of `<input>/tuik/` through the applicable mappings, or takes its
/// outcome from the re-run cache when its bytes are unchanged. Returns whether it was a
/// cache hit.
fn read_one_cached(
    p: &Pipeline,
    cat: &Catalogue,
    mappings: &[(usize, &TuikMapping, glob::Pattern)],
    dir: &Path,
    path: &Path,
    period: Option<&str>,
    cache: Option<&Cache>,
) -> (TuikRead, bool) {
    let mut out = TuikRead::default();
    let rel_in_tuik = rel(path, dir);
    let rel_file = format!("tuik/{rel_in_tuik}");
    let cache_period = period.unwrap_or("*");
    let stamp = std::fs::metadata(path).ok().map(|m| FileStamp::of(&m));
    let hit = |c: &Cache, key: &str, out: &mut TuikRead| match c.get(key, &rel_file, cache_period, stamp) {
        Some(o) => {
            out.observations = o.observations;
            out.diagnostics = o.diagnostics;
            out.files.push(o.account);
            true
        }
        None => false,
    };
    // An unchanged file (same metadata as when it was hashed) is not read at all.
    if let (Some(c), Some(st)) = (cache, &stamp) {
        if let Some(sha) = c.known_sha256(&rel_file, cache_period, st) {
            if hit(c, &c.key(&rel_file, cache_period, sha), &mut out) {
                return (out, true);
            }
        }
    }
    let Ok(bytes) = std::fs::read(path) else {
        out.diagnostics
            .push(Diagnostic::file(Reason::FileCorrupt, &rel_file, "cannot read the file"));
        return (out, false);
    };
    let sha256 = sha256_hex(&bytes);
    let key = cache.map(|c| c.key(&rel_file, cache_period, &sha256));
    if let (Some(c), Some(k)) = (cache, &key) {
        if hit(c, k, &mut out) {
            return (out, true);
        }
    }
    let mut account = FileAccount {
        file: rel_file.clone(),
        bytes: bytes.len() as u64,
        sha256,
        source: "tuik".into(),
        unit_id: UNIT_ID.into(),
        period: period.unwrap_or_default().to_string(),
        status: "unmapped".into(),
        ..FileAccount::default()
    };
    let applicable: Vec<&(usize, &TuikMapping, glob::Pattern)> =
        mappings.iter().filter(|(_, _, g)| g.matches(&rel_in_tuik)).collect();
    let (mut ok, mut bad) = (0, 0);
    let mut grids: HashMap<Option<String>, Result<Grid, (Reason, String)>> = HashMap::new();
    for (_, m, _) in applicable {
        let grid = grids.entry(m.sheet.clone()).or_insert_with(|| {
            // A reader library that panics on a hostile file must not stop the run.
            let load = std::panic::AssertUnwindSafe(|| load_grid_checked(bytes.clone(), m.sheet.as_deref(), &p.limits));
            match std::panic::catch_unwind(load) {
                Ok(r) => r.map_err(|e| (e.reason(), e.to_string())),
                Err(_) => Err((Reason::FileInternalError, "the reader failed on this file".to_string())),
            }
        });
        let grid = match grid {
            Ok(g) => g,
            Err((reason, note)) => {
                let mut d = Diagnostic::file(*reason, &rel_file, note.as_str());
                d.sheet = m.sheet.clone().unwrap_or_default();
                out.diagnostics
                    .push(d.with_unit_period(UNIT_ID, period.unwrap_or_default()));
                bad += 1;
                continue;
            }
        };
        match extract(grid, m, cat.districts_index()) {
            Err(mm) => {
                bad += 1;
                out.diagnostics.push(
                    Diagnostic::cell(Reason::TuikLayoutMismatch, &rel_file, &grid.sheet, &mm.cell, "")
                        .with_note(mm.note)
                        .with_unit_period(UNIT_ID, period.unwrap_or_default()),
                );
            }
            Ok(selected) => {
                ok += 1;
                accept(p, cat, &rel_file, grid, selected, period, &mut account, &mut out);
            }
        }
    }
    if ok + bad > 0 {
        account.status = match (ok, bad) {
            (_, 0) => "accepted",
            (0, _) => "rejected",
            _ => "partial",
        }
        .into();
    }
    out.files.push(account);
    if let (Some(c), Some(k)) = (cache, &key) {
        c.put(
            k,
            &rel_file,
            cache_period,
            stamp,
            &FileOutcome {
                account: out.files[0].clone(),
                observations: out.observations.clone(),
                diagnostics: out.diagnostics.clone(),
                date: None,
                file_accepted: false,
                pending: None,
            },
        );
    }
    (out, false)
}

#[allow(clippy::too_many_arguments)]
fn accept(
    p: &Pipeline,
    cat: &Catalogue,
    rel_file: &str,
    grid: &Grid,
    selected: Vec<Selected>,
    period: Option<&str>,
    account: &mut FileAccount,
    out: &mut TuikRead,
) {
    let mut unit_checked: BTreeMap<String, ()> = BTreeMap::new();
    for s in selected {
        let Some(ctx) = cat.context_indicator(&s.indicator) else {
            continue;
        };
        if (!ctx.by_sex && s.sex != Sex::Total) || !in_period(&s.period, period) {
            continue;
        }
        if unit_checked.insert(s.indicator.clone(), ()).is_none() {
            if let Some(d) = checks::check_unit(ctx, &s.labels, rel_file, &grid.sheet) {
                out.diagnostics.push(d.with_unit_period(UNIT_ID, &s.period));
            }
        }
        account.values_read += 1;
        let cell = s.cell();
        let diag = |reason: Reason, note: &str| {
            Diagnostic::cell(reason, rel_file, &grid.sheet, &cell, &s.raw)
                .with_note(note)
                .with_unit_period(UNIT_ID, &s.period)
                .with_indicator(&s.indicator)
        };
        match s.value {
            Value::Number(v) => {
                account.values_accepted += 1;
                out.observations.push(Observation {
                    plan_id: p.plan.id.clone(),
                    period: s.period.clone(),
                    indicator_id: s.indicator.clone(),
                    theme: ctx.theme.clone(),
                    unit_id: UNIT_ID.into(),
                    district: s.district.clone(),
                    sex: s.sex,
                    age_group: None,
                    disability: None,
                    value: v,
                    source_file: rel_file.to_string(),
                    source_sheet: grid.sheet.clone(),
                    source_cell: cell.clone(),
                });
            }
            Value::NotReported | Value::NotAvailable | Value::Confidential => {
                account.values_rejected += 1;
                let what = match s.value {
                    Value::NotReported => "'-': none",
                    Value::NotAvailable => "'..': not available",
                    _ => "'x': confidential",
                };
                out.diagnostics.push(diag(Reason::TuikValueMissing, what));
            }
            Value::NotANumber => {
                account.values_rejected += 1;
                out.diagnostics.push(diag(Reason::ValueNotNumeric, "not a number"));
            }
        }
    }
}

/// Whether a value's period belongs to the period asked for: equal, or a range
/// (`2019-2021`) containing its year. `None` asks for every period.
fn in_period(value_period: &str, asked: Option<&str>) -> bool {
    let Some(asked) = asked else { return true };
    if value_period == asked {
        return true;
    }
    let year = |s: &str| s.get(..4).and_then(|y| y.parse::<u16>().ok());
    match (value_period.split_once('-'), year(asked)) {
        (Some((a, b)), Some(y)) => match (year(a), year(b)) {
            (Some(a), Some(b)) => (a..=b).contains(&y),
            _ => false,
        },
        _ => false,
    }
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            list_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn rel(path: &Path, base: &Path) -> String {
    let r = path.strip_prefix(base).unwrap_or(path);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
