//! The `Plan sonu değerlendirmesi` sheet: the rule, the number of indicators of each
//! theme per end-of-plan outcome (`metrics::evaluation`), and every indicator listed by
//! outcome.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{header_row, Plan};
use crate::metrics::evaluation::{counts_by_theme, PlanOutcome, STAYED_TOLERANCE};
use crate::model::lang::Lang;
use crate::sinks::print::{apply, fit_row, Orientation, PrintSetup};
use crate::sinks::workbook::{write_opt, Formats};

/// The first row of the counts table (its header).
pub(super) const COUNTS_ROW: u32 = 7;

/// The outcomes an edition shows: "suppressed" only in the public one.
pub(super) fn outcomes(public: bool) -> Vec<PlanOutcome> {
    PlanOutcome::ALL
        .into_iter()
        .filter(|o| public || *o != PlanOutcome::Suppressed)
        .collect()
}

pub(super) fn evaluation_sheet(wb: &mut Workbook, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    let data = plan.data;
    let cat = data.cat;
    let title = plan.l("Plan sonu değerlendirmesi", "End-of-plan evaluation");
    let ws = plan.sheet(wb, f, title, title, plan.l("Dönemler", "Periods"))?;
    let pct = format!("{}", STAYED_TOLERANCE * 100.0);
    let rules = [
        match data.lang {
            Lang::Tr => format!(
                "Her gösterge, {} satırlarına göre şu sırayla bir sınıfa girer (docs/metrics.md):",
                cat.city_wide()
            ),
            Lang::En => {
                "Each indicator falls into one class by its city-wide rows, in this order (docs/metrics.md):".to_string()
            }
        },
        match data.lang {
            Lang::Tr => format!(
                "Hedefe ulaşıldı: son raporlanan dönemin durumu “Hedefe ulaşıldı”; yoksa değişim = iki dönemde de bildiren birimlerin son raporlanan ve ilk izleme dönemi toplamları farkı: onun ±%{pct} kadarı (sayılarda rastlantı payı da) içindeyse Aynı kaldı; ötesinde, istenen yönü olan göstergede o yönde İyileşti, ters yönde Kötüleşti, yönü olmayan göstergede (hizmet ve etkinlik sayıları) Arttı ya da Azaldı."
            ),
            Lang::En => format!(
                "Target met: the last reported period's status is “Target achieved”; otherwise the change = the difference between the last reported and the first monitored totals of the units that reported in both: within ±{pct} % of the latter (and, for counts, of chance) Stayed; beyond it, for an indicator with a desired direction Improved that way and Worsened the other, for one without (counts of services and events) Increased or Decreased."
            ),
        },
        if data.public {
            plan.l(
                "Değişim, iki dönemde de bildiren birimler üzerinden hesaplanır; bu birimler azsa Karşılaştırılamaz. Tek dönem raporlandı: ilk izleme dönemi son raporlanan dönem. Hiç raporlanmadı: hiçbir dönemde toplam yok. Gizlendi: son raporlanan ya da ilk izleme dönemi satırı küçük sayı nedeniyle gizli.",
                "The change is over the units that reported in both periods; too few of them: Not comparable. Reported once: the first monitored period is the last reported one. Never reported: no total in any period. Suppressed: the last reported or the first monitored row is hidden (small count).",
            )
        } else {
            plan.l(
                "Değişim, iki dönemde de bildiren birimler üzerinden hesaplanır; bu birimler azsa Karşılaştırılamaz. Tek dönem raporlandı: ilk izleme dönemi son raporlanan dönem. Hiç raporlanmadı: hiçbir dönemde toplam yok.",
                "The change is over the units that reported in both periods; too few of them: Not comparable. Reported once: the first monitored period is the last reported one. Never reported: no total in any period.",
            )
        }
        .to_string(),
    ];
    for (k, line) in rules.iter().enumerate() {
        ws.write_string(2 + k as u32, 0, line)?;
    }

    // Counts per theme.
    let shown = outcomes(data.public);
    let mut r = COUNTS_ROW;
    let headers: Vec<&str> = std::iter::once(plan.l("Tema", "Theme"))
        .chain(shown.iter().map(|o| o.label(data.lang)))
        .chain([plan.l("Gösterge sayısı", "Indicators")])
        .collect();
    header_row(ws, r, &headers)?;
    let total_col = 1 + shown.len() as u16;
    let counts = counts_by_theme(cat, &plan.evaluations);
    let mut sums = vec![0usize; shown.len() + 1];
    for (t, (_, c)) in cat.themes.iter().zip(&counts) {
        r += 1;
        ws.write_string(r, 0, data.lang.pick(&t.name, &t.name_en))?;
        for (k, o) in shown.iter().enumerate() {
            let n = c.get(o).copied().unwrap_or(0);
            sums[k] += n;
            ws.write_number(r, 1 + k as u16, n as f64)?;
        }
        let n = cat.indicators.iter().filter(|i| i.theme == t.id).count();
        sums[shown.len()] += n;
        ws.write_number(r, total_col, n as f64)?;
    }
    r += 1;
    ws.write_string_with_format(r, 0, plan.l("Toplam", "Total"), &f.bold)?;
    for (k, n) in sums.iter().enumerate() {
        ws.write_number_with_format(r, 1 + k as u16, *n as f64, &f.bold)?;
    }

    // Every indicator, by outcome, then catalogue order.
    r += 3;
    let list_top = r;
    header_row(
        ws,
        r,
        &[
            plan.l("Değerlendirme", "Evaluation"),
            plan.l("Tema", "Theme"),
            plan.l("Kod", "Code"),
            plan.l("Gösterge", "Indicator"),
            plan.l("İlk izleme dönemi", "First monitored period"),
            plan.l("İlk izleme değeri", "First monitored value"),
            plan.l("Son raporlanan dönem", "Last reported period"),
            plan.l("Son değer", "Last value"),
            plan.l("Değişim", "Change"),
            plan.l("Değişim (%)", "Change (%)"),
            plan.l("Durum", "Status"),
            plan.l("Hedef", "Target"),
        ],
    )?;
    let mut listed: Vec<_> = plan.indicators().collect();
    listed.sort_by_key(|(_, e)| e.outcome);
    for (i, e) in listed {
        r += 1;
        ws.write_string(r, 0, e.outcome.label(data.lang))?;
        let theme = cat
            .theme(&i.theme)
            .map_or(i.theme.as_str(), |t| data.lang.pick(&t.short_name, &t.short_name_en));
        ws.write_string(r, 1, theme)?;
        ws.write_string(r, 2, &i.id)?;
        let text = data.lang.pick(&i.text, &i.text_en);
        ws.write_string_with_format(r, 3, text, &f.wrap)?;
        fit_row(ws, r, &[(text, 60.0)])?;
        if let Some(b) = e.baseline_period {
            ws.write_string(r, 4, b)?;
        }
        write_opt(ws, r, 5, e.baseline_total, &f.count)?;
        if let Some(m) = e.last {
            ws.write_string(r, 6, &m.period)?;
            write_opt(ws, r, 7, m.total, &f.count)?;
        }
        write_opt(ws, r, 8, e.change, &f.count)?;
        write_opt(ws, r, 9, e.relative_change, &f.share)?;
        if e.last.is_some_and(|m| m.total.is_some()) {
            ws.write_string(r, 10, e.status().label(data.lang))?;
        }
        if let Some((_, v)) = i.targets.iter().next_back() {
            ws.write_number_with_format(r, 11, *v, &f.count)?;
        }
    }
    ws.autofilter(list_top, 0, r.max(list_top + 1), 11)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 60)?;
    for c in 4..12u16 {
        ws.set_column_width(c, 13)?;
    }
    ws.set_column_width(10, 22)?;
    // The list's header row repeats on the pages the list runs over.
    let title = plan.page_title();
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r, 11).with_header_row(list_top),
    )
}
