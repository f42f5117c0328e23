//! The `Faaliyetler` sheet: the plan's activities (theme and catalogue order) and, per
//! period, how many of each activity's indicators were reported (city-wide).
//!
//! EXTENSION POINT — activity reports. yeep does not collect activity reports yet (whether
//! an activity was done, is under way or was not started, per period); another issue adds
//! them as a new input kind. When they come, they reach this sheet through a new field of
//! [`super::PlanData`] (the reports of every period), and [`activities_sheet`] writes one
//! "Faaliyet durumu <period>" column per period after the reported-indicator counts (the
//! columns from `5 + periods` on are kept for them). Until then the sheet says so in its
//! third row and shows no status: nothing is guessed from the indicators.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{header_row, Plan};
use crate::metrics::evaluation::is_reported;
use crate::sinks::print::{apply, fit_row, Orientation, PrintSetup};
use crate::sinks::workbook::Formats;

const HEADER_ROW: u32 = 3;

pub(super) fn activities_sheet(wb: &mut Workbook, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    let data = plan.data;
    let cat = data.cat;
    let ws = plan.sheet(
        wb,
        f,
        plan.l("Faaliyetler", "Activities"),
        plan.l("Dönemlere göre faaliyetler", "Activities by period"),
        plan.l("Dönemler", "Periods"),
    )?;
    ws.write_string(
        2,
        0,
        plan.l(
            "Faaliyet raporları (yapıldı / sürüyor / başlamadı) henüz toplanmıyor; bu sayfa her dönem faaliyetin göstergelerinden kaçının raporlandığını gösterir.",
            "Activity reports (done / under way / not started) are not collected yet; this sheet shows, per period, how many of each activity's indicators were reported.",
        ),
    )?;
    let mut headers: Vec<String> = vec![
        plan.l("Tema", "Theme").into(),
        plan.l("Kod", "Code").into(),
        plan.l("Faaliyet", "Activity").into(),
        plan.l("Vade", "Term").into(),
        plan.l("Gösterge sayısı", "Indicators").into(),
    ];
    for p in data.periods {
        headers.push(format!("{} {p}", plan.l("Raporlanan gösterge", "Indicators reported")));
    }
    header_row(ws, HEADER_ROW, &headers)?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 70)?;
    ws.set_column_width(3, 12)?;
    for c in 4..headers.len() as u16 {
        ws.set_column_width(c, 13)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 3)?;
    let mut r = HEADER_ROW;
    for t in &cat.themes {
        for a in cat.activities.iter().filter(|a| a.theme == t.id) {
            r += 1;
            ws.write_string(r, 0, data.lang.pick(&t.short_name, &t.short_name_en))?;
            ws.write_string(r, 1, &a.code)?;
            let text = data.lang.pick(&a.text, &a.text_en);
            ws.write_string_with_format(r, 2, text, &f.wrap)?;
            fit_row(ws, r, &[(text, 70.0)])?;
            ws.write_string(r, 3, data.lang.pick(a.term.label_tr(), a.term.label_en()))?;
            let indicators: Vec<&str> = cat
                .indicators
                .iter()
                .filter(|i| i.activity == a.id)
                .map(|i| i.id.as_str())
                .collect();
            ws.write_number(r, 4, indicators.len() as f64)?;
            for (k, p) in data.periods.iter().enumerate() {
                let reported = indicators
                    .iter()
                    .filter(|i| plan.row(i, p).is_some_and(is_reported))
                    .count();
                ws.write_number(r, 5 + k as u16, reported as f64)?;
            }
        }
    }
    let last_col = headers.len() as u16 - 1;
    ws.autofilter(HEADER_ROW, 0, r.max(HEADER_ROW + 1), last_col)?;
    let title = plan.page_title();
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r, last_col).with_header_row(HEADER_ROW),
    )
}
