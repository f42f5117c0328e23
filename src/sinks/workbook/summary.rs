//! The `Özet` sheet: key figures, women's share and status by theme, targets, trends, and their native charts.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Chart, ChartFormat, ChartSolidFill, ChartType, Workbook, XlsxError};

use crate::metrics::status::Status;
use crate::sinks::print::{apply, fit_row, Orientation, PrintSetup};
use crate::sinks::xlsx::header_format;

use super::{city_rows, l, page_title, people_by_sex, write_opt, Formats, MonitoringData};

/// The charts' top-left cells (row, column) and their size in cells (rust_xlsxwriter's
/// default 480 × 288 pixels: 8 columns of 64, 15 rows of 20), for the print area.
const CHART_COL: u16 = 8;
const CHART_ROWS: [u32; 4] = [3, 20, 37, 54];
const CHART_SIZE: (u32, u16) = (15, 8);

pub(super) fn summary_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
    let name = l(data, "Özet", "Summary");
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.set_column_width(0, 38)?;
    for c in 1..8u16 {
        ws.set_column_width(c, 14)?;
    }
    let cat = data.cat;
    ws.write_string_with_format(0, 0, data.lang.pick(&cat.plan.name, &cat.plan.name_en), &f.title)?;
    let edition = if data.public {
        l(data, "Kamuya açık sürüm", "Public edition")
    } else {
        l(data, "İç sürüm (tüm veriler)", "Internal edition (all data)")
    };
    ws.write_string(
        1,
        0,
        format!(
            "{} {} — {}",
            l(data, "İzleme dönemi", "Monitoring period"),
            data.period,
            edition
        ),
    )?;

    // Key figures.
    let received = data.units.iter().filter(|u| u.received).count();
    let on_time = data.units.iter().filter(|u| u.on_time).count();
    let accepted: u64 = data.files.iter().map(|f| f.values_accepted).sum();
    let rejected: u64 = data.files.iter().map(|f| f.values_rejected).sum();
    let key: Vec<(&str, f64)> = vec![
        (
            l(data, "Raporlaması beklenen birim", "Units expected to report"),
            data.units.len() as f64,
        ),
        (
            l(data, "Çalışma kitabı alınan birim", "Units whose workbook was received"),
            received as f64,
        ),
        (l(data, "Zamanında gönderen birim", "Units on time"), on_time as f64),
        (l(data, "Kabul edilen değer", "Values accepted"), accepted as f64),
        (l(data, "Reddedilen değer", "Values rejected"), rejected as f64),
    ];
    let mut r = 3u32;
    ws.write_string_with_format(r, 0, l(data, "Temel rakamlar", "Key figures"), &f.bold)?;
    for (k, v) in &key {
        r += 1;
        ws.write_string(r, 0, *k)?;
        ws.write_number_with_format(r, 1, *v, &f.count)?;
    }
    if let Some(ix) = data.eige.1 {
        r += 1;
        ws.write_string(
            r,
            0,
            l(
                data,
                "Bağlam eşitlik puanı (EIGE yöntemi, 1–100)",
                "Context equality score (EIGE method, 1–100)",
            ),
        )?;
        ws.write_number_with_format(r, 1, ix, &f.ratio)?;
    }

    // Women's share by theme: the median of the theme's people-by-sex indicators'
    // city-wide shares this period. People are never added up across indicators: one
    // woman can be counted by several services (issue 12).
    r += 2;
    let share_top = r;
    let hdr = header_format();
    for (c, h) in [
        l(data, "Tema", "Theme"),
        l(data, "Göstergeler", "Indicators"),
        l(data, "Kadın payı (ortanca)", "Women's share (median)"),
        l(data, "Payı %40–60 olan", "With a share of 40–60 %"),
        l(data, "Tamlık", "Completeness"),
        l(data, "Verisi olan faaliyet", "Activities with data"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &hdr)?;
    }
    let rows = city_rows(data, data.period);
    let people = people_by_sex(cat);
    for t in &cat.themes {
        r += 1;
        let shares: Vec<f64> = cat
            .indicators
            .iter()
            .filter(|i| i.theme == t.id && people.contains(i.id.as_str()))
            .filter_map(|i| rows.get(i.id.as_str()).and_then(|row| row.female_share))
            .collect();
        ws.write_string(r, 0, data.lang.pick(&t.name, &t.name_en))?;
        ws.write_number_with_format(r, 1, shares.len() as f64, &f.count)?;
        if let Some(m) = median(&shares) {
            ws.write_number_with_format(r, 2, m, &f.share)?;
            let balanced = shares.iter().filter(|s| (0.4..=0.6).contains(*s)).count();
            ws.write_number_with_format(r, 3, balanced as f64, &f.count)?;
        }
        if let Some(tc) = data.themes.iter().find(|x| x.theme == t.id) {
            ws.write_number_with_format(r, 4, tc.rate(), &f.share)?;
            ws.write_string(r, 5, format!("{} / {}", tc.activities_with_data, tc.activities))?;
        }
    }
    let share_bottom = r;
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(l(data, "Kadın payı (ortanca)", "Women's share (median)"))
        .set_categories((name, share_top + 1, 0, share_bottom, 0))
        .set_values((name, share_top + 1, 2, share_bottom, 2));
    chart
        .title()
        .set_name(l(data, "Temalara göre kadın payı", "Women's share by theme"));
    chart.x_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
    chart.legend().set_hidden();
    ws.insert_chart(CHART_ROWS[0], CHART_COL, &chart)?;

    // Status of indicators by theme (progress toward targets / trend since the baseline).
    r += 2;
    // One row per status, one column per theme (ten statuses do not fit across beside
    // the charts; six themes do).
    let status_top = r;
    let statuses = Status::ALL;
    let n_themes = cat.themes.len() as u16;
    ws.write_string_with_format(r, 0, l(data, "Durum", "Status"), &hdr)?;
    for (k, t) in cat.themes.iter().enumerate() {
        ws.write_string_with_format(r, k as u16 + 1, data.lang.pick(&t.name, &t.name_en), &hdr)?;
    }
    for s in statuses {
        r += 1;
        ws.write_string(r, 0, s.label(data.lang))?;
        for (k, t) in cat.themes.iter().enumerate() {
            let n = cat
                .indicators
                .iter()
                .filter(|i| i.theme == t.id)
                .filter(|i| {
                    rows.get(i.id.as_str())
                        .map_or(Status::NoData, |m| Status::from_code(&m.status))
                        == s
                })
                .count();
            ws.write_number(r, k as u16 + 1, n as f64)?;
        }
    }
    let mut chart = Chart::new(ChartType::BarStacked);
    for (k, s) in statuses.iter().enumerate() {
        let row = status_top + 1 + k as u32;
        chart
            .add_series()
            .set_name((name, row, 0))
            .set_categories((name, status_top, 1, status_top, n_themes))
            .set_values((name, row, 1, row, n_themes))
            .set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(match s {
                    Status::TargetAchieved => "#00B050",
                    Status::Substantial => "#92D050",
                    Status::Moderate => "#FFC000",
                    Status::Limited => "#ED7D31",
                    Status::Deterioration => "#C00000",
                    // Neutral words in blues and greys: they judge nothing.
                    Status::Increase => "#5B9BD5",
                    Status::Decrease => "#9DC3E6",
                    Status::NoChange => "#DDEBF7",
                    Status::NotComparable => "#7F7F7F",
                    Status::NoData => "#BFBFBF",
                })),
            );
    }
    chart
        .title()
        .set_name(l(data, "Göstergelerin durumu", "Status of the indicators"));
    ws.insert_chart(CHART_ROWS[1], CHART_COL, &chart)?;

    // Progress toward the targets that are set.
    r += 2;
    ws.write_string_with_format(
        r,
        0,
        l(data, "Hedefi olan göstergeler", "Indicators with a target"),
        &f.bold,
    )?;
    r += 1;
    let target_top = r;
    for (c, h) in [
        l(data, "Gösterge", "Indicator"),
        l(data, "Değer", "Value"),
        l(data, "Hedef", "Target"),
        l(data, "Hedefe ilerleme", "Progress to target"),
        l(data, "Durum", "Status"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &hdr)?;
    }
    for i in cat.indicators.iter().filter(|i| !i.targets.is_empty()) {
        r += 1;
        let text = format!("{} {}", i.id, data.lang.pick(&i.text, &i.text_en));
        ws.write_string_with_format(r, 0, &text, &f.wrap)?;
        fit_row(ws, r, &[(&text, 38.0)])?;
        if let Some(m) = rows.get(i.id.as_str()) {
            write_opt(ws, r, 1, m.total, &f.count)?;
            write_opt(ws, r, 2, m.target, &f.count)?;
            write_opt(ws, r, 3, m.target_progress, &f.share)?;
            ws.write_string(r, 4, Status::from_code(&m.status).label(data.lang))?;
        }
    }
    if r > target_top {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(l(data, "Hedefe ilerleme", "Progress to target"))
            .set_categories((name, target_top + 1, 0, r, 0))
            .set_values((name, target_top + 1, 3, r, 3));
        chart
            .title()
            .set_name(l(data, "Hedeflere ilerleme", "Progress toward targets"));
        chart.y_axis().set_num_format("0%");
        chart.legend().set_hidden();
        ws.insert_chart(CHART_ROWS[2], CHART_COL, &chart)?;
    } else {
        r += 1;
        ws.write_string(
            r,
            0,
            l(
                data,
                "Katalogda hedef tanımlanmamış.",
                "No targets are set in the catalogue.",
            ),
        )?;
    }

    // Trend since the first monitored year: per period up to this one, the median of the
    // people-by-sex indicators' city-wide women's shares (never a sum of people across
    // indicators).
    r += 2;
    ws.write_string_with_format(
        r,
        0,
        l(
            data,
            "Eğilim: kişi sayan göstergelerde kadın payı",
            "Trend: women's share of indicators counting people",
        ),
        &f.bold,
    )?;
    r += 1;
    let trend_top = r;
    for (c, h) in [
        l(data, "Dönem", "Period"),
        l(data, "Göstergeler", "Indicators"),
        l(data, "Kadın payı (ortanca)", "Women's share (median)"),
        l(data, "Payı %40–60 olan", "With a share of 40–60 %"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &hdr)?;
    }
    let mut by_period: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for m in data.metrics.iter().filter(|m| {
        m.district == data.cat.city_wide()
            && people.contains(m.indicator_id.as_str())
            && m.period.as_str() <= data.period
    }) {
        if let Some(share) = m.female_share {
            by_period.entry(m.period.as_str()).or_default().push(share);
        }
    }
    for (p, shares) in &by_period {
        r += 1;
        ws.write_string(r, 0, *p)?;
        ws.write_number_with_format(r, 1, shares.len() as f64, &f.count)?;
        if let Some(m) = median(shares) {
            ws.write_number_with_format(r, 2, m, &f.share)?;
        }
        let balanced = shares.iter().filter(|s| (0.4..=0.6).contains(*s)).count();
        ws.write_number_with_format(r, 3, balanced as f64, &f.count)?;
    }
    if r > trend_top {
        let mut chart = Chart::new(ChartType::Line);
        chart
            .add_series()
            .set_name((name, trend_top, 2))
            .set_categories((name, trend_top + 1, 0, r, 0))
            .set_values((name, trend_top + 1, 2, r, 2));
        chart.y_axis().set_num_format("0%");
        chart.title().set_name(l(
            data,
            "İlk izleme yılına göre eğilim",
            "Trend since the first monitored year",
        ));
        ws.insert_chart(CHART_ROWS[3], CHART_COL, &chart)?;
    }
    let title = page_title(data);
    let last_row = r.max(CHART_ROWS[3] + CHART_SIZE.0 - 1);
    let last_col = CHART_COL + CHART_SIZE.1 - 1;
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, last_row, last_col).on_one_page(),
    )
}

/// The median of `values` (the mean of the two middle ones for an even count); `None` for
/// none.
fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(super::median(&[0.3, 0.9, 0.5]), Some(0.5));
        assert_eq!(super::median(&[0.2, 0.4, 0.6, 0.8]), Some(0.5));
        assert_eq!(super::median(&[]), None);
    }
}
