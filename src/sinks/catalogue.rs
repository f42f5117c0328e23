//! `yeep catalogue`: the plan's catalogue as a table, CSV, JSON or a reviewable workbook.

use std::io::Write;
use std::path::Path;

use crate::catalogue::{Catalogue, Indicator};
use crate::model::lang::Lang;
use crate::sinks::print::{apply_to_table, Edition, Orientation, PageTitle};
use crate::sinks::xlsx::{deterministic_workbook, write_table, Cell};

/// Columns of the CSV export (one row per plan indicator), in order.
pub const CSV_COLUMNS: &[&str] = &[
    "theme",
    "theme_name",
    "general_goal_code",
    "general_goal_text",
    "sub_goal_code",
    "sub_goal_text",
    "activity_id",
    "activity_code",
    "activity_text",
    "term",
    "responsible",
    "collaborating",
    "indicator_id",
    "indicator_text",
    "indicator_text_en",
    "kind",
    "unit",
    "by_sex",
    "by_district",
    "sensitive",
    "breakdowns",
    "reporting_units",
    "targets",
];

/// Errors writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// The CSV row of one indicator (columns as [`CSV_COLUMNS`]).
pub fn indicator_row(cat: &Catalogue, ind: &Indicator) -> Vec<String> {
    let act = cat.activity(&ind.activity);
    let theme = cat.theme(&ind.theme);
    let goal = act.and_then(|a| cat.goal(&a.theme, &a.goal));
    let sub = act.and_then(|a| cat.sub_goal(&a.theme, &a.sub_goal));
    let names = |ids: &[String]| -> String {
        ids.iter()
            .map(|id| cat.unit(id).map_or(id.as_str(), |u| u.name.as_str()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    vec![
        ind.theme.clone(),
        theme.map(|t| t.name.clone()).unwrap_or_default(),
        goal.map(|g| g.code.clone()).unwrap_or_default(),
        goal.map(|g| g.text.clone()).unwrap_or_default(),
        sub.map(|s| s.code.clone()).unwrap_or_default(),
        sub.map(|s| s.text.clone()).unwrap_or_default(),
        ind.activity.clone(),
        act.map(|a| a.code.clone()).unwrap_or_default(),
        act.map(|a| a.text.clone()).unwrap_or_default(),
        act.map(|a| a.term.as_str().to_string()).unwrap_or_default(),
        act.map(|a| names(&a.responsible)).unwrap_or_default(),
        act.map(|a| names(&a.collaborating)).unwrap_or_default(),
        ind.id.clone(),
        ind.text.clone(),
        ind.text_en.clone(),
        ind.kind.as_str().to_string(),
        ind.unit.clone(),
        ind.by_sex.to_string(),
        ind.by_district.to_string(),
        ind.sensitive.to_string(),
        ind.breakdowns.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(";"),
        ind.reporting_units.join(";"),
        ind.targets
            .iter()
            .map(|(p, v)| format!("{p}={v}"))
            .collect::<Vec<_>>()
            .join(";"),
    ]
}

/// Writes one CSV row per plan indicator, with a header (columns as [`CSV_COLUMNS`]).
///
/// # Errors
///
/// [`ExportError`] when the writer fails.
pub fn write_csv<W: Write>(cat: &Catalogue, out: W) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for ind in &cat.indicators {
        w.write_record(
            indicator_row(cat, ind)
                .iter()
                .map(|s| crate::sinks::csv_safe(s).into_owned()),
        )?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the whole catalogue as pretty JSON.
///
/// # Errors
///
/// [`ExportError`] when the writer fails.
pub fn write_json<W: Write>(cat: &Catalogue, mut out: W) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(&mut out, cat)?;
    writeln!(out)?;
    Ok(())
}

/// Writes a readable summary table: counts per theme, then one line per indicator.
///
/// # Errors
///
/// [`ExportError`] when the writer fails.
pub fn write_table_text<W: Write>(cat: &Catalogue, lang: Lang, mut out: W) -> Result<(), ExportError> {
    writeln!(
        out,
        "{} — {} {}",
        lang.pick(&cat.plan.name, &cat.plan.name_en),
        lang.pick("katalog sürümü", "catalogue version"),
        cat.plan.catalogue_version
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<34} {:>6} {:>9} {:>10} {:>10} {:>7} {:>9}",
        lang.pick("tema", "theme"),
        "goals",
        "sub-goals",
        "activities",
        "indicators",
        "by sex",
        "sensitive"
    )?;
    for t in &cat.themes {
        let count_ind =
            |f: &dyn Fn(&Indicator) -> bool| cat.indicators.iter().filter(|i| i.theme == t.id && f(i)).count();
        writeln!(
            out,
            "{:<34} {:>6} {:>9} {:>10} {:>10} {:>7} {:>9}",
            lang.pick(&t.name, &t.name_en),
            cat.goals.iter().filter(|g| g.theme == t.id).count(),
            cat.sub_goals.iter().filter(|g| g.theme == t.id).count(),
            cat.activities.iter().filter(|a| a.theme == t.id).count(),
            count_ind(&|_| true),
            count_ind(&|i| i.by_sex),
            count_ind(&|i| i.sensitive),
        )?;
    }
    writeln!(
        out,
        "{:<34} {:>6} {:>9} {:>10} {:>10} {:>7} {:>9}",
        lang.pick("toplam", "total"),
        cat.goals.len(),
        cat.sub_goals.len(),
        cat.activities.len(),
        cat.indicators.len(),
        cat.indicators.iter().filter(|i| i.by_sex).count(),
        cat.indicators.iter().filter(|i| i.sensitive).count()
    )?;
    writeln!(
        out,
        "{}: {}   {}: {}   {}: {}",
        lang.pick("bağlam göstergeleri", "context indicators"),
        cat.context.len(),
        lang.pick("birimler", "units"),
        cat.units.len(),
        lang.pick("raporlayan birimler", "reporting units"),
        cat.reporting_units().len()
    )?;
    writeln!(out)?;
    for t in &cat.themes {
        writeln!(out, "## {}", lang.pick(&t.name, &t.name_en))?;
        for ind in cat.indicators.iter().filter(|i| i.theme == t.id) {
            let code = cat.activity(&ind.activity).map_or("", |a| a.code.as_str());
            let flags = format!(
                "{}{}{}",
                if ind.by_sex { "K/E " } else { "" },
                if ind.by_district {
                    lang.pick("ilçe ", "district ")
                } else {
                    ""
                },
                if ind.sensitive {
                    lang.pick("hassas", "sensitive")
                } else {
                    ""
                }
            );
            let text = lang.pick(&ind.text, &ind.text_en);
            writeln!(
                out,
                "  {:<8} {:<22} {:<13} {:<24} {}",
                code,
                ind.id,
                ind.kind.as_str(),
                flags.trim_end(),
                text
            )?;
        }
    }
    Ok(())
}

/// Writes the catalogue as a tidy, filterable workbook for review with the commission:
/// indicators, activities, context indicators, units and districts, one Excel Table each.
///
/// # Errors
///
/// [`ExportError`] when the file cannot be written.
pub fn write_xlsx(cat: &Catalogue, lang: Lang, path: &Path) -> Result<(), ExportError> {
    let year = cat
        .plan
        .periods
        .first()
        .and_then(|p| p.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or(2022);
    let mut wb = deterministic_workbook(&cat.plan.name, year)?;
    add_catalogue_sheets(&mut wb, cat, &page_title(cat, lang))?;
    wb.save(path)?;
    Ok(())
}

/// What every printed page of the catalogue export names: the plan, its periods (first to
/// last), public (the plan holds nothing sensitive).
pub fn page_title(cat: &Catalogue, lang: Lang) -> PageTitle {
    let period = match (cat.plan.periods.first(), cat.plan.periods.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.clone(),
        _ => String::new(),
    };
    PageTitle {
        plan: lang.pick(&cat.plan.name, &cat.plan.name_en).to_string(),
        period,
        edition: Edition::Public,
        document: lang.pick("Katalog", "Catalogue").to_string(),
        lang,
    }
}

/// Adds the catalogue's sheets to a workbook; `title` (see [`page_title`]) gives their
/// language and what their printed pages name.
///
/// # Errors
///
/// [`rust_xlsxwriter::XlsxError`] from the writer.
pub fn add_catalogue_sheets(
    wb: &mut rust_xlsxwriter::Workbook,
    cat: &Catalogue,
    title: &PageTitle,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let lang = title.lang;
    let l = |tr: &'static str, en: &'static str| lang.pick(tr, en);
    add_indicator_sheet(wb, cat, l("Göstergeler", "Indicators"), title)?;

    let ws = wb.add_worksheet();
    ws.set_name(l("Faaliyetler", "Activities"))?;
    let headers = [
        "theme",
        "general_goal_code",
        "sub_goal_code",
        "activity_id",
        "activity_code",
        "activity_text",
        "activity_text_en",
        "term",
        "responsible",
        "collaborating",
        "indicators_printed",
        "indicator_count",
    ];
    let rows: Vec<Vec<Cell>> = cat
        .activities
        .iter()
        .map(|a| {
            let names = |ids: &[String]| {
                ids.iter()
                    .map(|id| cat.unit(id).map_or(id.as_str(), |u| u.name.as_str()))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            vec![
                a.theme.clone().into(),
                a.goal.clone().into(),
                a.sub_goal.clone().into(),
                a.id.clone().into(),
                a.code.clone().into(),
                a.text.clone().into(),
                a.text_en.clone().into(),
                l(a.term.label_tr(), a.term.label_en()).into(),
                names(&a.responsible).into(),
                names(&a.collaborating).into(),
                a.indicators_printed.clone().into(),
                (cat.indicators.iter().filter(|i| i.activity == a.id).count() as f64).into(),
            ]
        })
        .collect();
    write_table(
        ws,
        "Activities",
        &headers,
        &rows,
        &[10.0, 8.0, 8.0, 15.0, 8.0, 40.0, 40.0, 8.0, 24.0, 40.0, 30.0, 9.0],
    )?;
    apply_to_table(ws, title, Orientation::Landscape, rows.len(), headers.len())?;

    let ws = wb.add_worksheet();
    ws.set_name(l("Bağlam Göstergeleri", "Context Indicators"))?;
    let headers = [
        "theme",
        "indicator_id",
        "indicator_text",
        "indicator_text_en",
        "kind",
        "unit",
        "by_sex",
        "sensitive",
        "source",
        "source_kind",
        "baseline_year",
        "baseline_female",
        "baseline_male",
        "baseline_total",
        "stated_female_share",
        "printed",
        "note",
    ];
    let rows: Vec<Vec<Cell>> = cat
        .context
        .iter()
        .map(|c| {
            vec![
                c.theme.clone().into(),
                c.id.clone().into(),
                c.text.clone().into(),
                c.text_en.clone().into(),
                c.kind.as_str().into(),
                c.unit.clone().into(),
                c.by_sex.into(),
                c.sensitive.into(),
                c.source.clone().into(),
                c.source_kind.clone().into(),
                c.baseline_year.clone().into(),
                c.baseline.female.into(),
                c.baseline.male.into(),
                c.baseline.total.into(),
                c.stated_female_share.into(),
                c.printed.clone().into(),
                c.note.clone().into(),
            ]
        })
        .collect();
    write_table(
        ws,
        "ContextIndicators",
        &headers,
        &rows,
        &[
            10.0, 22.0, 30.0, 30.0, 10.0, 8.0, 7.0, 9.0, 24.0, 10.0, 9.0, 9.0, 9.0, 9.0, 9.0, 24.0, 30.0,
        ],
    )?;
    apply_to_table(ws, title, Orientation::Landscape, rows.len(), headers.len())?;

    let ws = wb.add_worksheet();
    ws.set_name(l("Birimler", "Units"))?;
    let headers = [
        "unit_id",
        "name",
        "name_en",
        "kind",
        "parent",
        "district",
        "reports",
        "aliases",
        "indicators_reported",
    ];
    let rows: Vec<Vec<Cell>> = cat
        .units
        .iter()
        .map(|u| {
            vec![
                u.id.clone().into(),
                u.name.clone().into(),
                u.name_en.clone().into(),
                u.kind.as_str().into(),
                u.parent.clone().unwrap_or_default().into(),
                u.district.clone().unwrap_or_default().into(),
                u.reports.into(),
                u.aliases.join("; ").into(),
                (cat.indicators_for_unit(&u.id).count() as f64).into(),
            ]
        })
        .collect();
    write_table(ws, "Units", &headers, &rows, &[])?;
    apply_to_table(ws, title, Orientation::Landscape, rows.len(), headers.len())?;

    let ws = wb.add_worksheet();
    ws.set_name(l("İlçeler", "Districts"))?;
    let headers = ["district", "aliases", "tuik_code"];
    let rows: Vec<Vec<Cell>> = cat
        .districts
        .iter()
        .map(|d| {
            vec![
                d.name.clone().into(),
                d.aliases.join("; ").into(),
                d.tuik_code.map(f64::from).into(),
            ]
        })
        .collect();
    write_table(ws, "Districts", &headers, &rows, &[])?;
    apply_to_table(ws, title, Orientation::Portrait, rows.len(), headers.len())?;
    Ok(())
}

/// Column widths of the indicator sheet (as [`CSV_COLUMNS`]): the long texts get wide
/// columns they wrap in, so the sheet prints one landscape page wide with rows of a few lines.
const INDICATOR_WIDTHS: [f64; 23] = [
    9.0, 14.0, 6.0, 28.0, 6.0, 30.0, 14.0, 7.0, 36.0, 7.0, 20.0, 36.0, 16.0, 30.0, 30.0, 12.0, 6.0, 7.0, 8.0, 8.0,
    10.0, 60.0, 10.0,
];

/// Adds one sheet with a row per plan indicator (columns as [`CSV_COLUMNS`]), printed as
/// `title` says (also used by the monitoring workbook, with its own title).
///
/// # Errors
///
/// [`rust_xlsxwriter::XlsxError`] from the writer.
pub fn add_indicator_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    cat: &Catalogue,
    name: &str,
    title: &PageTitle,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let headers: Vec<&str> = CSV_COLUMNS.to_vec();
    let rows: Vec<Vec<Cell>> = cat
        .indicators
        .iter()
        .map(|i| {
            indicator_row(cat, i)
                .into_iter()
                .enumerate()
                .map(|(c, v)| match CSV_COLUMNS[c] {
                    "by_sex" | "by_district" | "sensitive" => Cell::Bool(v == "true"),
                    _ => Cell::Text(v),
                })
                .collect()
        })
        .collect();
    write_table(ws, "Indicators", &headers, &rows, &INDICATOR_WIDTHS)?;
    apply_to_table(ws, title, Orientation::Landscape, rows.len(), headers.len())
}
