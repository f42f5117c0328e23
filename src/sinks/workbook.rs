//! The monitoring workbook (`izleme-<period>.xlsx`) and its public edition
//! (`izleme-<period>-kamu.xlsx`): a summary with native charts, one sheet per theme from
//! goal to indicator with traffic-light formatting, TÜİK context, the submission-status
//! matrix, validation issues, the tidy data as an Excel Table, the metrics, the catalogue
//! and the provenance.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, ConditionalFormatText, ConditionalFormatTextRule, Format,
    FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::catalogue::{Catalogue, MeasureKind};
use crate::diagnostics::Diagnostic;
use crate::metrics::completeness::{ThemeCompleteness, UnitCompleteness};
use crate::metrics::eige::ThemeScore;
use crate::metrics::status::Status;
use crate::metrics::{self, MetricRow};
use crate::model::lang::Lang;
use crate::model::observation::Observation;
use crate::model::FileAccount;
use crate::sinks::manifest::OutputFile;
use crate::sinks::xlsx::{deterministic_workbook, header_format, write_row, write_table, Cell};

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

struct Formats {
    title: Format,
    bold: Format,
    goal: Format,
    sub_goal: Format,
    activity: Format,
    count: Format,
    share: Format,
    ratio: Format,
    wrap: Format,
    green: Format,
    yellow: Format,
    orange: Format,
    red: Format,
    grey: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            goal: Format::new().set_bold().set_background_color("#BDD7EE").set_text_wrap(),
            sub_goal: Format::new().set_bold().set_background_color("#DDEBF7").set_text_wrap(),
            activity: Format::new()
                .set_italic()
                .set_background_color("#F2F2F2")
                .set_text_wrap(),
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

/// Writes the workbook to `path`.
///
/// # Errors
///
/// [`XlsxError`] from the writer.
pub fn write(data: &MonitoringData, path: &Path) -> Result<(), XlsxError> {
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
    context_sheet(&mut wb, data, &f)?;
    status_sheet(&mut wb, data, &f)?;
    if !data.public {
        validation_sheet(&mut wb, data)?;
    }
    data_sheet(&mut wb, data)?;
    metrics_sheet(&mut wb, data)?;
    crate::sinks::catalogue::add_indicator_sheet(&mut wb, data.cat, data.lang.pick("Katalog", "Catalogue"))?;
    about_sheet(&mut wb, data, &f)?;
    wb.save(path)
}

fn l(data: &MonitoringData, tr: &'static str, en: &'static str) -> &'static str {
    data.lang.pick(tr, en)
}

/// City-wide metrics rows of the period, by indicator.
fn city_rows<'a>(data: &'a MonitoringData, period: &str) -> HashMap<&'a str, &'a MetricRow> {
    data.metrics
        .iter()
        .filter(|m| m.period == period && m.district == data.cat.city_wide())
        .map(|m| (m.indicator_id.as_str(), m))
        .collect()
}

fn people_by_sex(cat: &Catalogue) -> HashSet<&str> {
    cat.indicators
        .iter()
        .filter(|i| i.kind == MeasureKind::CountPeople && i.by_sex)
        .map(|i| i.id.as_str())
        .collect()
}

fn summary_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
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

    // Women's share by theme (people counted by sex, city-wide, this period).
    r += 2;
    let share_top = r;
    let hdr = header_format();
    for (c, h) in [
        l(data, "Tema", "Theme"),
        l(data, "Kadın", "Women"),
        l(data, "Erkek", "Men"),
        l(data, "Kadın payı", "Women's share"),
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
        let (mut w, mut m) = (0.0, 0.0);
        for i in cat
            .indicators
            .iter()
            .filter(|i| i.theme == t.id && people.contains(i.id.as_str()))
        {
            if let Some(row) = rows.get(i.id.as_str()) {
                if let (Some(a), Some(b)) = (row.women, row.men) {
                    w += a;
                    m += b;
                }
            }
        }
        ws.write_string(r, 0, data.lang.pick(&t.name, &t.name_en))?;
        ws.write_number_with_format(r, 1, w, &f.count)?;
        ws.write_number_with_format(r, 2, m, &f.count)?;
        if w + m > 0.0 {
            ws.write_number_with_format(r, 3, w / (w + m), &f.share)?;
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
        .set_name(l(data, "Kadın payı", "Women's share"))
        .set_categories((name, share_top + 1, 0, share_bottom, 0))
        .set_values((name, share_top + 1, 3, share_bottom, 3));
    chart
        .title()
        .set_name(l(data, "Temalara göre kadın payı", "Women's share by theme"));
    chart.x_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
    chart.legend().set_hidden();
    ws.insert_chart(3, 8, &chart)?;

    // Status of indicators by theme (progress toward targets / trend since the baseline).
    r += 2;
    let status_top = r;
    let statuses = [
        Status::TargetAchieved,
        Status::Substantial,
        Status::Moderate,
        Status::Limited,
        Status::Deterioration,
        Status::NoData,
    ];
    ws.write_string_with_format(r, 0, l(data, "Tema", "Theme"), &hdr)?;
    for (k, s) in statuses.iter().enumerate() {
        ws.write_string_with_format(r, k as u16 + 1, s.label(data.lang), &hdr)?;
    }
    for t in &cat.themes {
        r += 1;
        ws.write_string(r, 0, data.lang.pick(&t.name, &t.name_en))?;
        for (k, s) in statuses.iter().enumerate() {
            let n = cat
                .indicators
                .iter()
                .filter(|i| i.theme == t.id)
                .filter(|i| {
                    rows.get(i.id.as_str())
                        .map_or(Status::NoData, |m| Status::from_code(&m.status))
                        == *s
                })
                .count();
            ws.write_number(r, k as u16 + 1, n as f64)?;
        }
    }
    let status_bottom = r;
    let mut chart = Chart::new(ChartType::BarStacked);
    for (k, s) in statuses.iter().enumerate() {
        let col = k as u16 + 1;
        chart
            .add_series()
            .set_name((name, status_top, col))
            .set_categories((name, status_top + 1, 0, status_bottom, 0))
            .set_values((name, status_top + 1, col, status_bottom, col))
            .set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(match s {
                    Status::TargetAchieved => "#00B050",
                    Status::Substantial => "#92D050",
                    Status::Moderate => "#FFC000",
                    Status::Limited => "#ED7D31",
                    Status::Deterioration => "#C00000",
                    Status::NoData => "#BFBFBF",
                })),
            );
    }
    chart.title().set_name(l(
        data,
        "Hedeflere / başlangıca göre ilerleme",
        "Progress toward targets and since the baseline",
    ));
    ws.insert_chart(20, 8, &chart)?;

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
        ws.write_string(r, 0, format!("{} {}", i.id, data.lang.pick(&i.text, &i.text_en)))?;
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
        ws.insert_chart(37, 8, &chart)?;
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

    // Trend against the baseline: women and men counted by sex, per period up to this one.
    r += 2;
    ws.write_string_with_format(
        r,
        0,
        l(
            data,
            "Başlangıca göre eğilim (cinsiyete göre sayılan kişiler)",
            "Trend against the baseline (people counted by sex)",
        ),
        &f.bold,
    )?;
    r += 1;
    let trend_top = r;
    for (c, h) in [
        l(data, "Dönem", "Period"),
        l(data, "Kadın", "Women"),
        l(data, "Erkek", "Men"),
        l(data, "Kadın payı", "Women's share"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &hdr)?;
    }
    let mut by_period: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for m in data.metrics.iter().filter(|m| {
        m.district == data.cat.city_wide()
            && people.contains(m.indicator_id.as_str())
            && m.period.as_str() <= data.period
    }) {
        if let (Some(w), Some(mm)) = (m.women, m.men) {
            let e = by_period.entry(m.period.as_str()).or_insert((0.0, 0.0));
            e.0 += w;
            e.1 += mm;
        }
    }
    for (p, (w, m)) in &by_period {
        r += 1;
        ws.write_string(r, 0, *p)?;
        ws.write_number_with_format(r, 1, *w, &f.count)?;
        ws.write_number_with_format(r, 2, *m, &f.count)?;
        if w + m > 0.0 {
            ws.write_number_with_format(r, 3, w / (w + m), &f.share)?;
        }
    }
    if r > trend_top {
        let mut chart = Chart::new(ChartType::Line);
        for col in [1u16, 2] {
            chart
                .add_series()
                .set_name((name, trend_top, col))
                .set_categories((name, trend_top + 1, 0, r, 0))
                .set_values((name, trend_top + 1, col, r, col));
        }
        chart.title().set_name(l(
            data,
            "Başlangıç yılına göre eğilim",
            "Trend against the baseline year",
        ));
        ws.insert_chart(54, 8, &chart)?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    Ok(())
}

fn write_opt(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, fmt: &Format) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        ws.write_number_with_format(r, c, v, fmt)?;
    }
    Ok(())
}

fn traffic_lights(
    ws: &mut Worksheet,
    data: &MonitoringData,
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
            .set_rule(ConditionalFormatTextRule::Contains(s.label(data.lang).to_string()))
            .set_format(fmt);
        ws.add_conditional_format(first, col, last, col, &cf)?;
    }
    Ok(())
}

fn theme_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats, theme: &str) -> Result<(), XlsxError> {
    let cat = data.cat;
    let t = cat.theme(theme).expect("theme exists");
    let ws = wb.add_worksheet();
    let sheet_name = data.lang.pick(&t.short_name, &t.short_name_en);
    ws.set_name(sheet_name)?;
    let headers = [
        l(data, "Kod", "Code"),
        l(data, "Hedef / Faaliyet / Gösterge", "Goal / Activity / Indicator"),
        l(data, "Birim", "Unit"),
        l(data, "Kadın", "Women"),
        l(data, "Erkek", "Men"),
        l(data, "Toplam", "Total"),
        l(data, "Kadın payı", "Women's share"),
        l(data, "Parite (K/E)", "Parity (W/M)"),
        l(data, "Önceki döneme göre değişim", "Change from previous"),
        l(data, "Başlangıca göre değişim", "Change from baseline"),
        l(data, "Hedef", "Target"),
        l(data, "Hedefe ilerleme", "Progress to target"),
        l(data, "Durum", "Status"),
    ];
    let hdr = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &hdr)?;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 70)?;
    for c in 2..13u16 {
        ws.set_column_width(c, 13)?;
    }
    ws.set_column_width(12, 24)?;
    ws.set_freeze_panes(1, 2)?;
    let rows = city_rows(data, data.period);
    let mut r = 0u32;
    for g in cat.goals.iter().filter(|g| g.theme == theme) {
        r += 1;
        ws.write_string_with_format(r, 0, &g.code, &f.goal)?;
        ws.write_string_with_format(r, 1, data.lang.pick(&g.text, &g.text_en), &f.goal)?;
        for s in cat.sub_goals.iter().filter(|s| s.theme == theme && s.goal == g.code) {
            r += 1;
            ws.write_string_with_format(r, 0, &s.code, &f.sub_goal)?;
            ws.write_string_with_format(r, 1, data.lang.pick(&s.text, &s.text_en), &f.sub_goal)?;
            for a in cat
                .activities
                .iter()
                .filter(|a| a.theme == theme && a.sub_goal == s.code)
            {
                r += 1;
                ws.write_string_with_format(r, 0, &a.code, &f.activity)?;
                ws.write_string_with_format(
                    r,
                    1,
                    format!(
                        "{} ({})",
                        data.lang.pick(&a.text, &a.text_en),
                        data.lang.pick(a.term.label_tr(), a.term.label_en())
                    ),
                    &f.activity,
                )?;
                for i in cat.indicators.iter().filter(|i| i.activity == a.id) {
                    r += 1;
                    ws.write_string(r, 0, &i.id)?;
                    ws.write_string_with_format(r, 1, data.lang.pick(&i.text, &i.text_en), &f.wrap)?;
                    ws.write_string(r, 2, &i.unit)?;
                    let m = rows.get(i.id.as_str());
                    let v = |g: fn(&MetricRow) -> Option<f64>| m.and_then(|m| g(m));
                    if i.by_sex {
                        write_opt(ws, r, 3, v(|m| m.women), &f.count)?;
                        write_opt(ws, r, 4, v(|m| m.men), &f.count)?;
                    } else {
                        ws.write_blank(r, 3, &f.grey)?;
                        ws.write_blank(r, 4, &f.grey)?;
                    }
                    write_opt(ws, r, 5, v(|m| m.total), &f.count)?;
                    write_opt(ws, r, 6, v(|m| m.female_share), &f.share)?;
                    write_opt(ws, r, 7, v(|m| m.parity_index), &f.ratio)?;
                    write_opt(ws, r, 8, v(|m| m.change_from_previous), &f.count)?;
                    write_opt(ws, r, 9, v(|m| m.change_from_baseline), &f.count)?;
                    write_opt(ws, r, 10, v(|m| m.target), &f.count)?;
                    write_opt(ws, r, 11, v(|m| m.target_progress), &f.share)?;
                    let status = m.map_or(Status::NoData, |m| Status::from_code(&m.status));
                    let label = if m.is_some_and(|m| m.suppressed) && data.public {
                        l(data, "Gizlendi (küçük sayı)", "Suppressed (small count)").to_string()
                    } else {
                        status.label(data.lang).to_string()
                    };
                    ws.write_string(r, 12, label)?;
                }
            }
        }
    }
    traffic_lights(ws, data, f, 1, r, 12)?;
    ws.autofilter(0, 0, r.max(1), 12)?;
    Ok(())
}

fn context_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Bağlam", "Context"))?;
    let cat = data.cat;
    // TÜİK observations (any period), city-wide, by indicator × period × sex.
    let mut tuik: HashMap<(&str, &str, &str), f64> = HashMap::new();
    for m in data
        .metrics
        .iter()
        .filter(|m| m.district == cat.city_wide() && cat.context_indicator(&m.indicator_id).is_some())
    {
        for (sex, v) in [("female", m.women), ("male", m.men), ("total", m.total)] {
            if let Some(v) = v {
                tuik.insert((m.indicator_id.as_str(), m.period.as_str(), sex), v);
            }
        }
    }
    let headers = [
        "theme",
        l(data, "Gösterge kodu", "Indicator id"),
        l(data, "Gösterge", "Indicator"),
        l(data, "Birim", "Unit"),
        l(data, "Kaynak", "Source"),
        l(data, "Yıl", "Year"),
        l(data, "Plan: kadın", "Plan: women"),
        l(data, "Plan: erkek", "Plan: men"),
        l(data, "Plan: toplam", "Plan: total"),
        l(data, "Tablo: kadın", "Table: women"),
        l(data, "Tablo: erkek", "Table: men"),
        l(data, "Tablo: toplam", "Table: total"),
        l(data, "Kadın payı", "Women's share"),
        l(data, "Not", "Note"),
    ];
    let rows: Vec<Vec<Cell>> = cat
        .context
        .iter()
        .map(|c| {
            let get = |sex: &str| tuik.get(&(c.id.as_str(), c.baseline_year.as_str(), sex)).copied();
            let (tw, tm) = (get("female").or(c.baseline.female), get("male").or(c.baseline.male));
            let share = match (tw, tm) {
                (Some(w), Some(m)) if c.kind.is_count() && w + m > 0.0 => Some(w / (w + m)),
                _ => None,
            };
            let hidden = data.public
                && c.sensitive
                && [get("female"), get("male"), get("total")]
                    .iter()
                    .any(|v| crate::metrics::disclosure::is_small(*v, data.threshold));
            let table = |v: Option<f64>| if hidden { Cell::Empty } else { v.into() };
            vec![
                c.theme.clone().into(),
                c.id.clone().into(),
                data.lang.pick(&c.text, &c.text_en).to_string().into(),
                c.unit.clone().into(),
                c.source.clone().into(),
                c.baseline_year.clone().into(),
                c.baseline.female.into(),
                c.baseline.male.into(),
                c.baseline.total.into(),
                table(get("female")),
                table(get("male")),
                table(get("total")),
                share.into(),
                c.note.clone().into(),
            ]
        })
        .collect();
    write_table(
        ws,
        "Context",
        &headers,
        &rows,
        &[
            10.0, 22.0, 50.0, 8.0, 36.0, 10.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 50.0,
        ],
    )?;
    for r in 1..=rows.len() as u32 {
        ws.set_cell_format(r, 12, &f.share)?;
    }
    // EIGE-style scores below the table.
    let mut r = rows.len() as u32 + 3;
    ws.write_string_with_format(
        r,
        0,
        l(
            data,
            "Eşitlik puanı (EIGE Toplumsal Cinsiyet Eşitliği Endeksi yöntemi, 1–100)",
            "Equality score (EIGE Gender Equality Index method, 1–100)",
        ),
        &f.bold,
    )?;
    for t in &data.eige.0 {
        r += 1;
        ws.write_string(
            r,
            0,
            cat.theme(&t.theme)
                .map_or(t.theme.as_str(), |x| data.lang.pick(&x.name, &x.name_en)),
        )?;
        ws.write_number_with_format(r, 1, t.score, &f.ratio)?;
        ws.write_string(
            r,
            2,
            t.indicators
                .iter()
                .map(|(i, s)| format!("{i}: {s:.1}"))
                .collect::<Vec<_>>()
                .join("; "),
        )?;
    }
    if let Some(ix) = data.eige.1 {
        r += 1;
        ws.write_string_with_format(r, 0, l(data, "Genel", "Overall"), &f.bold)?;
        ws.write_number_with_format(r, 1, ix, &f.ratio)?;
    }
    Ok(())
}

fn status_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
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
        ws.write_string(r, 3, if u.on_time { yes } else { no })?;
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
    Ok(())
}

fn validation_sheet(wb: &mut Workbook, data: &MonitoringData) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Doğrulama", "Validation"))?;
    let rows: Vec<Vec<Cell>> = data
        .diagnostics
        .iter()
        .map(|d| {
            crate::sinks::report::diagnostic_fields(d, data.lang)
                .into_iter()
                .map(Cell::Text)
                .collect()
        })
        .collect();
    let headers = crate::sinks::report::CSV_COLUMNS;
    write_table(
        ws,
        "Validation",
        headers,
        &rows,
        &[34.0, 10.0, 8.0, 18.0, 8.0, 18.0, 22.0, 9.0, 60.0, 50.0, 16.0],
    )
}

fn data_sheet(wb: &mut Workbook, data: &MonitoringData) -> Result<(), XlsxError> {
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
            15.0, 8.0, 18.0, 10.0, 20.0, 14.0, 8.0, 10.0, 10.0, 10.0, 40.0, 10.0, 8.0,
        ],
    )
}

fn metrics_sheet(wb: &mut Workbook, data: &MonitoringData) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Metrikler", "Metrics"))?;
    let columns: Vec<&metrics::MetricColumn> = metrics::COLUMNS.iter().filter(|c| c.in_workbook).collect();
    let headers: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let rows: Vec<Vec<Cell>> = data
        .metrics
        .iter()
        .filter(|m| m.period == data.period)
        .map(|m| {
            columns
                .iter()
                .map(|c| match m.value(c.name) {
                    Some(metrics::MetricValue::Text(t)) => t.map_or(Cell::Empty, Cell::Text),
                    Some(metrics::MetricValue::Number(v)) => v.into(),
                    Some(metrics::MetricValue::Flag(b)) => b.into(),
                    None => Cell::Empty,
                })
                .collect()
        })
        .collect();
    write_table(ws, "Metrics", &headers, &rows, &[])
}

fn about_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Hakkında", "About"))?;
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 70)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 66)?;
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
        ws.write_string(r, 1, v)?;
    }
    r += 2;
    let hdr = header_format();
    for (c, h) in ["file", "sha256", "bytes", "status / values read, accepted, rejected"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &hdr)?;
    }
    for fa in data.files {
        r += 1;
        write_row(
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
        )?;
    }
    for cf in data.catalogue_files {
        r += 1;
        write_row(
            ws,
            r,
            0,
            &[
                cf.file.clone().into(),
                cf.sha256.clone().into(),
                (cf.bytes as f64).into(),
                "catalogue".into(),
            ],
        )?;
    }
    Ok(())
}
