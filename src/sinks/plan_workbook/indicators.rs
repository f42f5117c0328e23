//! The `Göstergeler` sheet: one row per plan indicator (city-wide), grouped by theme in
//! catalogue order — baseline, the total and the women's share of every period side by
//! side, the target, the change over the plan period, status, end-of-plan outcome and a
//! sparkline of the totals.

use rust_xlsxwriter::{Sparkline, Workbook, XlsxError};

use super::{header_row, Plan};
use crate::metrics::disclosure::Mark;
use crate::metrics::evaluation::PlanOutcome;
use crate::sinks::print::{apply, fit_row, Orientation, PrintSetup};
use crate::sinks::workbook::{markers_note, public_mark, status_lights, write_marked, Formats};

/// The header row (0-based); indicator rows follow it.
pub(super) const HEADER_ROW: u32 = 3;

/// The columns of the sheet for `n` periods.
pub(super) struct Columns {
    n: u16,
}

impl Columns {
    pub(super) const ID: u16 = 0;
    const TEXT: u16 = 1;
    const UNIT: u16 = 2;
    const BASELINE_PERIOD: u16 = 3;
    const BASELINE: u16 = 4;
    const FIRST_TOTAL: u16 = 5;

    fn total(&self, k: usize) -> u16 {
        Self::FIRST_TOTAL + k as u16
    }
    fn share(&self, k: usize) -> u16 {
        Self::FIRST_TOTAL + self.n + k as u16
    }
    fn target_period(&self) -> u16 {
        Self::FIRST_TOTAL + 2 * self.n
    }
    fn target(&self) -> u16 {
        self.target_period() + 1
    }
    fn last_period(&self) -> u16 {
        self.target_period() + 2
    }
    fn change(&self) -> u16 {
        self.target_period() + 3
    }
    fn relative_change(&self) -> u16 {
        self.target_period() + 4
    }
    fn status(&self) -> u16 {
        self.target_period() + 5
    }
    fn outcome(&self) -> u16 {
        self.target_period() + 6
    }
    fn trend(&self) -> u16 {
        self.target_period() + 7
    }
}

pub(super) fn indicators_sheet(wb: &mut Workbook, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    let data = plan.data;
    let cat = data.cat;
    let name = plan.l("Göstergeler", "Indicators");
    let ws = plan.sheet(
        wb,
        f,
        name,
        data.lang.pick(&cat.plan.name, &cat.plan.name_en),
        plan.l("Plan dönemi izlemesi, dönemler", "Plan-period monitoring, periods"),
    )?;
    let cols = Columns {
        n: data.periods.len() as u16,
    };
    ws.write_string(
        2,
        0,
        format!(
            "{} {} · {} {} · yeep {}",
            plan.l("Başlangıç yılı", "Baseline year"),
            cat.plan.baseline_year,
            plan.l("katalog sürümü", "catalogue version"),
            cat.plan.catalogue_version,
            env!("CARGO_PKG_VERSION")
        ),
    )?;

    let mut headers: Vec<String> = vec![
        plan.l("Kod", "Code").into(),
        plan.l("Gösterge", "Indicator").into(),
        plan.l("Birim", "Unit").into(),
        plan.l("İlk izleme dönemi", "First monitored period").into(),
        plan.l("İlk izleme değeri", "First monitored value").into(),
    ];
    for p in data.periods {
        headers.push(format!("{} {p}", plan.l("Toplam", "Total")));
    }
    for p in data.periods {
        headers.push(format!("{} {p}", plan.l("Kadın payı", "Women's share")));
    }
    for h in [
        plan.l("Hedef dönemi", "Target period"),
        plan.l("Hedef", "Target"),
        plan.l("Son raporlanan dönem", "Last reported period"),
        plan.l("Plan dönemindeki değişim", "Change over the plan period"),
        plan.l("Değişim (%)", "Change (%)"),
        plan.l("Durum", "Status"),
        plan.l("Plan sonu değerlendirmesi", "End-of-plan evaluation"),
        plan.l("Eğilim", "Trend"),
    ] {
        headers.push(h.into());
    }
    header_row(ws, HEADER_ROW, &headers)?;
    let last_col = cols.trend();
    ws.set_column_width(Columns::ID, 16)?;
    ws.set_column_width(Columns::TEXT, 60)?;
    for c in Columns::UNIT..last_col {
        ws.set_column_width(c, 12)?;
    }
    ws.set_column_width(cols.status(), 22)?;
    ws.set_column_width(cols.outcome(), 22)?;
    ws.set_column_width(last_col, 14)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;

    let mut r = HEADER_ROW;
    let mut markers = false;
    for t in &cat.themes {
        r += 1;
        ws.write_string_with_format(r, Columns::ID, data.lang.pick(&t.name, &t.name_en), &f.goal)?;
        for c in 1..=last_col {
            ws.write_blank(r, c, &f.goal)?;
        }
        for (i, e) in plan.indicators().filter(|(i, _)| i.theme == t.id) {
            r += 1;
            ws.write_string(r, Columns::ID, &i.id)?;
            let text = data.lang.pick(&i.text, &i.text_en);
            ws.write_string_with_format(r, Columns::TEXT, text, &f.wrap)?;
            fit_row(ws, r, &[(text, 60.0)])?;
            ws.write_string(r, Columns::UNIT, i.unit_label(plan.data.lang))?;
            if let Some(b) = e.baseline_period {
                ws.write_string(r, Columns::BASELINE_PERIOD, b)?;
            }
            // A plan-period figure built from a hidden total is hidden too.
            let any_hidden = e
                .rows
                .iter()
                .flatten()
                .any(|m| m.mark("total").is_some_and(Mark::is_suppressed));
            let derived_mark = || {
                data.public.then_some(if any_hidden {
                    Mark::Suppressed
                } else {
                    Mark::NotReported
                })
            };
            markers |= write_marked(ws, r, Columns::BASELINE, e.baseline_total, derived_mark(), &f.count, f)?;
            for (k, row) in e.rows.iter().enumerate() {
                let total_mark = public_mark(data.public, *row, "total", true);
                markers |= write_marked(ws, r, cols.total(k), row.and_then(|m| m.total), total_mark, &f.count, f)?;
                if i.by_sex {
                    let share_mark = public_mark(data.public, *row, "female_share", true);
                    let share = row.and_then(|m| m.female_share);
                    markers |= write_marked(ws, r, cols.share(k), share, share_mark, &f.share, f)?;
                } else {
                    ws.write_blank(r, cols.share(k), &f.grey)?;
                }
            }
            if let Some((p, v)) = i.targets.iter().next_back() {
                ws.write_string(r, cols.target_period(), p)?;
                ws.write_number_with_format(r, cols.target(), *v, &f.count)?;
            }
            if let Some(m) = e.last {
                ws.write_string(r, cols.last_period(), &m.period)?;
            }
            markers |= write_marked(ws, r, cols.change(), e.change, derived_mark(), &f.count, f)?;
            markers |= write_marked(
                ws,
                r,
                cols.relative_change(),
                e.relative_change,
                derived_mark(),
                &f.share,
                f,
            )?;
            let status = match e.last {
                Some(m) if m.total.is_none() => PlanOutcome::Suppressed.label(data.lang),
                _ => e.status().label(data.lang),
            };
            ws.write_string(r, cols.status(), status)?;
            ws.write_string(r, cols.outcome(), e.outcome.label(data.lang))?;
            if !data.periods.is_empty() {
                let sparkline = Sparkline::new()
                    .set_range((name, r, cols.total(0), r, cols.total(data.periods.len() - 1)))
                    .show_markers(true);
                ws.add_sparkline(r, cols.trend(), &sparkline)?;
            }
        }
    }
    status_lights(ws, data.lang, f, HEADER_ROW + 1, r, cols.status())?;
    ws.autofilter(HEADER_ROW, 0, r.max(HEADER_ROW + 1), last_col)?;
    if markers {
        r += 2;
        ws.write_string(r, Columns::TEXT, markers_note(data.lang))?;
    }
    let title = plan.page_title();
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r, last_col).with_header_row(HEADER_ROW),
    )
}
