//! Print setup shared by every workbook yeep writes (issue 15): A4, the orientation chosen
//! per sheet, one page wide, the header rows repeated on every page, a print area, a header
//! naming plan, period and edition and a footer with the page numbers, in the workbook's
//! language; and row heights that fit wrapped text (rust_xlsxwriter has no autofit, and
//! LibreOffice keeps the default height of rows written without one, so wrapped text would
//! run into the rows around it).

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::model::lang::Lang;

/// `paperSize` of A4 in the spreadsheet format.
pub const A4: u8 = 9;

/// Height in points of one line of the default font (Calibri 11), the default row height.
pub const LINE_HEIGHT: f64 = 15.0;

/// The share of a column's width a bold text may count on ([`wrapped_lines`] counts
/// regular letters; bold ones are wider): header rows and bold titles are fitted with
/// their widths times this.
pub const BOLD_WIDTH: f64 = 0.85;

/// The tallest row Excel accepts, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// The longest plan name or document name put in a header or footer (characters); Excel
/// refuses headers and footers of more than 255 characters, control codes included.
const MAX_TITLE_CHARS: usize = 90;

/// Who a workbook is for, named on every printed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// All values: the statistics unit, the commission, the reporting units.
    Internal,
    /// Disclosure-controlled or holding nothing sensitive: may be published.
    Public,
}

impl Edition {
    /// "iç kullanım" / "kamuya açık" (or English).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Edition::Internal => lang.pick("iç kullanım", "internal use"),
            Edition::Public => lang.pick("kamuya açık", "public"),
        }
    }
}

/// What every printed page of one workbook names: the plan, the period, the edition and
/// the document, in the workbook's language.
#[derive(Debug, Clone)]
pub struct PageTitle {
    /// The plan's name in the workbook's language.
    pub plan: String,
    /// The period (`2023`), or the plan's span (`2022–2024`) for a workbook of the plan.
    pub period: String,
    pub edition: Edition,
    /// What the workbook is (`İzleme çalışma kitabı`, `Doğrulama raporu`, …).
    pub document: String,
    pub lang: Lang,
}

impl PageTitle {
    /// The page header: the plan on the left, period and edition on the right.
    pub fn header(&self) -> String {
        format!(
            "&L&9 {}&R&9 {} {} — {}",
            escape(&clip(&self.plan)),
            self.lang.pick("Dönem", "Period"),
            escape(&self.period),
            self.edition.label(self.lang)
        )
    }

    /// The page footer: document and sheet on the left, "Sayfa &P / &N" on the right.
    pub fn footer(&self) -> String {
        format!(
            "&L&9 {} — &A&R&9 {}",
            escape(&clip(&self.document)),
            self.lang.pick("Sayfa &P / &N", "Page &P of &N")
        )
    }
}

/// Orientation of a printed sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Long listings that are narrow enough: twice the rows per page of landscape.
    Portrait,
    /// Wide sheets.
    Landscape,
}

/// How one sheet prints.
#[derive(Debug, Clone)]
pub struct PrintSetup<'a> {
    pub title: &'a PageTitle,
    pub orientation: Orientation,
    /// Rows printed at the top of every page (first, last; zero-indexed), usually the header.
    pub repeat_rows: Option<(u32, u32)>,
    /// The print area: from A1 to this row and column (zero-indexed).
    pub last_row: u32,
    pub last_col: u16,
    /// Pages tall: 0 for as many as needed, 1 for a sheet that fits one page.
    pub pages_tall: u16,
}

impl<'a> PrintSetup<'a> {
    /// A sheet printed one page wide and as many tall as needed, nothing repeated.
    pub fn new(title: &'a PageTitle, orientation: Orientation, last_row: u32, last_col: u16) -> PrintSetup<'a> {
        PrintSetup {
            title,
            orientation,
            repeat_rows: None,
            last_row,
            last_col,
            pages_tall: 0,
        }
    }

    /// The same, with the header row `row` repeated on every page.
    pub fn with_header_row(mut self, row: u32) -> PrintSetup<'a> {
        self.repeat_rows = Some((row, row));
        self
    }

    /// The same, on one page.
    pub fn on_one_page(mut self) -> PrintSetup<'a> {
        self.pages_tall = 1;
        self
    }
}

/// Applies `setup` to `ws`: A4, orientation, fit to one page wide (and `pages_tall`), the
/// repeated rows, the print area, narrow margins, the header and footer (not scaled with
/// the sheet, so they stay readable on a sheet shrunk to the page's width). Frozen panes,
/// filters and column widths are left as they are.
///
/// # Errors
///
/// [`XlsxError`] for a print area or repeated rows outside the sheet.
pub fn apply(ws: &mut Worksheet, setup: &PrintSetup) -> Result<(), XlsxError> {
    ws.set_paper_size(A4);
    match setup.orientation {
        Orientation::Portrait => ws.set_portrait(),
        Orientation::Landscape => ws.set_landscape(),
    };
    ws.set_print_fit_to_pages(1, setup.pages_tall);
    if let Some((first, last)) = setup.repeat_rows {
        ws.set_repeat_rows(first, last)?;
    }
    ws.set_print_area(0, 0, setup.last_row, setup.last_col)?;
    // Inches: left, right, top, bottom, header, footer.
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.25, 0.25);
    ws.set_header_footer_scale_with_doc(false);
    ws.set_header(setup.title.header());
    ws.set_footer(setup.title.footer());
    Ok(())
}

/// Prints a table written by `sinks::xlsx::write_table` (`rows` rows under its header
/// row, `cols` columns): one page wide, the header on every page.
///
/// # Errors
///
/// [`XlsxError`] from the writer.
pub fn apply_to_table(
    ws: &mut Worksheet,
    title: &PageTitle,
    orientation: Orientation,
    rows: usize,
    cols: usize,
) -> Result<(), XlsxError> {
    let setup = PrintSetup::new(title, orientation, rows.max(1) as u32, cols.max(1) as u16 - 1).with_header_row(0);
    apply(ws, &setup)
}

/// `&` in text for a header or footer: `&&` (a single `&` starts a control code).
pub fn escape(text: &str) -> String {
    text.replace('&', "&&")
}

fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_TITLE_CHARS {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX_TITLE_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// Lines `text` takes when wrapped in a column `width` characters wide: words are placed
/// greedily, a word longer than a line is broken. Generous on purpose: a width unit is the
/// width of a digit of the default font (7 pixels of Calibri 11) and one character is
/// counted per unit, while an average letter is narrower (about 6 pixels, 6.5 in bold), so
/// a line holds some 10–20 % more than counted: a row a little too tall is better than
/// clipped text.
///
/// # Examples
///
/// ```
/// use yeep::sinks::print::wrapped_lines;
/// assert_eq!(wrapped_lines("kısa", 10.0), 1);
/// assert_eq!(wrapped_lines("bir iki üç dört beş altı", 9.0), 3);
/// assert_eq!(wrapped_lines("", 10.0), 1);
/// ```
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let capacity = (width.floor() as usize).max(1);
    let mut lines = 0;
    for paragraph in text.split('\n') {
        let mut used = 0usize;
        let mut para_lines = 1;
        for word in paragraph.split_whitespace() {
            let n = word.chars().count();
            if used == 0 {
                para_lines += (n.max(1) - 1) / capacity;
                used = (n - 1) % capacity + 1;
            } else if used + 1 + n <= capacity {
                used += 1 + n;
            } else {
                para_lines += 1 + (n.max(1) - 1) / capacity;
                used = (n - 1) % capacity + 1;
            }
        }
        lines += para_lines;
    }
    lines.max(1)
}

/// The height (points) of a row whose cells hold `cells` (text, column width in characters)
/// wrapped: the tallest cell's lines times [`LINE_HEIGHT`], a little more for several lines,
/// at most Excel's largest row height.
///
/// # Examples
///
/// ```
/// use yeep::sinks::print::{wrapped_row_height, LINE_HEIGHT};
/// assert_eq!(wrapped_row_height(&[("kısa", 20.0), ("2023", 8.0)]), LINE_HEIGHT);
/// assert!(wrapped_row_height(&[(&"uzun metin ".repeat(20), 20.0)]) > 10.0 * LINE_HEIGHT);
/// ```
pub fn wrapped_row_height(cells: &[(&str, f64)]) -> f64 {
    lines_height(cells.iter().map(|(t, w)| wrapped_lines(t, *w)).max().unwrap_or(1))
}

/// The height (points) of a row of `lines` lines of text (see [`wrapped_row_height`]).
pub fn lines_height(lines: usize) -> f64 {
    if lines <= 1 {
        LINE_HEIGHT
    } else {
        (lines as f64 * LINE_HEIGHT + 3.0).min(MAX_ROW_HEIGHT)
    }
}

/// Sets the height of `row` to [`wrapped_row_height`] of `cells` when that is taller than
/// one line (rows of one line keep the default height).
///
/// # Errors
///
/// [`XlsxError`] for a row outside the sheet.
pub fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    fit_row_to_lines(
        ws,
        row,
        cells.iter().map(|(t, w)| wrapped_lines(t, *w)).max().unwrap_or(1),
    )
}

/// Sets the height of `row` to [`lines_height`] of `lines` when that is more than one line.
///
/// # Errors
///
/// [`XlsxError`] for a row outside the sheet.
pub fn fit_row_to_lines(ws: &mut Worksheet, row: u32, lines: usize) -> Result<(), XlsxError> {
    let height = lines_height(lines);
    if height > LINE_HEIGHT {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_are_broken_and_lines_counted() {
        assert_eq!(wrapped_lines("abcdefghijklmnopqrst", 10.0), 2);
        assert_eq!(wrapped_lines("abcdefghijklmnopqrstu", 10.0), 3);
        assert_eq!(wrapped_lines("abc defghijklmnopqrstuvwxyz", 10.0), 4);
        assert_eq!(wrapped_lines("izmir-2022-2024", 15.0), 1);
        assert_eq!(wrapped_lines("bir\niki", 40.0), 2);
        assert_eq!(wrapped_lines("a b", 0.0), 2);
        assert_eq!(wrapped_lines("a b", 3.0), 1);
    }

    #[test]
    fn ampersands_are_escaped_and_titles_clipped() {
        let t = PageTitle {
            plan: format!("A & B {}", "x".repeat(200)),
            period: "2023".into(),
            edition: Edition::Public,
            document: "Rapor".into(),
            lang: Lang::Tr,
        };
        let h = t.header();
        assert!(h.contains("A && B"));
        assert!(h.contains("Dönem 2023 — kamuya açık"));
        assert!(h.encode_utf16().count() < 256);
        assert!(t.footer().ends_with("Sayfa &P / &N"));
    }
}
