//! BIFF `.xls`, `.xlsx` and `.ods` sheets into [`Grid`]s, through calamine. calamine's
//! positions are relative to the range's start: it is added here, once.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};

use super::grid::{Cell, Grid, Merge};
use crate::normalise::NumberStyle;

/// Why a workbook could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("cannot open the workbook: {0}")]
    Open(String),
    #[error("sheet {sheet:?} not found (sheets: {})", available.join(", "))]
    SheetMissing { sheet: String, available: Vec<String> },
    #[error("cannot read sheet {sheet:?}: {message}")]
    Sheet { sheet: String, message: String },
}

/// An open workbook's sheet names and a way to read one of them.
pub struct Workbook {
    sheets: Sheets<Cursor<Vec<u8>>>,
    /// The file's bytes, for reading an `.xlsx` sheet's merged ranges without parsing
    /// the sheet twice.
    bytes: Vec<u8>,
}

impl Workbook {
    /// Opens a workbook from its bytes (xls, xlsx, ods; sniffed by calamine).
    ///
    /// # Errors
    ///
    /// [`WorkbookError::Open`] for anything calamine cannot open.
    pub fn open(bytes: Vec<u8>) -> Result<Workbook, WorkbookError> {
        let sheets =
            open_workbook_auto_from_rs(Cursor::new(bytes.clone())).map_err(|e| WorkbookError::Open(e.to_string()))?;
        Ok(Workbook { sheets, bytes })
    }

    /// The sheet names, in order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Reads one sheet (by name; `None` = the first) into a grid with its merged ranges.
    ///
    /// # Errors
    ///
    /// [`WorkbookError::SheetMissing`] when the sheet is not there, [`WorkbookError::Sheet`]
    /// when it cannot be read.
    pub fn grid(&mut self, sheet: Option<&str>) -> Result<Grid, WorkbookError> {
        let names = self.sheet_names();
        let name = match sheet {
            Some(s) => names
                .iter()
                .find(|n| n.as_str() == s)
                .cloned()
                .ok_or_else(|| WorkbookError::SheetMissing {
                    sheet: s.to_string(),
                    available: names.clone(),
                })?,
            None => names.first().cloned().ok_or_else(|| WorkbookError::SheetMissing {
                sheet: String::new(),
                available: Vec::new(),
            })?,
        };
        let range = self.sheets.worksheet_range(&name).map_err(|e| WorkbookError::Sheet {
            sheet: name.clone(),
            message: e.to_string(),
        })?;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        if let Some((r0, c0)) = range.start() {
            for (r, c, data) in range.used_cells() {
                let (row, col) = (r + r0 as usize, c + c0 as usize);
                let cell = match data {
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Bool(b) => Cell::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
                    Data::DateTime(d) => Cell::Number(d.as_f64()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                    // Excel's own spelling (`#DIV/0!`), as for submissions.
                    Data::Error(e) => Cell::Text(e.to_string()),
                    Data::Empty => Cell::Empty,
                };
                if rows.len() <= row {
                    rows.resize_with(row + 1, Vec::new);
                }
                if rows[row].len() <= col {
                    rows[row].resize(col + 1, Cell::Empty);
                }
                rows[row][col] = cell;
            }
        }
        let from_calamine = |dims: Vec<calamine::Dimensions>| -> Vec<Merge> {
            dims.iter()
                .map(|d| Merge {
                    first_row: d.start.0 as usize,
                    first_col: d.start.1 as usize,
                    last_row: d.end.0 as usize,
                    last_col: d.end.1 as usize,
                })
                .collect()
        };
        let merges = match &mut self.sheets {
            Sheets::Xls(x) => from_calamine(x.merge_cells_by_sheet_name(&name).unwrap_or_default()),
            // calamine reads merges by parsing the whole sheet XML a second time (a fifth
            // of a run's time on large tables); `<mergeCells>` follows the cells, so it is
            // found by a byte search from the end instead.
            Sheets::Xlsx(x) => match xlsx_merges(&self.bytes, &name) {
                Some(m) => m,
                None => from_calamine(x.merge_cells_by_sheet_name(&name).unwrap_or_default()),
            },
            _ => Vec::new(),
        };
        Ok(Grid::new(name, rows, merges, NumberStyle::Auto))
    }
}

/// The merged ranges of one sheet of an `.xlsx`, read from the `<mergeCells>` element at
/// the end of the sheet's XML without parsing its cells. `None` when anything is
/// unexpected (the caller then asks calamine).
pub fn xlsx_merges(bytes: &[u8], sheet: &str) -> Option<Vec<Merge>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut read = |name: &str| -> Option<Vec<u8>> {
        let mut entry = zip.by_name(name).ok()?;
        let mut out = Vec::with_capacity(entry.size().min(64 * 1024 * 1024) as usize);
        entry.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let workbook = read("xl/workbook.xml")?;
    let rels = read("xl/_rels/workbook.xml.rels")?;
    let rid = element_attrs(&workbook, "sheet")
        .into_iter()
        .find(|a| attr(a, "name").as_deref() == Some(sheet))
        .and_then(|a| attr(&a, "r:id"))?;
    let target = element_attrs(&rels, "Relationship")
        .into_iter()
        .find(|a| attr(a, "Id").as_deref() == Some(rid.as_str()))
        .and_then(|a| attr(&a, "Target"))?;
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    let xml = read(&path)?;
    let tail = find_last(&xml, b"<mergeCells").map_or(&xml[xml.len()..], |i| &xml[i..]);
    let mut merges = Vec::new();
    for a in element_attrs(tail, "mergeCell") {
        let r = attr(&a, "ref")?;
        let (first, last) = r.split_once(':').unwrap_or((&r, &r));
        let (r1, c1) = crate::model::CellRef::parse_one_based(first.as_bytes())?;
        let (r2, c2) = crate::model::CellRef::parse_one_based(last.as_bytes())?;
        merges.push(Merge {
            first_row: r1 as usize - 1,
            first_col: c1 as usize - 1,
            last_row: r2 as usize - 1,
            last_col: c2 as usize - 1,
        });
    }
    Some(merges)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

/// The attribute lists of every `<name …>` element in `xml`.
fn element_attrs(xml: &[u8], name: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e))
                if e.name().as_ref() == name =>
            {
                out.push(
                    e.attributes()
                        .flatten()
                        .map(|a| {
                            let raw: &str = a.value.as_ref();
                            let v =
                                quick_xml::escape::unescape(raw).map_or_else(|_| raw.to_string(), |v| v.into_owned());
                            (a.key.as_ref().to_string(), v)
                        })
                        .collect(),
                );
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn attr(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}
