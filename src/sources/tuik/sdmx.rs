//! SDMX-CSV exports of TÜİK's data portal (and other delimited text): UTF-8 with a BOM,
//! `;`-separated, a header row of code/label column pairs, long rows, decimal comma.
//! Everything is read as text; numbers are parsed later in the Turkish style.

use super::grid::{Cell, Grid};
use crate::normalise::NumberStyle;

/// Why a delimited file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("CSV line {line}: {message}")]
pub struct CsvError {
    pub line: u64,
    pub message: String,
}

/// Reads delimited text into a grid (row 0 = the header line). The delimiter is `;`
/// when the first line has one, else `,`, else a tab.
///
/// # Errors
///
/// [`CsvError`] when the text is not valid UTF-8 or windows-1254 CSV.
///
/// # Examples
///
/// ```
/// let csv = "\u{feff}IKAMET_YERI;İkamet edilen yer;Zaman (TIME_PERIOD);Gözlem\r\nTR310;İzmir;2020;91,5\r\n";
/// let g = yeep::sources::tuik::sdmx::read_csv(csv.as_bytes()).unwrap();
/// assert_eq!(g.cell(1, 3).text(), "91,5");
/// ```
pub fn read_csv(bytes: &[u8]) -> Result<Grid, CsvError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1254.decode(bytes).0.into_owned(),
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') {
        b';'
    } else if first.contains(',') {
        b','
    } else {
        b'\t'
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CsvError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid::new("", rows, Vec::new(), NumberStyle::Turkish))
}
