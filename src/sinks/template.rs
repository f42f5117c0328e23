//! The submission template: one workbook per reporting unit and period, with the sheets
//! `Bilgi`, `Veri` and `Açıklamalar` (layout in `docs/submissions.md`). The same writer
//! fills a template with values ([`Fill`]) for the demo inputs and the tests, so what is
//! read back is exactly what a unit gets.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, Formula, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};

use crate::catalogue::{Breakdown, Catalogue, Indicator, Unit, UnitKind};
use crate::model::form::{data_sheet, help_sheet, info_sheet, Col, InfoField, LIST_SHEET};
use crate::model::lang::Lang;
use crate::model::CellRef;
use crate::normalise::parse_period;
use crate::sinks::print::{apply, fit_row, Edition, Orientation, PageTitle, PrintSetup, BOLD_WIDTH};
use crate::sinks::xlsx::{deterministic_workbook, header_format, truncate_for_excel};

/// Width of the `Açıklamalar` sheet's one column (characters).
const HELP_WIDTH: f64 = 120.0;

/// Rows offered per by-district indicator to units that are not a district municipality:
/// each row has the district drop-down; a unit reporting more districts asks for a
/// second template or adds the figures in the next period.
pub const DISTRICT_BLOCK_ROWS: usize = 8;

/// Why templates could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown reporting unit \"{0}\" (see `yeep catalogue`)")]
    UnknownUnit(String),
    #[error("unit \"{0}\" reports no indicator")]
    NoIndicators(String),
    #[error("\"{0}\" is not a period (2023 or 2023-Q1)")]
    BadPeriod(String),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
}

/// One row of the `Veri` sheet before anything is filled in.
#[derive(Debug, Clone)]
pub struct TemplateRow<'a> {
    pub indicator: &'a Indicator,
    /// The district written in and locked, or `None` for a drop-down row.
    pub district: Option<String>,
}

/// What a user typed into a cell (used by the demo and the tests).
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Number(f64),
    Text(String),
    /// A date cell (year, month, day).
    Date(u16, u8, u8),
}

/// Values typed into one template row.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Index into [`template_rows`].
    pub row: usize,
    pub values: Vec<(Col, Input)>,
}

/// A filled-in template: values plus the ways people reshape a template.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    pub prepared_by: Option<Input>,
    pub date: Option<Input>,
    /// Overrides the pre-filled period on `Bilgi` (a reused template).
    pub period: Option<String>,
    pub entries: Vec<Entry>,
    /// Renames the data sheet (`VERİ`, `Sayfa1`).
    pub data_sheet_name: Option<String>,
    /// Header texts typed over the template's (`KADIN`).
    pub headers: Vec<(Col, String)>,
    /// Column order (must hold the template's columns).
    pub columns: Option<Vec<Col>>,
    /// A merged title row and blank rows inserted above the header.
    pub title_rows: u32,
    /// A blank row inserted after each indicator's rows.
    pub blank_row_between_indicators: bool,
    /// A `TOPLAM` row appended after the data rows (with a value in `Toplam`).
    pub totals_row: Option<f64>,
}

/// Where one filled value was written.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenCell {
    /// Index into [`template_rows`].
    pub row: usize,
    pub col: Col,
    /// The cell on the data sheet.
    pub cell: CellRef,
    pub input: Input,
}

/// The template's rows for a unit, in catalogue order: one row per indicator that is not
/// by district (the city-wide row, [`Catalogue::city_wide`]); for a by-district indicator,
/// one row with the unit's own district for a district municipality, otherwise
/// [`DISTRICT_BLOCK_ROWS`] drop-down rows.
pub fn template_rows<'a>(cat: &'a Catalogue, unit: &'a Unit) -> Vec<TemplateRow<'a>> {
    let mut rows = Vec::new();
    for ind in cat.indicators_for_unit(&unit.id) {
        if !ind.by_district {
            rows.push(TemplateRow {
                indicator: ind,
                district: Some(cat.city_wide().to_string()),
            });
        } else if let (UnitKind::IlceBelediyesi, Some(d)) = (unit.kind, &unit.district) {
            rows.push(TemplateRow {
                indicator: ind,
                district: Some(d.clone()),
            });
        } else {
            for _ in 0..DISTRICT_BLOCK_ROWS {
                rows.push(TemplateRow {
                    indicator: ind,
                    district: None,
                });
            }
        }
    }
    rows
}

/// The template's columns for a unit: breakdown columns only when one of its indicators
/// has them.
pub fn template_columns(cat: &Catalogue, unit: &Unit) -> Vec<Col> {
    let mut cols = vec![Col::Id, Col::Name, Col::District, Col::Female, Col::Male, Col::Total];
    let has = |b: Breakdown| cat.indicators_for_unit(&unit.id).any(|i| i.breakdowns.contains(&b));
    if has(Breakdown::AgeGroup) {
        cols.push(Col::AgeGroup);
    }
    if has(Breakdown::Disability) {
        cols.push(Col::Disability);
    }
    cols.push(Col::Note);
    cols
}

/// The template's file name: `<unit_id>-<period>.xlsx`.
pub fn file_name(unit_id: &str, period: &str) -> String {
    format!("{unit_id}-{period}.xlsx")
}

/// Builds one unit's template, optionally filled in, as xlsx bytes (deterministic: the
/// same catalogue, unit, period and fill give the same bytes).
///
/// # Errors
///
/// [`TemplateError`] for an unknown unit, a unit without indicators, a bad period, or a
/// rust_xlsxwriter error.
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use yeep::{model::Lang, pipeline::Pipeline, sinks::template};
/// let cat = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref())?.catalogue()?;
/// let (bytes, _) = template::build(&cat, "ilce-konak", "2023", Lang::Tr, None)?;
/// assert!(bytes.starts_with(b"PK"));
/// # Ok(()) }
/// ```
pub fn build(
    cat: &Catalogue,
    unit_id: &str,
    period: &str,
    lang: Lang,
    fill: Option<&Fill>,
) -> Result<(Vec<u8>, Vec<WrittenCell>), TemplateError> {
    let unit = cat
        .unit(unit_id)
        .ok_or_else(|| TemplateError::UnknownUnit(unit_id.to_string()))?;
    let p = parse_period(period).ok_or_else(|| TemplateError::BadPeriod(period.to_string()))?;
    let rows = template_rows(cat, unit);
    if rows.is_empty() {
        return Err(TemplateError::NoIndicators(unit_id.to_string()));
    }
    let empty = Fill::default();
    let fill = fill.unwrap_or(&empty);
    let title = format!("{} — {} {}", cat.plan.name, unit.name, period);
    let mut wb = deterministic_workbook(&title, p.year)?;
    // What every printed page names: the unit's data is for internal use.
    let page = PageTitle {
        plan: lang.pick(&cat.plan.name, &cat.plan.name_en).to_string(),
        period: period.to_string(),
        edition: Edition::Internal,
        document: format!(
            "{} — {}",
            lang.pick("Veri gönderim şablonu", "Submission template"),
            lang.pick(&unit.name, &unit.name_en)
        ),
        lang,
    };
    write_info(&mut wb, cat, unit, period, lang, fill, &page)?;
    let written = write_data(&mut wb, cat, unit, &rows, lang, fill, &page)?;
    write_help(&mut wb, cat, lang, &page)?;
    write_lists(&mut wb, cat, &page)?;
    Ok((wb.save_to_buffer()?, written))
}

/// Writes the templates for `period` into `out_dir`: every reporting unit's, or only
/// `unit`'s. Returns the paths written, in registry order.
///
/// # Errors
///
/// [`TemplateError`] as for [`build`], or when a file cannot be written.
pub fn write_templates(
    cat: &Catalogue,
    period: &str,
    unit: Option<&str>,
    out_dir: &Path,
    lang: Lang,
) -> Result<Vec<PathBuf>, TemplateError> {
    let units: Vec<&str> = match unit {
        Some(u) => vec![cat
            .find_unit(u)
            .ok_or_else(|| TemplateError::UnknownUnit(u.to_string()))?
            .id
            .as_str()],
        None => cat.reporting_units().iter().map(|u| u.id.as_str()).collect(),
    };
    std::fs::create_dir_all(out_dir).map_err(|source| TemplateError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut paths = Vec::new();
    for u in units {
        let (bytes, _) = build(cat, u, period, lang, None)?;
        let path = out_dir.join(file_name(u, period));
        std::fs::write(&path, bytes).map_err(|source| TemplateError::Io {
            path: path.clone(),
            source,
        })?;
        paths.push(path);
    }
    Ok(paths)
}

fn unlocked() -> Format {
    Format::new()
        .set_unlocked()
        .set_background_color("#FFF9E5")
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
}

fn greyed() -> Format {
    Format::new()
        .set_background_color("#BFBFBF")
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
}

fn locked_text() -> Format {
    Format::new()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
}

fn write_input(ws: &mut Worksheet, row: u32, col: u16, input: &Input, format: &Format) -> Result<(), XlsxError> {
    match input {
        Input::Number(v) => {
            ws.write_number_with_format(row, col, *v, format)?;
        }
        Input::Text(s) => {
            ws.write_string_with_format(row, col, truncate_for_excel(s), format)?;
        }
        Input::Date(y, m, d) => {
            let date = ExcelDateTime::from_ymd(*y, *m, *d)?;
            ws.write_datetime_with_format(row, col, &date, &format.clone().set_num_format("yyyy-mm-dd"))?;
        }
    }
    Ok(())
}

fn write_info(
    wb: &mut Workbook,
    cat: &Catalogue,
    unit: &Unit,
    period: &str,
    lang: Lang,
    fill: &Fill,
    page: &PageTitle,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(info_sheet(lang))?;
    let last_row = InfoField::ALL.len() as u32 - 1;
    apply(
        ws,
        &PrintSetup::new(page, Orientation::Portrait, last_row, 1).on_one_page(),
    )?;
    let bold = Format::new().set_bold();
    let input = unlocked();
    for (r, field) in InfoField::ALL.iter().enumerate() {
        let r = r as u32;
        ws.write_string_with_format(r, 0, field.label(lang), &bold)?;
        match field {
            InfoField::UnitName => {
                ws.write_string(r, 1, lang.pick(&unit.name, &unit.name_en))?;
            }
            InfoField::UnitId => {
                ws.write_string(r, 1, &unit.id)?;
            }
            InfoField::Period => {
                ws.write_string(r, 1, fill.period.as_deref().unwrap_or(period))?;
            }
            InfoField::PreparedBy => match &fill.prepared_by {
                Some(v) => write_input(ws, r, 1, v, &input)?,
                None => {
                    ws.write_blank(r, 1, &input)?;
                }
            },
            InfoField::Date => match &fill.date {
                Some(v) => write_input(ws, r, 1, v, &input)?,
                None => {
                    ws.write_blank(r, 1, &input.clone().set_num_format("yyyy-mm-dd"))?;
                }
            },
            InfoField::TemplateVersion => {
                ws.write_string(r, 1, &cat.plan.catalogue_version)?;
            }
        }
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 60)?;
    ws.protect();
    Ok(())
}

fn write_data(
    wb: &mut Workbook,
    cat: &Catalogue,
    unit: &Unit,
    rows: &[TemplateRow<'_>],
    lang: Lang,
    fill: &Fill,
    page: &PageTitle,
) -> Result<Vec<WrittenCell>, XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(fill.data_sheet_name.as_deref().unwrap_or(data_sheet(lang)))?;
    ws.set_active(true);
    let cols = fill.columns.clone().unwrap_or_else(|| template_columns(cat, unit));
    let col_of = |c: Col| cols.iter().position(|x| *x == c).map(|i| i as u16);
    let header_row = fill.title_rows;
    if fill.title_rows > 0 {
        let title = format!("{} — {}", lang.pick(&unit.name, &unit.name_en), cat.plan.name);
        ws.merge_range(0, 0, 0, cols.len() as u16 - 1, &title, &Format::new().set_bold())?;
    }
    let header = header_format();
    let width_of = |c: Col| match c {
        Col::Id => 18.0,
        Col::Name => 60.0,
        Col::District => 18.0,
        Col::Note => 30.0,
        Col::AgeGroup | Col::Disability => 14.0,
        _ => 11.0,
    };
    let mut header_cells = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let text = fill
            .headers
            .iter()
            .find(|(h, _)| h == c)
            .map_or(c.label(lang), |(_, t)| t.as_str());
        ws.write_string_with_format(header_row, i as u16, text, &header)?;
        ws.set_column_width(i as u16, width_of(*c))?;
        header_cells.push((text, width_of(*c) * BOLD_WIDTH));
    }
    fit_row(ws, header_row, &header_cells)?;
    let (input, grey, text) = (unlocked(), greyed(), locked_text());
    let mut written = Vec::new();
    let mut r = header_row + 1;
    for (i, row) in rows.iter().enumerate() {
        let ind = row.indicator;
        let entry = fill.entries.iter().find(|e| e.row == i);
        for (c_idx, c) in cols.iter().enumerate() {
            let c_idx = c_idx as u16;
            let value = entry
                .and_then(|e| e.values.iter().find(|(col, _)| col == c))
                .map(|(_, v)| v);
            let editable = match c {
                Col::Id | Col::Name => false,
                Col::District => row.district.is_none(),
                Col::Female | Col::Male => ind.by_sex,
                Col::AgeGroup => ind.breakdowns.contains(&Breakdown::AgeGroup),
                Col::Disability => ind.breakdowns.contains(&Breakdown::Disability),
                Col::Total | Col::Note => true,
            };
            let format = if editable {
                &input
            } else if matches!(c, Col::Id | Col::Name | Col::District) {
                &text
            } else {
                &grey
            };
            match (c, value) {
                (_, Some(v)) => {
                    write_input(ws, r, c_idx, v, format)?;
                    written.push(WrittenCell {
                        row: i,
                        col: *c,
                        cell: CellRef::new(r, u32::from(c_idx)),
                        input: v.clone(),
                    });
                }
                (Col::Id, None) => {
                    ws.write_string_with_format(r, c_idx, &ind.id, format)?;
                }
                (Col::Name, None) => {
                    let name = format!("{} ({})", lang.pick(&ind.text, &ind.text_en), ind.unit);
                    ws.write_string_with_format(r, c_idx, &name, format)?;
                    // The locked name wraps: the row is made tall enough to print it whole.
                    fit_row(ws, r, &[(&name, width_of(Col::Name))])?;
                }
                (Col::District, None) if row.district.is_some() => {
                    ws.write_string_with_format(r, c_idx, row.district.as_deref().unwrap_or(""), format)?;
                }
                _ => {
                    ws.write_blank(r, c_idx, format)?;
                }
            }
        }
        r += 1;
        let last_of_indicator = rows.get(i + 1).is_none_or(|n| n.indicator.id != ind.id);
        if fill.blank_row_between_indicators && last_of_indicator {
            r += 1;
        }
    }
    if let Some(total) = fill.totals_row {
        if let (Some(id), Some(t)) = (col_of(Col::Id), col_of(Col::Total)) {
            ws.write_string(r, id, lang.pick("TOPLAM", "TOTAL"))?;
            ws.write_number(r, t, total)?;
            r += 1;
        }
    }
    let (first, last) = (header_row + 1, r.max(header_row + 2) - 1);
    let number_rule = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_message(lang.pick("Sıfır ya da pozitif bir sayı yazın.", "Type zero or a positive number."))?;
    for c in [Col::Female, Col::Male, Col::Total] {
        if let Some(ci) = col_of(c) {
            ws.add_data_validation(first, ci, last, ci, &number_rule)?;
        }
    }
    if let Some(ci) = col_of(Col::District) {
        let list = DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "={LIST_SHEET}!$A$1:$A${}",
                cat.districts.len() + 1
            )))
            .set_error_message(match lang {
                Lang::Tr => format!("Listeden bir ilçe ya da '{}' seçin.", cat.city_wide()),
                Lang::En => format!("Pick a district or '{}' from the list.", cat.city_wide()),
            })?;
        ws.add_data_validation(first, ci, last, ci, &list)?;
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    let setup = PrintSetup::new(page, Orientation::Landscape, last, cols.len() as u16 - 1);
    apply(ws, &setup.with_header_row(header_row))?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    ws.set_tab_color(Color::RGB(0x2F75B5));
    Ok(written)
}

fn write_help(wb: &mut Workbook, cat: &Catalogue, lang: Lang, page: &PageTitle) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(help_sheet(lang))?;
    // Line 7 names the city-wide row; a suffix-free wording fits any plan's name.
    let district_tr = format!(
        "7. İlçe sütunu boş olan satırlarda açılır listeden ilçeyi seçin; il geneli için '{}' seçeneğini seçin. Her ilçe için bir satır kullanın.",
        cat.city_wide()
    );
    let district_en = format!(
        "7. On rows whose District is empty, pick the district from the drop-down; pick '{}' for the whole city. Use one row per district.",
        cat.city_wide()
    );
    let lines_tr = [
        "Bu çalışma kitabı biriminizin Yerel Eşitlik Eylem Planı göstergelerini toplar.",
        "1. 'Bilgi' sayfasında Hazırlayan ve Tarih hücrelerini doldurun. Diğer bilgileri değiştirmeyin.",
        "2. 'Veri' sayfasında her satır bir gösterge (ve ilçe) içindir. Gösterge Kodu ve Gösterge sütunları kilitlidir.",
        "3. Kadın, Erkek ve Toplam sütunlarına yalnızca sayı yazın (ör. 1234 veya 12,5). Kişi ve adet sayıları tam sayıdır.",
        "4. Gri hücreler bu gösterge için doldurulmaz: cinsiyete göre olmayan göstergelerde yalnızca Toplam'ı yazın.",
        "5. Kadın ve Erkek'i yazıp Toplam'ı boş bırakırsanız toplam, ikisinin toplamı olarak alınır.",
        "6. Bilgi yoksa hücreyi boş bırakın veya '-' yazın; bu sıfır sayılmaz. Gerçekten sıfırsa 0 yazın.",
        district_tr.as_str(),
        "8. Açıklama sütununa kısa notlarınızı yazabilirsiniz.",
        "9. Dosyayı .xlsx olarak kaydedip parola koymadan gönderin. Düzeltme gönderirseniz Tarih hücresini güncelleyin: en son tarihli dosya kullanılır.",
    ];
    let lines_en = [
        "This workbook collects your unit's indicators of the Local Equality Action Plan.",
        "1. On 'Info', fill in Prepared By and Date. Do not change the other cells.",
        "2. On 'Data', each row is one indicator (and district). Indicator Code and Indicator are locked.",
        "3. Type numbers only in Women, Men and Total (e.g. 1234 or 12.5). Counts of people and things are whole numbers.",
        "4. Grey cells are not filled for that indicator: for indicators not by sex, fill in Total only.",
        "5. If you fill in Women and Men and leave Total empty, the total is taken as their sum.",
        "6. If you have no figure, leave the cell empty or type '-'; this is not zero. Type 0 for a real zero.",
        district_en.as_str(),
        "8. You may write short notes in the Note column.",
        "9. Save as .xlsx and send it without a password. If you send a correction, update Date: the file with the latest date is used.",
    ];
    let lines: &[&str] = match lang {
        Lang::Tr => &lines_tr,
        Lang::En => &lines_en,
    };
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    for (i, line) in lines.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *line, &wrap)?;
        fit_row(ws, i as u32, &[(line, HELP_WIDTH)])?;
    }
    ws.set_column_width(0, HELP_WIDTH)?;
    let last_row = lines.len() as u32 - 1;
    apply(ws, &PrintSetup::new(page, Orientation::Landscape, last_row, 0))
}

fn write_lists(wb: &mut Workbook, cat: &Catalogue, page: &PageTitle) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(LIST_SHEET)?;
    ws.write_string(0, 0, cat.city_wide())?;
    for (i, d) in cat.districts.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, &d.name)?;
    }
    ws.set_hidden(true);
    let last_row = cat.districts.len() as u32;
    apply(ws, &PrintSetup::new(page, Orientation::Portrait, last_row, 0))
}
