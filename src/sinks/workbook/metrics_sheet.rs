//! The `Metrikler` sheet: the period's metrics as an Excel Table.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::metrics::{self};
use crate::sinks::print::{apply_to_table, Orientation};
use crate::sinks::xlsx::{write_table, Cell};

use super::{l, page_title, MonitoringData};

pub(super) fn metrics_sheet(wb: &mut Workbook, data: &MonitoringData) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Metrikler", "Metrics"))?;
    let columns: Vec<&metrics::MetricColumn> = metrics::COLUMNS.iter().filter(|c| c.in_workbook).collect();
    let headers: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let rows: Vec<Vec<Cell>> = data
        .metrics
        .iter()
        .filter(|m| m.period == data.period)
        .map(|m| {
            columns
                .iter()
                .map(|c| match m.value(c.name) {
                    Some(metrics::MetricValue::Text(t)) => t.map_or(Cell::Empty, Cell::Text),
                    Some(metrics::MetricValue::Number(v)) => v.into(),
                    Some(metrics::MetricValue::Flag(b)) => b.into(),
                    None => Cell::Empty,
                })
                .collect()
        })
        .collect();
    write_table(ws, "Metrics", &headers, &rows, &[])?;
    // A long listing: portrait holds about twice the rows of landscape on a page.
    apply_to_table(ws, &page_title(data), Orientation::Portrait, rows.len(), headers.len())
}
