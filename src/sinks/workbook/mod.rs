//! The monitoring workbook (`izleme-<period>.xlsx`) and its public edition
//! (`izleme-<period>-kamu.xlsx`): a summary with native charts, one sheet per theme from
//! goal to indicator with traffic-light formatting, TÜİK context, the submission-status
//! matrix, validation issues, the tidy data as an Excel Table, the metrics, the catalogue
//! and the provenance.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rust_xlsxwriter::{ConditionalFormatText, ConditionalFormatTextRule, Format, FormatAlign, Worksheet, XlsxError};

use crate::catalogue::{Catalogue, MeasureKind};
use crate::diagnostics::Diagnostic;
use crate::metrics::completeness::{ThemeCompleteness, UnitCompleteness};
use crate::metrics::disclosure::Mark;
use crate::metrics::eige::ThemeScore;
use crate::metrics::status::Status;
use crate::metrics::MetricRow;
use crate::model::lang::Lang;
use crate::model::observation::Observation;
use crate::model::FileAccount;
use crate::sinks::manifest::OutputFile;
use crate::sinks::print::{Edition, PageTitle};
use crate::sinks::xlsx::deterministic_workbook;

mod about;
mod context;
mod data;
mod metrics_sheet;
mod submissions;
mod summary;
mod theme;
mod validation;

use self::about::about_sheet;
use self::context::context_sheet;
use self::data::data_sheet;
use self::metrics_sheet::metrics_sheet;
use self::submissions::status_sheet;
use self::summary::summary_sheet;
use self::theme::theme_sheet;
use self::validation::validation_sheet;

/// Everything the workbook shows.
pub struct MonitoringData<'a> {
    pub cat: &'a Catalogue,
    pub period: &'a str,
    pub lang: Lang,
    /// The public edition: suppressed values are already removed from `metrics`, sensitive
    /// unit-level values from `observations`; the validation sheet is left out.
    pub public: bool,
    /// Metrics rows of every period (trends need the earlier ones).
    pub metrics: &'a [MetricRow],
    /// Accepted values of this period.
    pub observations: &'a [Observation],
    pub diagnostics: &'a [Diagnostic],
    pub files: &'a [FileAccount],
    pub units: &'a [UnitCompleteness],
    pub themes: &'a [ThemeCompleteness],
    pub eige: &'a (Vec<ThemeScore>, Option<f64>),
    pub catalogue_files: &'a [OutputFile],
    pub threshold: u32,
}

/// The formats the monitoring and plan workbooks share.
pub(crate) struct Formats {
    pub(crate) title: Format,
    pub(crate) bold: Format,
    pub(crate) goal: Format,
    pub(crate) sub_goal: Format,
    pub(crate) activity: Format,
    pub(crate) count: Format,
    pub(crate) share: Format,
    pub(crate) ratio: Format,
    pub(crate) wrap: Format,
    pub(crate) green: Format,
    pub(crate) yellow: Format,
    pub(crate) orange: Format,
    pub(crate) red: Format,
    pub(crate) grey: Format,
    /// A marker in place of a figure (`..`, `-`, `.`).
    pub(crate) marker: Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            goal: Format::new().set_bold().set_background_color("#BDD7EE").set_text_wrap(),
            sub_goal: Format::new().set_bold().set_background_color("#DDEBF7").set_text_wrap(),
            activity: Format::new()
                .set_italic()
                .set_background_color("#F2F2F2")
                .set_text_wrap(),
            marker: Format::new().set_align(FormatAlign::Right),
            count: Format::new().set_num_format("#,##0.##"),
            share: Format::new().set_num_format("0.0%"),
            ratio: Format::new().set_num_format("0.00"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            green: Format::new().set_background_color("#C6EFCE").set_font_color("#006100"),
            yellow: Format::new().set_background_color("#FFEB9C").set_font_color("#9C5700"),
            orange: Format::new().set_background_color("#FCD5B4").set_font_color("#974706"),
            red: Format::new().set_background_color("#FFC7CE").set_font_color("#9C0006"),
            grey: Format::new().set_background_color("#EDEDED"),
        }
    }
}

/// Which sheets a workbook holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheets {
    /// Every sheet: the monitoring workbook.
    All,
    /// The Özet and the theme sheets only: what `yeep run --pdf` prints.
    Print,
}

/// Writes the workbook to `path`.
///
/// # Errors
///
/// [`XlsxError`] from the writer.
pub fn write(data: &MonitoringData, path: &Path) -> Result<(), XlsxError> {
    write_sheets(data, path, Sheets::All)
}

/// Writes the workbook with only `sheets` to `path`.
///
/// # Errors
///
/// [`XlsxError`] from the writer.
pub fn write_sheets(data: &MonitoringData, path: &Path, sheets: Sheets) -> Result<(), XlsxError> {
    let year: u16 = data.period.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2022);
    let title = format!(
        "{} — {}",
        data.lang.pick(&data.cat.plan.name, &data.cat.plan.name_en),
        data.period
    );
    let mut wb = deterministic_workbook(&title, year)?;
    wb.set_zip_compression_level(crate::sinks::xlsx::ZIP_LEVEL);
    let f = Formats::new();
    summary_sheet(&mut wb, data, &f)?;
    for t in &data.cat.themes {
        theme_sheet(&mut wb, data, &f, &t.id)?;
    }
    if sheets == Sheets::Print {
        return wb.save(path);
    }
    context_sheet(&mut wb, data, &f)?;
    status_sheet(&mut wb, data, &f)?;
    if !data.public {
        validation_sheet(&mut wb, data)?;
    }
    data_sheet(&mut wb, data)?;
    metrics_sheet(&mut wb, data)?;
    crate::sinks::catalogue::add_indicator_sheet(
        &mut wb,
        data.cat,
        data.lang.pick("Katalog", "Catalogue"),
        &page_title(data),
    )?;
    about_sheet(&mut wb, data, &f)?;
    wb.save(path)
}

/// What every printed page of the workbook names: plan, period, edition.
pub(super) fn page_title(data: &MonitoringData) -> PageTitle {
    PageTitle {
        plan: data.lang.pick(&data.cat.plan.name, &data.cat.plan.name_en).to_string(),
        period: data.period.to_string(),
        edition: if data.public {
            Edition::Public
        } else {
            Edition::Internal
        },
        document: l(data, "İzleme çalışma kitabı", "Monitoring workbook").to_string(),
        lang: data.lang,
    }
}

pub(super) fn l(data: &MonitoringData, tr: &'static str, en: &'static str) -> &'static str {
    data.lang.pick(tr, en)
}

/// City-wide metrics rows of the period, by indicator.
pub(super) fn city_rows<'a>(data: &'a MonitoringData, period: &str) -> HashMap<&'a str, &'a MetricRow> {
    data.metrics
        .iter()
        .filter(|m| m.period == period && m.district == data.cat.city_wide())
        .map(|m| (m.indicator_id.as_str(), m))
        .collect()
}

pub(crate) fn people_by_sex(cat: &Catalogue) -> HashSet<&str> {
    cat.indicators
        .iter()
        .filter(|i| i.kind == MeasureKind::CountPeople && i.by_sex)
        .map(|i| i.id.as_str())
        .collect()
}

/// The marker a public edition shows for figure `name` of row `m` when it is empty:
/// `None` in the internal edition (which leaves empty cells empty).
pub(crate) fn public_mark(public: bool, m: Option<&MetricRow>, name: &str, applicable: bool) -> Option<Mark> {
    if !public {
        return None;
    }
    if !applicable {
        return Some(Mark::NotApplicable);
    }
    Some(m.and_then(|m| m.mark(name)).unwrap_or(Mark::NotReported))
}

/// Writes a figure, or the marker saying why it is empty. Returns whether a marker was
/// written (the sheet then needs the markers' footnote).
pub(crate) fn write_marked(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<f64>,
    mark: Option<Mark>,
    fmt: &Format,
    f: &Formats,
) -> Result<bool, XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, fmt)?;
        return Ok(false);
    }
    match mark {
        Some(m) => {
            ws.write_string_with_format(r, c, m.symbol(), &f.marker)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The footnote explaining the markers, in the workbook's language.
pub(crate) fn markers_note(lang: Lang) -> &'static str {
    lang.pick(
        "..  gizlilik nedeniyle gösterilmiyor (küçük sayı veya ondan türetilebilen değer)   -  bildirilmedi   .  uygulanamaz",
        "..  not shown for confidentiality (a small count, or a figure it could be derived from)   -  not reported   .  not applicable",
    )
}

pub(crate) fn write_opt(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, fmt: &Format) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, fmt)?;
    }
    Ok(())
}

pub(super) fn traffic_lights(
    ws: &mut Worksheet,
    data: &MonitoringData,
    f: &Formats,
    first: u32,
    last: u32,
    col: u16,
) -> Result<(), XlsxError> {
    status_lights(ws, data.lang, f, first, last, col)
}

/// Colours the status labels (in `lang`) of rows `first..=last` of column `col` like a
/// traffic light (`docs/metrics.md`).
pub(crate) fn status_lights(
    ws: &mut Worksheet,
    lang: Lang,
    f: &Formats,
    first: u32,
    last: u32,
    col: u16,
) -> Result<(), XlsxError> {
    if last < first {
        return Ok(());
    }
    let rules: [(Status, &Format); 5] = [
        (Status::TargetAchieved, &f.green),
        (Status::Substantial, &f.green),
        (Status::Moderate, &f.yellow),
        (Status::Limited, &f.orange),
        (Status::Deterioration, &f.red),
    ];
    for (s, fmt) in rules {
        let cf = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains(s.label(lang).to_string()))
            .set_format(fmt);
        ws.add_conditional_format(first, col, last, col, &cf)?;
    }
    Ok(())
}
