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
    #[error("sheet {sheet:?} not found (sheets: {available})")]
    SheetMissing { sheet: String, available: String },
    #[error("cannot read sheet {sheet:?}: {message}")]
    Sheet { sheet: String, message: String },
}

/// An open workbook's sheet names and a way to read one of them.
pub struct Workbook {
    sheets: Sheets<Cursor<Vec<u8>>>,
}

impl Workbook {
    /// Opens a workbook from its bytes (xls, xlsx, ods; sniffed by calamine).
    ///
    /// # Errors
    ///
    /// [`WorkbookError::Open`] for anything calamine cannot open.
    pub fn open(bytes: Vec<u8>) -> Result<Workbook, WorkbookError> {
        let sheets = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| WorkbookError::Open(e.to_string()))?;
        Ok(Workbook { sheets })
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
                    available: names.join(", "),
                })?,
            None => names.first().cloned().ok_or_else(|| WorkbookError::SheetMissing {
                sheet: String::new(),
                available: String::new(),
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
                    Data::Error(e) => Cell::Text(format!("#{e:?}")),
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
        let dims = match &mut self.sheets {
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let merges = dims
            .iter()
            .map(|d| Merge {
                first_row: d.start.0 as usize,
                first_col: d.start.1 as usize,
                last_row: d.end.0 as usize,
                last_col: d.end.1 as usize,
            })
            .collect();
        Ok(Grid::new(name, rows, merges, NumberStyle::Auto))
    }
}
