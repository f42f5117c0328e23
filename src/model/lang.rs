//! The language of everything a municipal user reads: Turkish by default, English for
//! international partners.

use serde::Deserialize;

use crate::normalise::{format_number, group_digits};

/// Language of templates, reports and workbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Tr,
    En,
}

impl Lang {
    /// Picks the Turkish or the English text.
    pub fn pick<'a>(self, tr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Tr => tr,
            Lang::En => en,
        }
    }

    /// The thousands separator and the decimal mark: `.` and `,` in Turkish, `,` and `.`
    /// in English.
    fn marks(self) -> (char, char) {
        match self {
            Lang::Tr => ('.', ','),
            Lang::En => (',', '.'),
        }
    }

    /// A number for a sentence in this language: `1.234,5` (Turkish), `1,234.5` (English).
    ///
    /// # Examples
    ///
    /// ```
    /// use yeep::model::Lang;
    /// assert_eq!(Lang::Tr.number(71198.0), "71.198");
    /// assert_eq!(Lang::En.number(1234.5), "1,234.5");
    /// ```
    pub fn number(self, v: f64) -> String {
        let (thousands, decimal) = self.marks();
        group_digits(&format_number(v), thousands, decimal)
    }

    /// A number with `decimals` digits after the mark: `46,3` (Turkish), `46.3` (English).
    pub fn fixed(self, v: f64, decimals: usize) -> String {
        let (thousands, decimal) = self.marks();
        group_digits(&format!("{v:.decimals$}"), thousands, decimal)
    }

    /// A count: `1.048.576` (Turkish), `1,048,576` (English).
    pub fn count(self, n: u64) -> String {
        let (thousands, decimal) = self.marks();
        group_digits(&n.to_string(), thousands, decimal)
    }

    /// A percentage, the sign where the language puts it: `%46,3` (Turkish), `46.3%`
    /// (English).
    pub fn percent(self, number: &str) -> String {
        match self {
            Lang::Tr => format!("%{number}"),
            Lang::En => format!("{number}%"),
        }
    }
}
