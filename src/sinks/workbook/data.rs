//! The `Veri` sheet: the tidy observations as an Excel Table.

use std::collections::HashSet;

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::sinks::print::{apply_to_table, Orientation};
use crate::sinks::xlsx::{write_table, Cell};

use super::{l, page_title, MonitoringData};

pub(super) fn data_sheet(wb: &mut Workbook, data: &MonitoringData) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Veri", "Data"))?;
    let headers: Vec<&str> = crate::model::observation::COLUMNS.to_vec();
    let sensitive: HashSet<&str> = data
        .cat
        .indicators
        .iter()
        .filter(|i| i.sensitive)
        .map(|i| i.id.as_str())
        .chain(data.cat.context.iter().filter(|c| c.sensitive).map(|c| c.id.as_str()))
        .collect();
    let rows: Vec<Vec<Cell>> = data
        .observations
        .iter()
        .map(|o| {
            let value = if data.public && sensitive.contains(o.indicator_id.as_str()) {
                Cell::Empty
            } else {
                Cell::Number(o.value)
            };
            vec![
                o.plan_id.clone().into(),
                o.period.clone().into(),
                o.indicator_id.clone().into(),
                o.theme.clone().into(),
                o.unit_id.clone().into(),
                o.district.clone().into(),
                o.sex.as_str().into(),
                o.age_group.clone().map_or(Cell::Empty, Cell::Text),
                o.disability.clone().map_or(Cell::Empty, Cell::Text),
                value,
                o.source_file.clone().into(),
                o.source_sheet.clone().into(),
                o.source_cell.clone().into(),
            ]
        })
        .collect();
    write_table(
        ws,
        "Observations",
        &headers,
        &rows,
        &[
            15.0, 8.0, 18.0, 10.0, 20.0, 14.0, 8.0, 10.0, 10.0, 10.0, 48.0, 10.0, 8.0,
        ],
    )?;
    // A long listing: portrait holds about twice the rows of landscape on a page.
    apply_to_table(ws, &page_title(data), Orientation::Portrait, rows.len(), headers.len())
}
