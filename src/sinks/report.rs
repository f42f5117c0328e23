//! The validation report: `dogrulama-<period>.xlsx` (a summary sheet, one sheet per
//! reporting unit to send back, a sheet of file problems with no known unit) and the same
//! rows as `dogrulama-<period>.csv`. Both are written atomically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::XlsxError;

use crate::catalogue::Catalogue;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::lang::Lang;
use crate::model::FileAccount;
use crate::normalise::parse_period;
use crate::sinks::csv_safe;
use crate::sinks::print::{apply_to_table, Edition, Orientation, PageTitle};
use crate::sinks::xlsx::{deterministic_workbook, write_table, Cell};

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

/// Column names of `dogrulama-<period>.csv` (stable, English).
pub const CSV_COLUMNS: &[&str] = &[
    "file",
    "sheet",
    "cell",
    "unit_id",
    "period",
    "indicator_id",
    "code",
    "severity",
    "message",
    "advice",
    "value",
];

/// The report's paths for a period under `dir` (`dir/dogrulama-<period>.xlsx`, `.csv`).
pub fn report_paths(dir: &Path, period: &str) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("dogrulama-{period}.xlsx")),
        dir.join(format!("dogrulama-{period}.csv")),
    )
}

/// Writes the validation report for one period into `dir` (created if needed).
///
/// # Errors
///
/// [`ReportError`] when a file cannot be built or written; a previous report stays intact.
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use yeep::{model::Lang, pipeline::{collect, Pipeline}, sinks::report};
/// let p = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref())?;
/// let cat = p.catalogue()?;
/// let c = collect::submissions(&p, &cat, &p.input_dir, "2023", collect::Options::default());
/// report::write_report(&cat, &c.files, &c.diagnostics, "2023", Lang::Tr, "output/izmir-2022-2024/2023".as_ref())?;
/// # Ok(()) }
/// ```
pub fn write_report(
    cat: &Catalogue,
    files: &[FileAccount],
    diagnostics: &[Diagnostic],
    period: &str,
    lang: Lang,
    dir: &Path,
) -> Result<(PathBuf, PathBuf), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let (xlsx_path, csv_path) = report_paths(dir, period);
    let xlsx = report_xlsx(cat, files, diagnostics, period, lang)?;
    write_atomic(&xlsx_path, &xlsx)?;
    let csv = report_csv(diagnostics, lang)?;
    write_atomic(&csv_path, &csv)?;
    Ok((xlsx_path, csv_path))
}

/// Writes `bytes` to a temporary file in `path`'s folder, then renames it over `path`, so
/// readers never see a half-written file.
///
/// # Errors
///
/// [`ReportError::Io`].
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    super::atomic::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn report_csv(diags: &[Diagnostic], lang: Lang) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for d in diags {
        w.write_record(diagnostic_fields(d, lang).iter().map(|f| csv_safe(f).into_owned()))?;
    }
    w.into_inner().map_err(|e| ReportError::Io {
        path: PathBuf::from("dogrulama.csv"),
        source: e.into_error(),
    })
}

/// One diagnostic as the report's columns ([`CSV_COLUMNS`]), also used by the monitoring
/// workbook's validation sheet.
pub fn diagnostic_fields(d: &Diagnostic, lang: Lang) -> [String; 11] {
    [
        d.file.clone(),
        d.sheet.clone(),
        d.cell_text(),
        d.unit_id.clone(),
        d.period.clone(),
        d.indicator_id.clone(),
        d.reason.code().to_string(),
        d.severity().as_str().to_string(),
        d.message(lang),
        d.reason.advice(lang).to_string(),
        d.value.clone(),
    ]
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in `used`.
pub fn sheet_name(wanted: &str, used: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base: String = clean.chars().take(31).collect();
    let mut name = if base.is_empty() {
        "Sayfa".to_string()
    } else {
        base.clone()
    };
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        let suffix = format!("~{n}");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.len()).collect::<String>());
        n += 1;
    }
    used.push(name.clone());
    name
}

/// One unit's sheet in the validation report: the sheet to send back to the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSheet {
    pub unit_id: String,
    /// The sheet's name in `dogrulama-<period>.xlsx`.
    pub sheet: String,
    pub errors: usize,
    pub warnings: usize,
}

fn summary_sheet_name(lang: Lang) -> String {
    lang.pick("Özet", "Summary").to_string()
}

/// Diagnostics grouped by the index of their unit in the registry; those with no known unit
/// apart.
fn diagnostics_by_unit<'a>(
    cat: &Catalogue,
    diagnostics: &'a [Diagnostic],
) -> (BTreeMap<usize, Vec<&'a Diagnostic>>, Vec<&'a Diagnostic>) {
    let mut by_unit: BTreeMap<usize, Vec<&Diagnostic>> = BTreeMap::new();
    let mut no_unit = Vec::new();
    for d in diagnostics {
        match cat.units.iter().position(|u| u.id == d.unit_id) {
            Some(i) => by_unit.entry(i).or_default().push(d),
            None => no_unit.push(d),
        }
    }
    (by_unit, no_unit)
}

/// The unit sheets the validation report for `diagnostics` has, in the report's order
/// (registry order), with each unit's error and warning counts — what `yeep run` tells the
/// statistics unit to send to whom.
pub fn unit_sheets(cat: &Catalogue, diagnostics: &[Diagnostic], lang: Lang) -> Vec<UnitSheet> {
    sheets_of(cat, &diagnostics_by_unit(cat, diagnostics).0, lang)
}

/// [`unit_sheets`] of diagnostics already grouped by [`diagnostics_by_unit`].
fn sheets_of(cat: &Catalogue, by_unit: &BTreeMap<usize, Vec<&Diagnostic>>, lang: Lang) -> Vec<UnitSheet> {
    let mut used = vec![summary_sheet_name(lang)];
    by_unit
        .iter()
        .map(|(&i, ds)| UnitSheet {
            unit_id: cat.units[i].id.clone(),
            sheet: sheet_name(&cat.units[i].id, &mut used),
            errors: ds.iter().filter(|d| d.severity() == Severity::Error).count(),
            warnings: ds.iter().filter(|d| d.severity() != Severity::Error).count(),
        })
        .collect()
}

fn report_xlsx(
    cat: &Catalogue,
    files: &[FileAccount],
    diagnostics: &[Diagnostic],
    period: &str,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let year = parse_period(period).map_or(2000, |p| p.year);
    let title = format!(
        "{} — {} {period}",
        cat.plan.name,
        lang.pick("Doğrulama raporu", "Validation report")
    );
    let mut wb = deterministic_workbook(&title, year)?;
    wb.set_zip_compression_level(crate::sinks::xlsx::ZIP_LEVEL);
    let mut used = Vec::new();
    // Printed: landscape, one page wide, the header row on every page.
    let page = PageTitle {
        plan: lang.pick(&cat.plan.name, &cat.plan.name_en).to_string(),
        period: period.to_string(),
        edition: Edition::Internal,
        document: lang.pick("Doğrulama raporu", "Validation report").to_string(),
        lang,
    };
    let print = |ws: &mut rust_xlsxwriter::Worksheet, rows: usize, cols: usize| {
        apply_to_table(ws, &page, Orientation::Landscape, rows, cols)
    };

    // Summary: one line per file.
    let errors = |file: &str, sev: Severity| {
        diagnostics
            .iter()
            .filter(|d| d.file == file && d.severity() == sev)
            .count()
    };
    let headers = [
        lang.pick("Dosya", "File"),
        lang.pick("Birim Kodu", "Unit code"),
        lang.pick("Birim", "Unit"),
        lang.pick("Durum", "Status"),
        lang.pick("Okunan değer", "Values read"),
        lang.pick("Kabul edilen", "Accepted"),
        lang.pick("Reddedilen", "Rejected"),
        lang.pick("Hata", "Errors"),
        lang.pick("Uyarı", "Warnings"),
        "SHA-256",
    ];
    let rows: Vec<Vec<Cell>> = files
        .iter()
        .map(|f| {
            let unit = cat.unit(&f.unit_id);
            vec![
                f.file.as_str().into(),
                f.unit_id.as_str().into(),
                unit.map_or("", |u| lang.pick(&u.name, &u.name_en)).into(),
                f.status.label(lang).into(),
                (f.values_read as f64).into(),
                (f.values_accepted as f64).into(),
                (f.values_rejected as f64).into(),
                (errors(&f.file, Severity::Error) as f64).into(),
                (errors(&f.file, Severity::Warning) as f64).into(),
                f.sha256.as_str().into(),
            ]
        })
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(&summary_sheet_name(lang), &mut used))?;
    write_table(
        ws,
        "Ozet",
        &headers,
        &rows,
        // The hash prints on two lines.
        &[40.0, 22.0, 40.0, 14.0, 12.0, 12.0, 12.0, 8.0, 8.0, 34.0],
    )?;
    print(ws, rows.len(), headers.len())?;

    // One sheet per unit, in registry order; then problems with no known unit.
    let (by_unit, no_unit) = diagnostics_by_unit(cat, diagnostics);
    let headers = [
        lang.pick("Dosya", "File"),
        lang.pick("Sayfa", "Sheet"),
        lang.pick("Hücre", "Cell"),
        lang.pick("Kod", "Code"),
        lang.pick("Sorun", "Problem"),
        lang.pick("Ne yapmalı", "What to do"),
        lang.pick("Bulunan değer", "Value found"),
    ];
    let widths = [36.0, 12.0, 8.0, 22.0, 60.0, 50.0, 20.0];
    let table_rows = |ds: &[&Diagnostic]| -> Vec<Vec<Cell>> {
        ds.iter()
            .map(|d| {
                vec![
                    d.file.as_str().into(),
                    d.sheet.as_str().into(),
                    d.cell_text().into(),
                    d.reason.code().into(),
                    d.message(lang).into(),
                    d.reason.advice(lang).into(),
                    d.value.as_str().into(),
                ]
            })
            .collect()
    };
    // The names `yeep run` tells the statistics unit about (one rule for both).
    let sheets = sheets_of(cat, &by_unit, lang);
    for (n, ((_, ds), sheet)) in by_unit.iter().zip(&sheets).enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.sheet)?;
        used.push(sheet.sheet.clone());
        write_table(ws, &format!("Birim{}", n + 1), &headers, &table_rows(ds), &widths)?;
        print(ws, ds.len(), headers.len())?;
    }
    if !no_unit.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(
            lang.pick("Birimi Belirsiz Dosyalar", "Files With No Unit"),
            &mut used,
        ))?;
        write_table(ws, "BirimsizDosyalar", &headers, &table_rows(&no_unit), &widths)?;
        print(ws, no_unit.len(), headers.len())?;
    }
    Ok(wb.save_to_buffer()?)
}
