//! The `Metrikler` sheet: the metrics rows of every period shown (every indicator and
//! district, the columns of `metrics::COLUMNS` the workbooks show) as one Excel Table, for
//! Power Query and pivot tables.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::metrics::COLUMNS;
use crate::sinks::print::{apply_to_table, Orientation};
use crate::sinks::xlsx::{write_table, Cell};

use super::Plan;

pub(super) fn metrics_table(wb: &mut Workbook, plan: &Plan) -> Result<(), XlsxError> {
    let data = plan.data;
    let ws = wb.add_worksheet();
    ws.set_name(plan.l("Metrikler", "Metrics"))?;
    let headers: Vec<&str> = COLUMNS.iter().filter(|c| c.in_workbook).map(|c| c.name).collect();
    let rows: Vec<Vec<Cell>> = data
        .metrics
        .iter()
        .filter(|m| data.periods.contains(&m.period))
        .map(|m| {
            headers
                .iter()
                .map(|c| m.value(c).map_or(Cell::Empty, Cell::from))
                .collect()
        })
        .collect();
    write_table(ws, "PlanMetrics", &headers, &rows, &[])?;
    // A long listing: portrait holds about twice the rows of landscape.
    apply_to_table(ws, &plan.page_title(), Orientation::Portrait, rows.len(), headers.len())
}
