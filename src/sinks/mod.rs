//! Everything yeep writes: workbooks (catalogue, templates, validation report, monitoring
//! workbook), the BI feed and the manifest. The only place rust_xlsxwriter appears.

pub mod atomic;
pub mod catalogue;
pub mod print;
pub mod report;
pub mod template;
pub mod xlsx;

/// Neutralises a text for CSV per OWASP's CSV-injection guidance: a value starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so spreadsheet programs
/// show it as text instead of running it as a formula. Numbers typed as text such as
/// `-5` are neutralised too (they came from a text field; the numeric columns are written
/// as numbers and never pass through here).
///
/// # Examples
///
/// ```
/// use yeep::sinks::csv_safe;
/// assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(csv_safe("Karşıyaka"), "Karşıyaka");
/// ```
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{s}")),
        _ => std::borrow::Cow::Borrowed(s),
    }
}
pub mod feed;
pub mod manifest;
pub mod pdf;
pub mod plan_workbook;
pub mod workbook;
