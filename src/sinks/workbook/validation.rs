//! The `Doğrulama` sheet: every validation issue (internal edition only).

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::sinks::print::{apply_to_table, Orientation};
use crate::sinks::xlsx::{write_table, Cell};

use super::{l, page_title, MonitoringData};

pub(super) fn validation_sheet(wb: &mut Workbook, data: &MonitoringData) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Doğrulama", "Validation"))?;
    let rows: Vec<Vec<Cell>> = data
        .diagnostics
        .iter()
        .map(|d| {
            crate::sinks::report::diagnostic_fields(d, data.lang)
                .into_iter()
                .map(Cell::Text)
                .collect()
        })
        .collect();
    let headers = crate::sinks::report::CSV_COLUMNS;
    write_table(
        ws,
        "Validation",
        headers,
        &rows,
        &[34.0, 10.0, 8.0, 18.0, 8.0, 18.0, 22.0, 9.0, 60.0, 50.0, 16.0],
    )?;
    apply_to_table(ws, &page_title(data), Orientation::Landscape, rows.len(), headers.len())
}
