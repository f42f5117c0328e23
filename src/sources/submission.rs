//! Reading a unit's submission workbook: the only place calamine opens submissions.
//!
//! The reader finds structure — the `Bilgi` fields, the data sheet, its header row, the
//! columns and the data rows — and hands back raw cells with absolute references. What
//! the cells mean (numbers, indicators, districts, sums) is judged by
//! [`crate::validate::submission`].

use std::io::Cursor;

use calamine::{Data, Range, Reader};

use crate::diagnostics::{Note, Reason};
use crate::model::form::{is_data_sheet_name, is_info_sheet_name, is_totals_label, Col, InfoField, LIST_SHEET};
use crate::model::CellRef;
use crate::normalise::fold_words;
use crate::sources::guard::{self, Hazard, Limits};
use crate::sources::sniff::{sniff, FileKind};

/// Rows of `Bilgi` searched for labels.
pub const INFO_ROWS: usize = 20;
/// Rows of the data sheet searched for the header.
pub const HEADER_ROWS: usize = 30;

/// A file-level problem: the whole file is rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {note}", reason.code())]
pub struct FileProblem {
    pub reason: Reason,
    pub note: Note,
    /// Sheet and cell, when the problem has a place.
    pub sheet: String,
    pub cell: Option<CellRef>,
}

impl FileProblem {
    fn new(reason: Reason, note: Note) -> Self {
        FileProblem {
            reason,
            note,
            sheet: String::new(),
            cell: None,
        }
    }
}

/// A non-empty cell as found.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Number(f64),
    Text(String),
    /// An Excel error such as `#DIV/0!`.
    ExcelError(String),
}

impl RawValue {
    /// The value as text, for reports.
    pub fn display(&self) -> String {
        match self {
            RawValue::Number(v) => format_number(*v),
            RawValue::Text(s) | RawValue::ExcelError(s) => s.clone(),
        }
    }
}

/// A number as a person writes it: `12`, `12.5`.
pub use crate::normalise::format_number;

/// A non-empty cell with its absolute `F12` reference.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    pub cell: CellRef,
    pub value: RawValue,
}

/// A `Bilgi` field: its text and where its value was found.
#[derive(Debug, Clone, PartialEq)]
pub struct InfoValue {
    pub text: String,
    pub cell: CellRef,
    /// The date as `YYYY-MM-DD` when the cell is a date or a date-like text.
    pub date: Option<String>,
}

/// What the `Bilgi` sheet says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Info {
    /// The sheet's name as found.
    pub sheet: String,
    pub unit_name: Option<InfoValue>,
    pub unit_id: Option<InfoValue>,
    pub period: Option<InfoValue>,
    pub date: Option<InfoValue>,
}

/// One data row: the cells under the mapped columns.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// Absolute 0-based row.
    pub row: u32,
    /// The indicator-id cell (even when empty), `None` without that column.
    pub id_cell: Option<CellRef>,
    pub id: Option<String>,
    /// The district cell, `None` when there is no district column.
    pub district_cell: Option<CellRef>,
    pub district: Option<String>,
    pub female: Option<RawCell>,
    pub male: Option<RawCell>,
    pub total: Option<RawCell>,
    pub age_group: Option<String>,
    pub disability: Option<String>,
}

impl RawRow {
    /// The value cells present, as (column, cell).
    pub fn values(&self) -> impl Iterator<Item = (Col, &RawCell)> {
        [
            (Col::Female, &self.female),
            (Col::Male, &self.male),
            (Col::Total, &self.total),
        ]
        .into_iter()
        .filter_map(|(c, v)| v.as_ref().map(|v| (c, v)))
    }
}

/// A submission's structure as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    pub info: Info,
    /// The data sheet's name as found.
    pub data_sheet: String,
    /// Absolute header row (0-based).
    pub header_row: u32,
    pub rows: Vec<RawRow>,
    /// Texts cut to `[limits]` `max_cell_chars` (Excel's own limit is 32,767): the sheet,
    /// the cell (when known) and the length it had, in characters.
    pub cut_texts: Vec<CutText>,
}

/// A cell text longer than the limit, cut (see [`Submission::cut_texts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutText {
    pub sheet: String,
    pub cell: Option<CellRef>,
    pub chars: usize,
    /// The characters kept.
    pub limit: usize,
}

/// `text` without NUL and other control characters (tabs and line breaks kept), cut to
/// `max` characters; the length it had when it was longer.
fn clean_text(text: &mut String, max: usize) -> Option<usize> {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        text.retain(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
    }
    let chars = text.chars().count();
    if chars <= max {
        return None;
    }
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    text.truncate(end);
    Some(chars)
}

/// Cleans every text of a read submission ([`clean_text`]) and records the cut ones.
fn clean_texts(sub: &mut Submission, max: usize) {
    let mut cut = Vec::new();
    let info_sheet = sub.info.sheet.clone();
    for v in [
        &mut sub.info.unit_name,
        &mut sub.info.unit_id,
        &mut sub.info.period,
        &mut sub.info.date,
    ]
    .into_iter()
    .flatten()
    {
        if let Some(chars) = clean_text(&mut v.text, max) {
            cut.push(CutText {
                sheet: info_sheet.clone(),
                cell: Some(v.cell),
                chars,
                limit: max,
            });
        }
    }
    let sheet = sub.data_sheet.clone();
    for row in &mut sub.rows {
        let mut texts: Vec<(Option<CellRef>, &mut String)> = Vec::new();
        if let Some(t) = row.id.as_mut() {
            texts.push((row.id_cell, t));
        }
        if let Some(t) = row.district.as_mut() {
            texts.push((row.district_cell, t));
        }
        for t in [row.age_group.as_mut(), row.disability.as_mut()].into_iter().flatten() {
            texts.push((None, t));
        }
        for c in [row.female.as_mut(), row.male.as_mut(), row.total.as_mut()]
            .into_iter()
            .flatten()
        {
            if let RawValue::Text(t) | RawValue::ExcelError(t) = &mut c.value {
                texts.push((Some(c.cell), t));
            }
        }
        for (cell, t) in texts {
            if let Some(chars) = clean_text(t, max) {
                cut.push(CutText {
                    sheet: sheet.clone(),
                    cell,
                    chars,
                    limit: max,
                });
            }
        }
    }
    sub.cut_texts = cut;
}

/// Reads an untrusted submission file: what `yeep run` and the `submission` fuzz target
/// call. Zip-based workbooks and compound files (`.xls`) are pre-scanned by the
/// [`guard`] before calamine sees them (zip bombs, entity bombs, huge declared sizes and
/// cell extents, sector chains that loop or leave the file: all would abort the
/// process); a zip is read from the parts the guard inflated and checked. Any other file
/// larger than `limits.max_file_bytes` is refused.
///
/// # Errors
///
/// A [`FileProblem`]: `file-corrupt`, `file-too-large`, `file-unsafe` from the guard, else
/// as [`read_submission`].
pub fn read_untrusted(bytes: &[u8], limits: &Limits) -> Result<Submission, FileProblem> {
    let scan = if bytes.starts_with(b"PK") {
        Some(guard::check_zip(bytes, limits).map(Some))
    } else if sniff(bytes) == FileKind::Biff {
        // (An encrypted workbook is a compound file too, but is refused unread.)
        Some(guard::check_cfb(bytes, limits).map(|()| None))
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
            return Err(FileProblem::new(reason, h.note()));
        }
        None if bytes.len() as u64 > limits.max_file_bytes => {
            return Err(FileProblem::new(
                Reason::FileTooLarge,
                Note::FileTooLarge {
                    bytes: bytes.len() as u64,
                    limit: limits.max_file_bytes,
                },
            ));
        }
        None => None,
    };
    read_submission_as(bytes, repacked.as_deref().unwrap_or(bytes), limits)
}

/// Reads a submission workbook from its bytes. The file's kind is sniffed from its
/// content first, whatever its extension; calamine only reads cell values (macros in an
/// `.xlsm` are never run).
///
/// # Errors
///
/// A [`FileProblem`]: `file-empty`, `file-not-spreadsheet`, `file-encrypted`,
/// `file-corrupt`, `file-too-large`, `sheet-missing` or `header-missing`.
///
/// # Examples
///
/// ```
/// use yeep::sources::submission::read_submission;
/// let err = read_submission(b"a;b\n1;2\n").unwrap_err();
/// assert_eq!(err.reason.code(), "file-not-spreadsheet");
/// ```
pub fn read_submission(bytes: &[u8]) -> Result<Submission, FileProblem> {
    read_submission_as(bytes, bytes, &Limits::default())
}

/// [`read_submission`] of a file that [`guard::check_zip`](crate::sources::guard::check_zip)
/// has repacked: the file's own `bytes` are sniffed and measured, and calamine reads
/// `for_reader` (the checked, repacked parts), under `limits` (the pipeline's `[limits]`:
/// file size, data rows).
///
/// # Errors
///
/// As [`read_submission`].
pub fn read_submission_as(bytes: &[u8], for_reader: &[u8], limits: &Limits) -> Result<Submission, FileProblem> {
    let kind = sniff(bytes);
    match kind {
        FileKind::Empty => return Err(FileProblem::new(Reason::FileEmpty, Note::FileSize { bytes: 0 })),
        FileKind::Encrypted => return Err(FileProblem::new(Reason::FileEncrypted, Note::None)),
        k if !k.is_workbook() => {
            return Err(FileProblem::new(
                Reason::FileNotSpreadsheet,
                Note::FileContent {
                    kind: k.as_str().to_string(),
                },
            ))
        }
        _ => {}
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(FileProblem::new(
            Reason::FileTooLarge,
            Note::FileTooLarge {
                bytes: bytes.len() as u64,
                limit: limits.max_file_bytes,
            },
        ));
    }
    if crate::sources::sniff::is_password_protected(for_reader, kind) {
        return Err(FileProblem::new(Reason::FileEncrypted, Note::None));
    }
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(for_reader))
        .map_err(|e| FileProblem::new(Reason::FileCorrupt, Note::WorkbookUnreadable { error: e.to_string() }))?;
    let names = wb.sheet_names();
    let mut info = Info::default();
    if let Some(name) = names.iter().find(|n| is_info_sheet_name(n)) {
        let range = wb.worksheet_range(name).map_err(|e| sheet_unreadable(name, &e))?;
        info = read_info(name, &range);
    }
    // The data sheet: by name, else the only sheet with the header.
    let named: Vec<&String> = names.iter().filter(|n| is_data_sheet_name(n)).collect();
    let candidates: Vec<&String> = if named.is_empty() {
        names
            .iter()
            .filter(|n| !is_info_sheet_name(n) && n.as_str() != LIST_SHEET)
            .collect()
    } else {
        named.clone()
    };
    let mut found: Vec<FoundSheet> = Vec::new();
    for name in candidates {
        let range = wb.worksheet_range(name).map_err(|e| sheet_unreadable(name, &e))?;
        if let Some((row, cols)) = find_header(&range) {
            found.push((name.clone(), range, row, cols));
        }
    }
    drop(wb);
    let (sheet, range, header_rel, cols) = match found.len() {
        1 => found.pop().expect("one sheet"),
        0 if !named.is_empty() => {
            let mut p = FileProblem::new(Reason::HeaderMissing, Note::None);
            p.sheet = named[0].clone();
            return Err(p);
        }
        0 => {
            return Err(FileProblem::new(
                Reason::SheetMissing,
                Note::SheetsFound { sheets: names.clone() },
            ))
        }
        _ => {
            return Err(FileProblem::new(
                Reason::SheetMissing,
                Note::HeaderOnSeveralSheets {
                    sheets: found.iter().map(|f| f.0.clone()).collect(),
                },
            ));
        }
    };
    if range.height() > limits.max_data_rows {
        return Err(FileProblem::new(
            Reason::FileTooLarge,
            Note::TooManyRows {
                rows: range.height() as u64,
                limit: limits.max_data_rows as u64,
            },
        ));
    }
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let rows = read_rows(&range, header_rel, &cols);
    let mut sub = Submission {
        info,
        data_sheet: sheet,
        header_row: r0 + header_rel,
        rows: rows.into_iter().map(|r| absolute(r, r0, c0, &cols)).collect(),
        cut_texts: Vec::new(),
    };
    clean_texts(&mut sub, limits.max_cell_chars);
    Ok(sub)
}

/// A sheet calamine cannot read.
fn sheet_unreadable(sheet: &str, e: &dyn std::fmt::Display) -> FileProblem {
    FileProblem::new(
        Reason::FileCorrupt,
        Note::SheetUnreadable {
            sheet: sheet.to_string(),
            error: e.to_string(),
        },
    )
}

/// A sheet with a header: name, range, header row and mapped columns (relative).
type FoundSheet = (String, Range<Data>, u32, Vec<(Col, u32)>);

/// A cell's text, trimmed; `None` when empty.
fn text_of(d: &Data) -> Option<String> {
    let s = match d {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format_number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_to_iso(d.as_f64()).unwrap_or_else(|| format_number(d.as_f64())),
        Data::Error(e) => e.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

fn raw_value(d: &Data) -> Option<RawValue> {
    match d {
        Data::Empty => None,
        Data::Int(i) => Some(RawValue::Number(*i as f64)),
        Data::Float(f) => Some(RawValue::Number(*f)),
        Data::Error(e) => Some(RawValue::ExcelError(e.to_string())),
        Data::String(s) if s.trim().is_empty() => None,
        other => text_of(other).map(RawValue::Text),
    }
}

/// Excel serial day number (1900 system) to `YYYY-MM-DD`.
fn serial_to_iso(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01; serial 25569 = 1970-01-01 (Excel's 1900 leap bug is before).
    let days = serial.floor() as i64 - 25_569;
    let (y, m, d) = civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A date typed as text: `2024-02-10`, `10.02.2024`, `10/02/2024` → `2024-02-10`.
///
/// # Examples
///
/// ```
/// use yeep::sources::submission::parse_date_text;
/// assert_eq!(parse_date_text("10.02.2024").as_deref(), Some("2024-02-10"));
/// assert_eq!(parse_date_text("2024-2-1").as_deref(), Some("2024-02-01"));
/// assert_eq!(parse_date_text("şubat"), None);
/// ```
pub fn parse_date_text(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim().split(['.', '/', '-']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else {
        (n[2], n[1], n[0])
    };
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn read_info(sheet: &str, range: &Range<Data>) -> Info {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut info = Info {
        sheet: sheet.to_string(),
        ..Info::default()
    };
    for (r, row) in range.rows().take(INFO_ROWS).enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Some(field) = text_of(cell).and_then(|t| InfoField::parse(&t)) else {
                continue;
            };
            let Some((vc, value)) = row
                .iter()
                .enumerate()
                .skip(c + 1)
                .find_map(|(vc, d)| text_of(d).map(|t| (vc, (t, d))))
            else {
                continue;
            };
            let (text, data) = value;
            let date = match data {
                Data::DateTime(d) => serial_to_iso(d.as_f64()),
                Data::Float(f) if field == InfoField::Date => serial_to_iso(*f),
                _ => parse_date_text(&text),
            };
            let v = InfoValue {
                text,
                cell: CellRef::new(r0 + r as u32, c0 + vc as u32),
                date,
            };
            let slot = match field {
                InfoField::UnitName => &mut info.unit_name,
                InfoField::UnitId => &mut info.unit_id,
                InfoField::Period => &mut info.period,
                InfoField::Date => &mut info.date,
                InfoField::PreparedBy | InfoField::TemplateVersion => continue,
            };
            if slot.is_none() {
                *slot = Some(v);
            }
            break;
        }
    }
    info
}

/// The header row (relative) and the mapped columns (relative), when the range has one:
/// a row with the indicator-code column and at least one of Kadın/Erkek/Toplam.
fn find_header(range: &Range<Data>) -> Option<(u32, Vec<(Col, u32)>)> {
    for (r, row) in range.rows().take(HEADER_ROWS).enumerate() {
        let mut cols: Vec<(Col, u32)> = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(col) = text_of(cell).and_then(|t| Col::parse(&t)) {
                if !cols.iter().any(|(x, _)| *x == col) {
                    cols.push((col, c as u32));
                }
            }
        }
        let has_id = cols.iter().any(|(c, _)| *c == Col::Id);
        let has_value = cols.iter().any(|(c, _)| c.sex().is_some());
        if has_id && has_value {
            return Some((r as u32, cols));
        }
    }
    None
}

/// A row with relative coordinates (made absolute by [`absolute`]).
struct RelRow {
    row: u32,
    cells: Vec<(Col, u32, Data)>,
}

fn read_rows(range: &Range<Data>, header: u32, cols: &[(Col, u32)]) -> Vec<RelRow> {
    let mut out = Vec::new();
    for (r, row) in range.rows().enumerate().skip(header as usize + 1) {
        let cells: Vec<(Col, u32, Data)> = cols
            .iter()
            .filter_map(|(col, c)| row.get(*c as usize).map(|d| (*col, *c, d.clone())))
            .filter(|(_, _, d)| !matches!(d, Data::Empty))
            .collect();
        let get = |want: Col| {
            cells
                .iter()
                .find(|(c, _, _)| *c == want)
                .and_then(|(_, _, d)| text_of(d))
        };
        let id = get(Col::Id);
        let has_values = cells
            .iter()
            .any(|(c, _, d)| c.sex().is_some() && raw_value(d).is_some());
        // Blank rows, title/section rows, a repeated header, totals rows the unit added.
        let totals = match &id {
            Some(t) => is_totals_label(t),
            None => {
                get(Col::District).is_some_and(|d| is_totals_label(&d))
                    || get(Col::Name).is_some_and(|d| is_totals_label(&d))
            }
        };
        let repeated_header = id.as_deref().is_some_and(|t| Col::parse(t) == Some(Col::Id));
        if totals || repeated_header || (id.is_none() && !has_values) {
            continue;
        }
        out.push(RelRow { row: r as u32, cells });
    }
    out
}

fn absolute(rel: RelRow, r0: u32, c0: u32, cols: &[(Col, u32)]) -> RawRow {
    let row = r0 + rel.row;
    let cell_ref = |c: u32| CellRef::new(row, c0 + c);
    let col_ref = |want: Col| cols.iter().find(|(c, _)| *c == want).map(|(_, c)| cell_ref(*c));
    let find = |want: Col| rel.cells.iter().find(|(c, _, _)| *c == want);
    let text = |want: Col| find(want).and_then(|(_, _, d)| text_of(d));
    let value = |want: Col| {
        find(want).and_then(|(_, c, d)| {
            raw_value(d).map(|value| RawCell {
                cell: cell_ref(*c),
                value,
            })
        })
    };
    RawRow {
        row,
        id_cell: col_ref(Col::Id),
        id: text(Col::Id),
        district_cell: col_ref(Col::District),
        district: text(Col::District),
        female: value(Col::Female),
        male: value(Col::Male),
        total: value(Col::Total),
        age_group: text(Col::AgeGroup),
        disability: text(Col::Disability),
    }
}

/// Folded words of a file name without extension, for finding a unit or a year in it.
pub fn file_stem_words(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    fold_words(stem)
}

/// Every 4-digit year (1900–2100) standing alone in a file name.
///
/// # Examples
///
/// ```
/// use yeep::sources::submission::years_in_name;
/// assert_eq!(years_in_name("ilce-konak-2023 (1).xlsx"), vec![2023]);
/// assert!(years_in_name("rapor12345.xlsx").is_empty());
/// ```
pub fn years_in_name(file_name: &str) -> Vec<u16> {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    stem.split(|c: char| !c.is_ascii_digit())
        .filter(|s| s.len() == 4)
        .filter_map(|s| s.parse::<u16>().ok())
        .filter(|y| (1900..=2100).contains(y))
        .collect()
}
