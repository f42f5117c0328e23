//! TÜİK-style statistics tables (`<input>/tuik/`): BIFF `.xls`, `.xlsx`, `.ods`, biruni
//! HTML saved as `.xls`, SDMX-CSV. Each file becomes a [`Grid`]; its layout is read from
//! its labels ([`layout`]); the `[[tuik]]` mappings of the pipeline file select cells
//! ([`extract`]); the cells become [`Observation`]s of the plan's context indicators.
//! See `docs/tuik.md`.

pub mod extract;
pub mod grid;
pub mod html;
pub mod inspect;
pub mod layout;
pub mod mapping;
pub mod sdmx;
pub mod workbook;

use std::collections::HashMap;

pub use grid::{Cell, Grid};
pub use mapping::{AreaSpec, SexLayout, TuikMapping};

use self::extract::{extract, Mismatch, Selected};
use self::workbook::{Workbook, WorkbookError};
use super::guard::{self, Hazard, Limits};
use super::sniff::{sniff, FileKind};
use crate::diagnostics::{Note, Reason};
use crate::normalise::DistrictIndex;

/// The unit id of every TÜİK observation.
pub const UNIT_ID: &str = "tuik";

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

    /// The note of a diagnostic about this error.
    pub fn note(&self) -> Note {
        match self {
            LoadError::Empty => Note::FileSize { bytes: 0 },
            LoadError::Encrypted => Note::None,
            LoadError::NotATable(kind) => Note::FileContent {
                kind: (*kind).to_string(),
            },
            LoadError::Workbook(WorkbookError::Open(error)) => Note::WorkbookUnreadable { error: error.clone() },
            LoadError::Workbook(WorkbookError::SheetMissing { available, .. }) if available.is_empty() => {
                Note::NoSheets
            }
            LoadError::Workbook(WorkbookError::SheetMissing { sheet, available }) => Note::SheetNotFound {
                sheet: sheet.clone(),
                sheets: available.clone(),
            },
            LoadError::Workbook(WorkbookError::Sheet { sheet, message }) => Note::SheetUnreadable {
                sheet: sheet.clone(),
                error: message.clone(),
            },
            LoadError::Csv(e) => Note::CsvUnreadable {
                line: e.line,
                error: e.message.clone(),
            },
            LoadError::Hazard(h) => h.note(),
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
        FileKind::Biff | FileKind::Ods if super::sniff::is_password_protected(&bytes, kind) => {
            Err(LoadError::Encrypted)
        }
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
/// calamine allocate the whole sheet). This is what [`read`] and the `tuik_grid` fuzz
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

/// What one `[[tuik]]` mapping made of a file.
#[derive(Debug)]
pub enum MappingRead {
    /// The sheet could not be loaded (the file is corrupt, unsafe, lacks the sheet …).
    Unreadable {
        sheet: Option<String>,
        reason: Reason,
        note: Note,
    },
    /// The table does not fit the mapping.
    Mismatch { sheet: String, mismatch: Mismatch },
    /// The cells the mapping selects.
    Selected { sheet: String, cells: Vec<Selected> },
}

/// Reads a TÜİK table's bytes through `mappings` (those whose `files` glob matched it), in
/// their order: each sheet is loaded once, behind the guard ([`load_grid_checked`]), and
/// each mapping selects its cells ([`extract`]). A reader library that panics on a hostile
/// file gives [`MappingRead::Unreadable`], never a panic.
pub fn read(bytes: &[u8], mappings: &[&TuikMapping], limits: &Limits, districts: &DistrictIndex) -> Vec<MappingRead> {
    let mut grids: HashMap<Option<String>, Result<Grid, (Reason, Note)>> = HashMap::new();
    let mut out = Vec::with_capacity(mappings.len());
    for m in mappings {
        let grid = grids.entry(m.sheet.clone()).or_insert_with(|| {
            let load = std::panic::AssertUnwindSafe(|| load_grid_checked(bytes.to_vec(), m.sheet.as_deref(), limits));
            match std::panic::catch_unwind(load) {
                Ok(r) => r.map_err(|e| (e.reason(), e.note())),
                Err(panic) => Err((Reason::FileInternalError, Note::from_panic(&*panic))),
            }
        });
        out.push(match grid {
            Err((reason, note)) => MappingRead::Unreadable {
                sheet: m.sheet.clone(),
                reason: *reason,
                note: note.clone(),
            },
            Ok(grid) => match extract(grid, m, districts) {
                Err(mismatch) => MappingRead::Mismatch {
                    sheet: grid.sheet.clone(),
                    mismatch,
                },
                Ok(cells) => MappingRead::Selected {
                    sheet: grid.sheet.clone(),
                    cells,
                },
            },
        });
    }
    out
}
