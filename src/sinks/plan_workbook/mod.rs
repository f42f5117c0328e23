//! The plan-period workbook (`<output>/<plan>/izleme-<plan>.xlsx`) and its public edition
//! (`<output>/<plan>/kamu/izleme-<plan>-kamu.xlsx`): every period of the plan side by side with the baseline
//! and the target, per indicator with a sparkline; per theme, charts of the women's share
//! and of target progress across periods; activities per period; the end-of-plan
//! evaluation; and the metrics of every period as an Excel Table. One file per sheet, as
//! in [`crate::sinks::workbook`], whose formats and helpers it shares.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::catalogue::{Catalogue, Indicator};
use crate::metrics::evaluation::{self, IndicatorEvaluation};
use crate::metrics::MetricRow;
use crate::model::lang::Lang;
use crate::sinks::print::{Edition, PageTitle};
use crate::sinks::workbook::Formats;
use crate::sinks::xlsx::{deterministic_workbook, header_format, ZIP_LEVEL};

mod activities;
mod evaluation_sheet;
mod indicators;
mod metrics_table;
mod themes;

use self::activities::activities_sheet;
use self::evaluation_sheet::evaluation_sheet;
use self::indicators::indicators_sheet;
use self::metrics_table::metrics_table;
use self::themes::themes_sheet;

/// Everything the plan workbook shows.
pub struct PlanData<'a> {
    pub cat: &'a Catalogue,
    pub lang: Lang,
    /// The public edition: `metrics` are the public rows (suppressed values removed), as
    /// the period public editions get them.
    pub public: bool,
    /// The plan's periods shown, in plan order: those with inputs.
    pub periods: &'a [String],
    /// Metrics rows (any periods; the workbook shows those of `periods`).
    pub metrics: &'a [MetricRow],
}

/// What the sheets share: the data, its end-of-plan evaluation and the city-wide rows.
pub(super) struct Plan<'a> {
    data: &'a PlanData<'a>,
    /// Every plan indicator, catalogue order (`metrics::evaluation`).
    evaluations: Vec<IndicatorEvaluation<'a>>,
    /// City-wide rows by (indicator, period).
    city: HashMap<(&'a str, &'a str), &'a MetricRow>,
}

impl<'a> Plan<'a> {
    fn new(data: &'a PlanData<'a>) -> Plan<'a> {
        let city_wide = data.cat.city_wide();
        Plan {
            data,
            evaluations: evaluation::evaluate(data.cat, data.metrics, data.periods),
            city: data
                .metrics
                .iter()
                .filter(|m| m.district == city_wide)
                .map(|m| ((m.indicator_id.as_str(), m.period.as_str()), m))
                .collect(),
        }
    }

    fn l(&self, tr: &'static str, en: &'static str) -> &'static str {
        self.data.lang.pick(tr, en)
    }

    /// Every plan indicator with its evaluation, catalogue order.
    fn indicators(&self) -> impl Iterator<Item = (&'a Indicator, &IndicatorEvaluation<'a>)> {
        self.data.cat.indicators.iter().zip(&self.evaluations)
    }

    /// The city-wide row of `indicator` in `period`.
    fn row(&self, indicator: &str, period: &str) -> Option<&'a MetricRow> {
        self.city.get(&(indicator, period)).copied()
    }

    /// A new sheet named `name`, with `title` in its first row and, in its second,
    /// `label`, the periods and the edition.
    fn sheet<'w>(
        &self,
        wb: &'w mut Workbook,
        f: &Formats,
        name: &str,
        title: &str,
        label: &str,
    ) -> Result<&'w mut Worksheet, XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        ws.write_string_with_format(0, 0, title, &f.title)?;
        ws.write_string(
            1,
            0,
            format!("{label}: {} — {}", self.data.periods.join(", "), self.edition()),
        )?;
        Ok(ws)
    }

    /// What every printed page names: plan, the periods shown, edition.
    fn page_title(&self) -> PageTitle {
        let periods = match (self.data.periods.first(), self.data.periods.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.clone(),
            _ => String::new(),
        };
        PageTitle {
            plan: self
                .data
                .lang
                .pick(&self.data.cat.plan.name, &self.data.cat.plan.name_en)
                .to_string(),
            period: periods,
            edition: if self.data.public {
                Edition::Public
            } else {
                Edition::Internal
            },
            document: self.l("Plan dönemi çalışma kitabı", "Plan-period workbook").to_string(),
            lang: self.data.lang,
        }
    }

    /// "Kamuya açık sürüm" / "İç sürüm".
    fn edition(&self) -> &'static str {
        if self.data.public {
            self.l("Kamuya açık sürüm", "Public edition")
        } else {
            self.l("İç sürüm (tüm veriler)", "Internal edition (all data)")
        }
    }
}

/// Writes `headers` in row `row` with the header format.
fn header_row<S: AsRef<str>>(ws: &mut Worksheet, row: u32, headers: &[S]) -> Result<(), XlsxError> {
    let hdr = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h.as_ref(), &hdr)?;
    }
    Ok(())
}

/// The file names of the internal and the public edition of plan `plan_id`.
pub fn file_names(plan_id: &str) -> (String, String) {
    (format!("izleme-{plan_id}.xlsx"), format!("izleme-{plan_id}-kamu.xlsx"))
}

/// The workbook's bytes (deterministic: the same data give the same bytes; the creation
/// date is 1 January of the last period shown).
///
/// # Errors
///
/// [`XlsxError`] from the writer.
pub fn build(data: &PlanData) -> Result<Vec<u8>, XlsxError> {
    let year: u16 = data
        .periods
        .last()
        .and_then(|p| p.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or(2022);
    let cat = data.cat;
    let title = format!(
        "{} — {}",
        data.lang.pick(&cat.plan.name, &cat.plan.name_en),
        data.lang.pick("plan dönemi", "plan period")
    );
    let mut wb = deterministic_workbook(&title, year)?;
    wb.set_zip_compression_level(ZIP_LEVEL);
    let f = Formats::new();
    let plan = Plan::new(data);
    indicators_sheet(&mut wb, &plan, &f)?;
    themes_sheet(&mut wb, &plan, &f)?;
    activities_sheet(&mut wb, &plan, &f)?;
    evaluation_sheet(&mut wb, &plan, &f)?;
    metrics_table(&mut wb, &plan)?;
    wb.save_to_buffer()
}

/// Builds the workbook and replaces `path` with it atomically ([`crate::sinks::atomic`]).
///
/// # Errors
///
/// The writer's or the file system's error, as text.
pub fn write(data: &PlanData, path: &Path) -> Result<(), String> {
    let bytes = build(data).map_err(|e| e.to_string())?;
    crate::sinks::atomic::write(path, &bytes).map_err(|e| e.to_string())
}
