//! The `Gönderim Durumu` sheet: reporting unit × indicator, received / missing / rejected.

use std::collections::HashSet;

use rust_xlsxwriter::{ConditionalFormatText, ConditionalFormatTextRule, Workbook, XlsxError};

use crate::sinks::print::{apply, wrapped_row_height, Orientation, PrintSetup, BOLD_WIDTH};
use crate::sinks::xlsx::{header_format, DEFAULT_WIDTH};

use super::{l, page_title, Formats, MonitoringData};

/// Points a character of a header rotated 90° takes upwards (generous for the default font).
const ROTATED_CHAR_HEIGHT: f64 = 6.0;

pub(super) fn status_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Gönderim Durumu", "Submission Status"))?;
    let cat = data.cat;
    let indicators: Vec<&crate::catalogue::Indicator> = cat
        .indicators
        .iter()
        .filter(|i| !i.reporting_units.is_empty())
        .collect();
    let received: HashSet<(&str, &str)> = data
        .observations
        .iter()
        .map(|o| (o.unit_id.as_str(), o.indicator_id.as_str()))
        .collect();
    let rejected: HashSet<(&str, &str)> = data
        .diagnostics
        .iter()
        .filter(|d| d.severity() == crate::diagnostics::Severity::Error)
        .map(|d| (d.unit_id.as_str(), d.indicator_id.as_str()))
        .collect();
    let rejected_units: HashSet<&str> = data
        .units
        .iter()
        .filter(|u| u.rejected)
        .map(|u| u.unit_id.as_str())
        .collect();
    let fixed = [
        l(data, "Birim", "Unit"),
        l(data, "Birim kodu", "Unit id"),
        l(data, "Alındı", "Received"),
        l(data, "Zamanında", "On time"),
        l(data, "Beklenen gösterge", "Indicators expected"),
        l(data, "Gelen gösterge", "Indicators received"),
        l(data, "Tamlık", "Completeness"),
    ];
    let hdr = header_format().set_rotation(90);
    let hdr0 = header_format();
    for (c, h) in fixed.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &hdr0)?;
    }
    let base = fixed.len() as u16;
    for (k, i) in indicators.iter().enumerate() {
        ws.write_string_with_format(0, base + k as u16, &i.id, &hdr)?;
        ws.set_column_width(base + k as u16, 4.5)?;
    }
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 20)?;
    ws.set_column_width(3, 30)?;
    // The header row: tall enough for the longest rotated indicator id and the wrapped
    // labels of the fixed columns.
    let fixed_widths = [40.0, 20.0];
    let fixed_cells: Vec<(&str, f64)> = fixed
        .iter()
        .enumerate()
        .map(|(c, h)| (*h, fixed_widths.get(c).copied().unwrap_or(DEFAULT_WIDTH) * BOLD_WIDTH))
        .collect();
    let longest_id = indicators.iter().map(|i| i.id.chars().count()).max().unwrap_or(0);
    let rotated = longest_id as f64 * ROTATED_CHAR_HEIGHT + 6.0;
    ws.set_row_height(0, rotated.max(wrapped_row_height(&fixed_cells)))?;
    let (yes, no) = (l(data, "evet", "yes"), l(data, "hayır", "no"));
    let (ok, missing, rej) = (
        l(data, "var", "ok"),
        l(data, "eksik", "missing"),
        l(data, "ret", "rejected"),
    );
    let mut r = 0u32;
    for u in data.units {
        r += 1;
        let unit = cat.unit(&u.unit_id);
        ws.write_string(
            r,
            0,
            unit.map_or(u.unit_id.as_str(), |x| data.lang.pick(&x.name, &x.name_en)),
        )?;
        ws.write_string(r, 1, &u.unit_id)?;
        ws.write_string(
            r,
            2,
            if u.received {
                yes
            } else if u.rejected {
                rej
            } else {
                no
            },
        )?;
        // On time, and on what it rests: the receipts list's date, or the unit's own
        // `Tarih`.
        let basis = match (u.received_on, u.dated) {
            (Some(d), _) => format!("{} {d}", l(data, "alındı", "received")),
            (None, Some(d)) => format!("{} {d}", l(data, "Tarih (birimin beyanı)", "Tarih (the unit's word)")),
            (None, None) => String::new(),
        };
        let word = if u.on_time { yes } else { no };
        if u.received && !basis.is_empty() {
            ws.write_string(r, 3, format!("{word} ({basis})"))?;
        } else {
            ws.write_string(r, 3, word)?;
        }
        ws.write_number(r, 4, u.indicators_expected as f64)?;
        ws.write_number(r, 5, u.indicators_received as f64)?;
        if u.indicators_expected > 0 {
            ws.write_number_with_format(
                r,
                6,
                u.indicators_received as f64 / u.indicators_expected as f64,
                &f.share,
            )?;
        }
        for (k, i) in indicators.iter().enumerate() {
            if !i.reporting_units.contains(&u.unit_id) {
                continue;
            }
            let key = (u.unit_id.as_str(), i.id.as_str());
            let v = if received.contains(&key) {
                ok
            } else if rejected.contains(&key) || rejected_units.contains(u.unit_id.as_str()) {
                rej
            } else {
                missing
            };
            ws.write_string(r, base + k as u16, v)?;
        }
    }
    let last_col = base + indicators.len().max(1) as u16 - 1;
    for (text, fmt) in [(ok, &f.green), (missing, &f.yellow), (rej, &f.red)] {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::BeginsWith(text.to_string()))
            .set_format(fmt);
        ws.add_conditional_format(1, 2, r.max(1), last_col, &cf)?;
    }
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, r.max(1), last_col)?;
    let title = page_title(data);
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r.max(1), last_col).with_header_row(0),
    )
}
