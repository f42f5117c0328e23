//! The `Temalar` sheet: per theme (catalogue order) a block with one row per period —
//! women and men counted by sex (city-wide, people indicators by sex with both values),
//! the women's share, the progress toward each target of the theme — and two native
//! charts beside it: the women's share across periods and target progress across periods.

use rust_xlsxwriter::{Chart, ChartMarker, ChartType, Workbook, XlsxError};

use super::{header_row, Plan};
use crate::sinks::print::{apply, Orientation, PrintSetup};
use crate::sinks::workbook::{people_by_sex, write_opt, Formats};

/// Rows each theme's block takes (a chart is about 15 rows high).
const MIN_BLOCK_ROWS: u32 = 17;

/// Theme blocks on one printed page.
const THEMES_PER_PAGE: u32 = 4;

pub(super) fn themes_sheet(wb: &mut Workbook, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    let data = plan.data;
    let cat = data.cat;
    let name = plan.l("Temalar", "Themes");
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let n = data.periods.len() as u32;
    let block_rows = (n + 5).max(MIN_BLOCK_ROWS);
    let people = people_by_sex(cat);
    let targeted = |theme: &str| -> Vec<&str> {
        cat.indicators
            .iter()
            .filter(|i| i.theme == theme && !i.targets.is_empty())
            .map(|i| i.id.as_str())
            .collect()
    };
    let widest = cat.themes.iter().map(|t| targeted(&t.id).len()).max().unwrap_or(0) as u16;
    let chart_col = 5 + widest;
    ws.set_column_width(0, 14)?;
    for c in 1..4u16 {
        ws.set_column_width(c, 12)?;
    }
    for c in 4..4 + widest {
        ws.set_column_width(c, 18)?;
    }
    for (k, t) in cat.themes.iter().enumerate() {
        let top = k as u32 * block_rows;
        let theme_name = data.lang.pick(&t.name, &t.name_en);
        ws.write_string_with_format(top, 0, theme_name, &f.bold)?;
        let targets = targeted(&t.id);
        let mut headers = vec![
            plan.l("Dönem", "Period").to_string(),
            plan.l("Kadın", "Women").to_string(),
            plan.l("Erkek", "Men").to_string(),
            plan.l("Kadın payı", "Women's share").to_string(),
        ];
        for id in &targets {
            headers.push(format!("{id} {}", plan.l("hedefe ilerleme", "progress to target")));
        }
        header_row(ws, top + 1, &headers)?;
        let (first, last) = (top + 2, top + 1 + n);
        for (j, p) in data.periods.iter().enumerate() {
            let r = first + j as u32;
            ws.write_string(r, 0, p)?;
            let by_sex: Vec<(f64, f64)> = cat
                .indicators
                .iter()
                .filter(|i| i.theme == t.id && people.contains(i.id.as_str()))
                .filter_map(|i| plan.row(&i.id, p))
                .filter_map(|m| m.women.zip(m.men))
                .collect();
            if !by_sex.is_empty() {
                let (w, m) = by_sex.iter().fold((0.0, 0.0), |(a, b), (w, m)| (a + w, b + m));
                ws.write_number_with_format(r, 1, w, &f.count)?;
                ws.write_number_with_format(r, 2, m, &f.count)?;
                if w + m > 0.0 {
                    ws.write_number_with_format(r, 3, w / (w + m), &f.share)?;
                }
            }
            for (c, id) in targets.iter().enumerate() {
                write_opt(
                    ws,
                    r,
                    4 + c as u16,
                    plan.row(id, p).and_then(|m| m.target_progress),
                    &f.share,
                )?;
            }
        }
        if n == 0 {
            continue;
        }
        let mut share = Chart::new(ChartType::Line);
        share
            .add_series()
            .set_name((name, top + 1, 3))
            .set_categories((name, first, 0, last, 0))
            .set_values((name, first, 3, last, 3))
            .set_marker(ChartMarker::new().set_automatic());
        share.title().set_name(&format!(
            "{theme_name}: {}",
            plan.l("dönemlere göre kadın payı", "women's share by period")
        ));
        share.y_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
        share.legend().set_hidden();
        ws.insert_chart(top, chart_col, &share)?;
        if targets.is_empty() {
            ws.write_string(
                last + 1,
                0,
                plan.l(
                    "Bu temada katalogda hedef tanımlanmamış.",
                    "No targets are set in the catalogue for this theme.",
                ),
            )?;
            continue;
        }
        let mut progress = Chart::new(ChartType::Column);
        for c in 0..targets.len() as u16 {
            progress
                .add_series()
                .set_name((name, top + 1, 4 + c))
                .set_categories((name, first, 0, last, 0))
                .set_values((name, first, 4 + c, last, 4 + c));
        }
        progress.title().set_name(&format!(
            "{theme_name}: {}",
            plan.l("dönemlere göre hedefe ilerleme", "progress to target by period")
        ));
        progress.y_axis().set_num_format("0%").set_min(0.0);
        ws.insert_chart(top, chart_col + 8, &progress)?;
    }
    // Each theme is a block of rows with its two charts beside it (each chart about eight
    // columns wide): the print area covers the charts.
    // Four themes to a landscape page, so no chart is cut between two pages.
    let breaks: Vec<u32> = (1..cat.themes.len() as u32)
        .filter(|k| k % THEMES_PER_PAGE == 0)
        .map(|k| k * block_rows)
        .collect();
    ws.set_page_breaks(&breaks)?;
    let title = plan.page_title();
    let last_row = (cat.themes.len() as u32 * block_rows).max(1) - 1;
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, last_row, chart_col + 16),
    )
}
