//! The `Hakkında` sheet: provenance — plan, versions, inputs and catalogue files with their hashes.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::sinks::print::{apply, Orientation, PrintSetup};
use crate::sinks::xlsx::{header_format, write_fitted_row, Cell};

use super::{l, page_title, Formats, MonitoringData};

/// Column widths (characters): file or fact, hash or value, bytes, status.
const WIDTHS: [f64; 4] = [44.0, 70.0, 12.0, 66.0];

pub(super) fn about_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Hakkında", "About"))?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let cat = data.cat;
    let facts: Vec<(&str, String)> = vec![
        (
            l(data, "Plan", "Plan"),
            data.lang.pick(&cat.plan.name, &cat.plan.name_en).to_string(),
        ),
        (l(data, "Plan kodu", "Plan id"), cat.plan.id.clone()),
        (
            l(data, "Dönem (verinin zamanı)", "Period (time of the data)"),
            data.period.to_string(),
        ),
        (
            l(data, "Katalog sürümü", "Catalogue version"),
            cat.plan.catalogue_version.clone(),
        ),
        (
            l(data, "yeep sürümü", "yeep version"),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        (
            l(data, "Başlangıç yılı", "Baseline year"),
            cat.plan.baseline_year.clone(),
        ),
        (
            l(
                data,
                "Gizleme eşiği (hassas göstergeler)",
                "Suppression threshold (sensitive indicators)",
            ),
            data.threshold.to_string(),
        ),
        (
            l(data, "Sürüm", "Edition"),
            if data.public {
                l(
                    data,
                    "Kamuya açık: küçük sayılar gizlendi",
                    "Public: small counts suppressed",
                )
            } else {
                l(data, "İç: tüm değerler", "Internal: all values")
            }
            .to_string(),
        ),
    ];
    ws.write_string_with_format(
        0,
        0,
        l(data, "Bu çalışma kitabının kaynağı", "Provenance of this workbook"),
        &f.title,
    )?;
    let mut r = 1u32;
    for (k, v) in &facts {
        r += 1;
        ws.write_string_with_format(r, 0, *k, &f.bold)?;
        write_fitted_row(ws, r, 1, &[Cell::Text(v.clone())], &WIDTHS[1..], &f.wrap)?;
    }
    r += 2;
    let header_row = r;
    let hdr = header_format();
    for (c, h) in ["file", "sha256", "bytes", "status / values read, accepted, rejected"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &hdr)?;
    }
    for fa in data.files {
        r += 1;
        write_fitted_row(
            ws,
            r,
            0,
            &[
                fa.file.clone().into(),
                fa.sha256.clone().into(),
                (fa.bytes as f64).into(),
                format!(
                    "{} {} — {}/{}/{}",
                    fa.source, fa.status, fa.values_read, fa.values_accepted, fa.values_rejected
                )
                .into(),
            ],
            &WIDTHS,
            &f.wrap,
        )?;
    }
    for cf in data.catalogue_files {
        r += 1;
        write_fitted_row(
            ws,
            r,
            0,
            &[
                cf.file.clone().into(),
                cf.sha256.clone().into(),
                (cf.bytes as f64).into(),
                "catalogue".into(),
            ],
            &WIDTHS,
            &f.wrap,
        )?;
    }
    let title = page_title(data);
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r, WIDTHS.len() as u16 - 1).with_header_row(header_row),
    )
}
