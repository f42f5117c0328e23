//! Shared helpers for every workbook yeep writes: deterministic document properties, a
//! header format, and tidy tables (frozen header, filters, sized columns) whose text cells
//! are always written as strings, never as formulas; long texts wrap in rows tall enough.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn, Workbook, Worksheet, XlsxError,
};

use crate::sinks::print::{fit_row, fit_row_to_lines, wrapped_lines, BOLD_WIDTH};

/// One cell of a tidy table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}

/// Excel's default column width (characters).
pub const DEFAULT_WIDTH: f64 = 8.43;

impl From<crate::metrics::MetricValue> for Cell {
    fn from(v: crate::metrics::MetricValue) -> Self {
        match v {
            crate::metrics::MetricValue::Text(t) => t.map_or(Cell::Empty, Cell::Text),
            crate::metrics::MetricValue::Number(v) => v.into(),
            crate::metrics::MetricValue::Flag(b) => b.into(),
        }
    }
}

/// Deflate level of the workbooks `yeep run` writes (monitoring workbooks, validation
/// report): level 2 saves in about 0.57 of the time of the default 6 for files about 11 %
/// larger (rust_xlsxwriter's performance notes); compressing was the largest part of
/// writing a period's outputs. Inputs yeep generates (templates, demo) keep the default.
pub const ZIP_LEVEL: u8 = 2;

/// A workbook with fixed document properties, so the same content gives the same bytes.
/// `year` is the data's period (the creation date is set to 1 January of it).
pub fn deterministic_workbook(title: &str, year: u16) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(year.clamp(1900, 9999), 1, 1)?;
    let props = DocProperties::new()
        .set_title(title)
        .set_author("yeep")
        .set_company("yeep")
        .set_creation_datetime(&date);
    wb.set_properties(&props);
    Ok(wb)
}

/// The bold, shaded, wrapped header format.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border_bottom(FormatBorder::Thin)
        .set_text_wrap()
}

/// Writes `headers` and `rows` at the top of `ws` as an Excel Table (filters, banded rows)
/// with a frozen header row and sized columns. `widths` gives column widths (characters);
/// missing ones are estimated from the content. `name` is the Table's name (unique within
/// the workbook, letters/digits/underscores).
pub fn write_table(
    ws: &mut Worksheet,
    name: &str,
    headers: &[&str],
    rows: &[Vec<Cell>],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let header = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let widths = size_columns(ws, headers, rows, widths)?;
    let wide = |c: usize| widths.get(c).copied().unwrap_or(DEFAULT_WIDTH);
    let header_cells: Vec<(&str, f64)> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| (*h, wide(c) * BOLD_WIDTH))
        .collect();
    fit_row(ws, 0, &header_cells)?;
    let wrap = wrap_format();
    for (r, row) in rows.iter().enumerate() {
        write_fitted_row(ws, r as u32 + 1, 0, row, &widths, &wrap)?;
    }
    if !headers.is_empty() {
        let last_row = rows.len().max(1) as u32;
        let columns: Vec<TableColumn> = headers.iter().map(|h| TableColumn::new().set_header(*h)).collect();
        let table = Table::new().set_name(name).set_columns(&columns);
        ws.add_table(0, 0, last_row, headers.len() as u16 - 1, &table)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Wrapped text at the top of its cell (long texts of tables, so they print whole).
pub fn wrap_format() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// Writes one row of cells from (`row`, `col`). Text is always written as a string.
pub fn write_row(ws: &mut Worksheet, row: u32, col: u16, cells: &[Cell]) -> Result<(), XlsxError> {
    for (c, cell) in cells.iter().enumerate() {
        let col = col + c as u16;
        match cell {
            Cell::Text(s) => {
                ws.write_string(row, col, truncate_for_excel(s))?;
            }
            Cell::Number(v) if v.is_finite() => {
                ws.write_number(row, col, *v)?;
            }
            Cell::Number(_) | Cell::Empty => {}
            Cell::Bool(b) => {
                ws.write_boolean(row, col, *b)?;
            }
        }
    }
    Ok(())
}

/// [`write_row`], except for a row with a text longer than its column (`widths`,
/// characters, from `col`): its texts are written in `wrap` (a wrapping format,
/// [`wrap_format`]), its other values aligned like it, and the row is made tall enough,
/// so the text prints whole instead of being cut at the next cell.
pub fn write_fitted_row(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cells: &[Cell],
    widths: &[f64],
    wrap: &Format,
) -> Result<(), XlsxError> {
    let width = |c: usize| widths.get(c).copied().unwrap_or(DEFAULT_WIDTH);
    // Each text measured once: the most lines a cell of the row wraps to.
    let lines = cells
        .iter()
        .enumerate()
        .filter_map(|(c, cell)| match cell {
            Cell::Text(s) => Some(wrapped_lines(s, width(c))),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    if lines <= 1 {
        return write_row(ws, row, col, cells);
    }
    // The row's format (wrapped, at the top) is what its cells written without a format
    // get: one format lookup for the row instead of one per cell.
    ws.set_row_format(row, wrap)?;
    write_row(ws, row, col, cells)?;
    fit_row_to_lines(ws, row, lines)
}

/// Excel cells hold at most 32,767 characters.
pub fn truncate_for_excel(s: &str) -> &str {
    const MAX: usize = 32_767;
    if s.chars().count() <= MAX {
        return s;
    }
    let end = s.char_indices().nth(MAX).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Sets and returns the column widths: `widths`, missing ones estimated from the content.
fn size_columns(
    ws: &mut Worksheet,
    headers: &[&str],
    rows: &[Vec<Cell>],
    widths: &[f64],
) -> Result<Vec<f64>, XlsxError> {
    let mut out = Vec::with_capacity(headers.len());
    for (c, h) in headers.iter().enumerate() {
        let width = widths.get(c).copied().unwrap_or_else(|| {
            let longest = rows
                .iter()
                .take(500)
                .filter_map(|r| match r.get(c) {
                    Some(Cell::Text(s)) => Some(s.chars().count()),
                    Some(Cell::Number(_)) => Some(10),
                    _ => None,
                })
                .max()
                .unwrap_or(0)
                .max(h.chars().count());
            (longest as f64 + 2.0).clamp(8.0, 60.0)
        });
        ws.set_column_width(c as u16, width)?;
        out.push(width);
    }
    Ok(out)
}
