//! Normalisation of what people type into spreadsheets: Turkish text folding, numbers with
//! Turkish or English separators, sex labels, district names and periods.
//!
//! [`fold`] is the one function used wherever names are matched (headers, units, districts,
//! sex labels, TÜİK row labels).

use std::collections::HashMap;
use std::fmt;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a name for matching: lower-cases the Turkish way (`I`→`ı`, `İ`→`i`), strips
/// diacritics (`ı`→`i`, `ş`→`s`, `ğ`→`g`, `ü`→`u`, `ö`→`o`, `ç`→`c`, `â`→`a` …),
/// unifies apostrophes, and collapses every run of white space (including NBSP and line
/// breaks) into one space, trimmed.
///
/// # Examples
///
/// ```
/// use yeep::normalise::fold;
/// assert_eq!(fold("KARŞIYAKA"), "karsiyaka");
/// assert_eq!(fold("İzmir  Geneli"), "izmir geneli");
/// assert_eq!(fold("Kadın\nFemale"), "kadin female");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        // A space is written only before something that is written: a combining mark
        // dropped after a space must not leave the space trailing (`"𝕊\u{a0}\u{a47}"`).
        let before = out.len();
        if pending_space {
            out.push(' ');
        }
        push_folded(c, &mut out, 0);
        if out.len() == before + usize::from(pending_space) {
            out.truncate(before);
        } else {
            pending_space = false;
        }
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}'
}

/// Writes one character folded. What lower-casing and decomposition produce is folded
/// again (up to a small depth), so that folding a folded text changes nothing.
fn push_folded(c: char, out: &mut String, depth: u8) {
    if c.is_ascii() {
        // `I` lower-cases to `i` either way; the grave accent is an apostrophe.
        out.push(if c == '`' { '\'' } else { c.to_ascii_lowercase() });
        return;
    }
    match c {
        // Turkish casing first: dotted capital I and dotless small i.
        'ı' | 'İ' => out.push('i'),
        '’' | '‘' | '´' | 'ʼ' => out.push('\''),
        _ if is_combining_mark(c) || is_space(c) => {}
        _ => {
            for lower in c.to_lowercase() {
                // Decompose and drop combining marks: ş → s, ğ → g, ü → u, i̇ → i …
                for d in lower.nfd() {
                    if d == c || depth >= 4 {
                        if !is_combining_mark(d) && !is_space(d) {
                            out.push(d);
                        }
                    } else {
                        push_folded(d, out, depth + 1);
                    }
                }
            }
        }
    }
}

/// Like [`fold`], then keeps only letters and digits, separated by single spaces: for
/// matching column headers where punctuation varies (`Gösterge_Kodu`, `Gösterge Kodu:`).
pub fn fold_words(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Turkish upper-casing (`i`→`İ`, `ı`→`I`), for display.
pub fn upper_tr(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            'i' => vec!['İ'],
            'ı' => vec!['I'],
            _ => c.to_uppercase().collect(),
        })
        .collect()
}

/// How a textual number should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberStyle {
    /// Decide from the text: `1.234` and `1.234,5` Turkish, `1234.5` and `1,234.5` English.
    #[default]
    Auto,
    /// `.` groups thousands, `,` is the decimal mark (TÜİK biruni exports, SDMX CSV).
    Turkish,
}

/// A cell value after number parsing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberCell {
    /// A number.
    Value(f64),
    /// Empty, `-`, `—`, `–`: nothing reported (not zero).
    NotReported,
    /// `..`, `...`, `:`: not available (TÜİK).
    NotAvailable,
    /// `x`, `X`: confidential (TÜİK).
    Confidential,
}

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotANumber;

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a number")
    }
}

/// Strips footnote markers glued to a value or label: `34,7(1)` → (`34,7`, Some("1")),
/// `2020(r)` → (`2020`, Some("r")), `Toplam*` → (`Toplam`, Some("*")).
pub fn strip_footnote(s: &str) -> (&str, Option<&str>) {
    let t = s.trim_end();
    if let Some(open) = t.rfind('(') {
        if t.ends_with(')') && open > 0 {
            let inner = &t[open + 1..t.len() - 1];
            if !inner.is_empty()
                && inner.len() <= 3
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == 'r' || c == 'R' || c == '*')
            {
                return (t[..open].trim_end(), Some(inner));
            }
        }
    }
    if t.len() > 1 && t.ends_with('*') {
        let body = t.trim_end_matches('*');
        return (body.trim_end(), Some(&t[body.len()..]));
    }
    (t, None)
}

/// Parses a number typed as text.
///
/// Accepts `1.234` (Turkish thousands), `1.234,5`, `12,5`, `1234.5`, `1,234.5`, ` 12 `,
/// `1 234`, a leading `+`/`-`, and a trailing `%`. Empty, `-`, `—`, `–` mean not reported;
/// `..`, `...`, `:` not available; `x` confidential.
///
/// # Errors
///
/// [`NotANumber`] when the text is anything else (`12 kişi`, `on iki`, `1.2.3,4,5`).
///
/// # Examples
///
/// ```
/// use yeep::normalise::{parse_number, NumberCell, NumberStyle};
/// assert_eq!(parse_number("1.234", NumberStyle::Auto), Ok(NumberCell::Value(1234.0)));
/// assert_eq!(parse_number("1.234,5", NumberStyle::Auto), Ok(NumberCell::Value(1234.5)));
/// assert_eq!(parse_number("1234.5", NumberStyle::Auto), Ok(NumberCell::Value(1234.5)));
/// assert_eq!(parse_number(" - ", NumberStyle::Auto), Ok(NumberCell::NotReported));
/// ```
pub fn parse_number(text: &str, style: NumberStyle) -> Result<NumberCell, NotANumber> {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{200b}' | '\''))
        .collect();
    let t = t.trim();
    match t {
        "" | "-" | "—" | "–" | "−" => return Ok(NumberCell::NotReported),
        ".." | "..." | "…" | ":" => return Ok(NumberCell::NotAvailable),
        "x" | "X" => return Ok(NumberCell::Confidential),
        _ => {}
    }
    let t = t.strip_suffix('%').map(str::trim_end).unwrap_or(t);
    let t = t.strip_prefix('%').map(str::trim_start).unwrap_or(t);
    let (negative, body) = match t.chars().next() {
        Some('-') | Some('−') => (
            true,
            t[t.char_indices().nth(1).map_or(t.len(), |(i, _)| i)..].trim_start(),
        ),
        Some('+') => (false, t[1..].trim_start()),
        _ => (false, t),
    };
    if body.is_empty() {
        return Err(NotANumber);
    }
    // Spaces may group thousands ("1 234"), never anything else.
    if body.contains(' ') && !spaced_groups_ok(body) {
        return Err(NotANumber);
    }
    let body: String = body.chars().filter(|c| *c != ' ').collect();
    if !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') || !body.chars().any(|c| c.is_ascii_digit()) {
        return Err(NotANumber);
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let canonical: String = match (dots, commas) {
        (0, 0) => body.clone(),
        (_, 0) if style == NumberStyle::Turkish => {
            // Every dot groups thousands.
            grouped(&body, '.').ok_or(NotANumber)?
        }
        (1, 0) => {
            let (int, frac) = body.split_once('.').unwrap_or((&body, ""));
            if frac.len() == 3 && !int.is_empty() && int.len() <= 3 && !int.starts_with('0') {
                // "1.234": Turkish thousands.
                format!("{int}{frac}")
            } else {
                body.clone()
            }
        }
        (_, 0) => grouped(&body, '.').ok_or(NotANumber)?,
        (0, 1) => body.replace(',', "."),
        (0, _) if style == NumberStyle::Turkish => return Err(NotANumber),
        (0, _) => grouped(&body, ',').ok_or(NotANumber)?,
        _ => {
            let last_dot = body.rfind('.').unwrap_or(0);
            let last_comma = body.rfind(',').unwrap_or(0);
            let (thousands, decimal) = if last_comma > last_dot { ('.', ',') } else { (',', '.') };
            if body.matches(decimal).count() != 1 {
                return Err(NotANumber);
            }
            let (int, frac) = body.split_once(decimal).ok_or(NotANumber)?;
            if frac.contains(thousands) {
                return Err(NotANumber);
            }
            let int = grouped(int, thousands).ok_or(NotANumber)?;
            format!("{int}.{frac}")
        }
    };
    if canonical.starts_with('.') || canonical.ends_with('.') {
        return Err(NotANumber);
    }
    let v: f64 = canonical.parse().map_err(|_| NotANumber)?;
    if !v.is_finite() {
        return Err(NotANumber);
    }
    Ok(NumberCell::Value(if negative { -v } else { v }))
}

/// `1.234.567` with `sep` = '.' → `1234567`, checking that every group after the first has
/// three digits.
fn grouped(s: &str, sep: char) -> Option<String> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_string();
    for p in parts {
        if p.len() != 3 || !p.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        out.push_str(p);
    }
    Some(out)
}

fn spaced_groups_ok(s: &str) -> bool {
    let mut parts = s.split(' ').filter(|p| !p.is_empty());
    let Some(first) = parts.next() else { return false };
    if first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    rest.iter().enumerate().all(|(i, p)| {
        let b = p.as_bytes();
        let digits_then_decimal =
            i == rest.len() - 1 && b.len() > 3 && b[..3].iter().all(u8::is_ascii_digit) && matches!(b[3], b',' | b'.');
        (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit())) || digits_then_decimal
    })
}

/// A number as a person writes it, without grouping: `12`, `12.5`, `-3` (the value
/// column of the reports shows values so).
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A number written without grouping (`-1234567.5`, as [`format_number`] or `format!`
/// writes it) regrouped for a reader: `thousands` between groups of three digits and
/// `decimal` as the decimal mark, e.g. `-1.234.567,5` (Turkish) or `-1,234,567.5`
/// (English).
///
/// # Examples
///
/// ```
/// use yeep::normalise::group_digits;
/// assert_eq!(group_digits("-1234567.5", '.', ','), "-1.234.567,5");
/// assert_eq!(group_digits("71198", ',', '.'), "71,198");
/// assert_eq!(group_digits("999", '.', ','), "999");
/// ```
pub fn group_digits(plain: &str, thousands: char, decimal: char) -> String {
    let (sign, body) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(plain.len() + int.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(f);
    }
    out
}

/// The sex of a value in the tidy tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
    Total,
}

impl Sex {
    /// The label in the BI contract: `female`, `male`, `total`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Total => "total",
        }
    }
}

/// Reads a sex label: `Kadın/K/Kız/Female/F/Kadın-Female`, `Erkek/E/Male/M/Erkek - Male`,
/// `Toplam/Total/T`, in any case, with or without Turkish letters.
///
/// # Examples
///
/// ```
/// use yeep::normalise::{parse_sex, Sex};
/// assert_eq!(parse_sex("KADIN"), Some(Sex::Female));
/// assert_eq!(parse_sex("Erkek - Male"), Some(Sex::Male));
/// assert_eq!(parse_sex("Toplam\nTotal"), Some(Sex::Total));
/// assert_eq!(parse_sex("Kadin"), Some(Sex::Female));
/// ```
pub fn parse_sex(s: &str) -> Option<Sex> {
    let f = fold_words(s);
    let one = |w: &str| -> Option<Sex> {
        match w {
            "kadin" | "kadinlar" | "k" | "kiz" | "kizlar" | "female" | "females" | "f" | "women" | "woman" | "w" => {
                Some(Sex::Female)
            }
            "erkek" | "erkekler" | "e" | "male" | "males" | "m" | "men" | "man" => Some(Sex::Male),
            "toplam" | "total" | "t" | "genel toplam" | "grand total" => Some(Sex::Total),
            _ => None,
        }
    };
    if let Some(s) = one(&f) {
        return Some(s);
    }
    // Bilingual labels: "kadin female", "erkek male", "toplam total".
    let words: Vec<&str> = f.split(' ').collect();
    let found: Vec<Sex> = words.iter().filter_map(|w| one(w)).collect();
    if !found.is_empty() && found.len() == words.len() && found.iter().all(|s| *s == found[0]) {
        return Some(found[0]);
    }
    None
}

/// A period: a year, or a quarter of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: u16,
    /// 1–4, or `None` for the whole year.
    pub quarter: Option<u8>,
}

impl Period {
    /// The year this period belongs to.
    pub fn year_period(self) -> Period {
        Period {
            year: self.year,
            quarter: None,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quarter {
            None => write!(f, "{}", self.year),
            Some(q) => write!(f, "{}-Q{}", self.year, q),
        }
    }
}

/// Reads a period: `2023`, `2023-Q1`, `2023 Q1`, `2023/Ç1` … also a year typed as a number
/// (`2023.0`).
///
/// # Examples
///
/// ```
/// use yeep::normalise::parse_period;
/// assert_eq!(parse_period("2023").unwrap().to_string(), "2023");
/// assert_eq!(parse_period("2023-q2").unwrap().to_string(), "2023-Q2");
/// assert!(parse_period("23").is_none());
/// ```
pub fn parse_period(s: &str) -> Option<Period> {
    let f = fold(s);
    let f = f.strip_suffix(".0").unwrap_or(&f);
    let year_of = |y: &str| -> Option<u16> {
        if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) {
            let v: u16 = y.parse().ok()?;
            (1900..=2100).contains(&v).then_some(v)
        } else {
            None
        }
    };
    if let Some(year) = year_of(f) {
        return Some(Period { year, quarter: None });
    }
    let (y, rest) = f.split_at(f.len().min(4));
    let year = year_of(y)?;
    let q: String = rest
        .trim_start_matches(['-', ' ', '/', '_'])
        .chars()
        .filter(|c| !matches!(c, 'q' | 'c' | '.' | ' '))
        .collect();
    let q = q.trim_end_matches(|c: char| c.is_alphabetic());
    let quarter: u8 = q.parse().ok()?;
    (1..=4).contains(&quarter).then_some(Period {
        year,
        quarter: Some(quarter),
    })
}

/// Finds canonical district names from what people type, and knows the name of the
/// city-wide aggregate row (the plan's `[city_wide]` area, `docs/catalogue-format.md`).
#[derive(Debug, Clone, Default)]
pub struct DistrictIndex {
    by_fold: HashMap<String, String>,
    city_wide: String,
}

impl DistrictIndex {
    /// Builds the index from the city-wide area's name and aliases and the districts'
    /// `(canonical name, aliases)` pairs.
    pub fn new<'a>(
        city_wide: &str,
        city_wide_aliases: &[String],
        districts: impl IntoIterator<Item = (&'a str, &'a [String])>,
    ) -> Self {
        let mut by_fold = HashMap::new();
        for (name, aliases) in districts {
            by_fold.insert(fold_words(name), name.to_string());
            for a in aliases {
                by_fold.insert(fold_words(a), name.to_string());
            }
        }
        if !city_wide.is_empty() {
            for alias in std::iter::once(city_wide).chain(city_wide_aliases.iter().map(String::as_str)) {
                by_fold.insert(fold_words(alias), city_wide.to_string());
            }
        }
        DistrictIndex {
            by_fold,
            city_wide: city_wide.to_string(),
        }
    }

    /// The canonical name of the city-wide aggregate row (empty for an index built without
    /// one).
    pub fn city_wide(&self) -> &str {
        &self.city_wide
    }

    /// The city-wide name and its aliases, folded ([`fold_words`]), in no particular order.
    pub fn city_wide_spellings(&self) -> impl Iterator<Item = &str> {
        self.by_fold
            .iter()
            .filter(|(_, name)| **name == self.city_wide)
            .map(|(folded, _)| folded.as_str())
    }

    /// The canonical name of a district (or [`DistrictIndex::city_wide`]); `None` when unknown.
    /// Accepts `KARSIYAKA`, `Karşıyaka`, `karsıyaka`, `Karşıyaka İlçesi`, `Karşıyaka Belediyesi`.
    pub fn find(&self, s: &str) -> Option<&str> {
        let f = fold_words(s);
        if let Some(n) = self.by_fold.get(&f) {
            return Some(n);
        }
        for suffix in [" ilcesi", " ilce", " belediyesi", " district"] {
            if let Some(stem) = f.strip_suffix(suffix) {
                if let Some(n) = self.by_fold.get(stem) {
                    return Some(n);
                }
            }
        }
        None
    }

    /// Number of distinct canonical names (districts plus the city-wide name).
    pub fn len(&self) -> usize {
        let mut v: Vec<&String> = self.by_fold.values().collect();
        v.sort();
        v.dedup();
        v.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.by_fold.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_turkish_letters() {
        assert_eq!(fold("İ"), "i");
        assert_eq!(fold("ı"), "i");
        assert_eq!(fold("I"), "i");
        assert_eq!(fold("i"), "i");
        assert_eq!(fold("Ş"), "s");
        assert_eq!(fold("ğ"), "g");
        assert_eq!(fold("ÇÖÜ"), "cou");
        assert_eq!(fold("ISPARTA"), "isparta");
        assert_eq!(fold("IĞDIR"), "igdir");
        assert_eq!(fold("Iğdır"), "igdir");
        assert_eq!(fold("i\u{307}zmir"), "izmir");
        assert_eq!(fold("Hâkim"), "hakim");
        assert_eq!(fold("  Adana \n"), "adana");
    }

    /// Folding is idempotent for any text when it is for every character: each character
    /// that folding writes folds to itself (spaces are only collapsed and trimmed).
    #[test]
    fn every_character_folds_to_characters_that_fold_to_themselves() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for d in fold(&c.to_string()).chars() {
                assert!(!is_space(d), "{c:?} folds to a space");
                assert_eq!(
                    fold(&d.to_string()),
                    d.to_string(),
                    "{c:?} folds to {d:?}, which folds again"
                );
            }
        }
    }

    #[test]
    fn numbers() {
        use NumberCell::*;
        let p = |s| parse_number(s, NumberStyle::Auto);
        assert_eq!(p("1.234"), Ok(Value(1234.0)));
        assert_eq!(p("1.234.567"), Ok(Value(1234567.0)));
        assert_eq!(p("1.234,5"), Ok(Value(1234.5)));
        assert_eq!(p("1,234.5"), Ok(Value(1234.5)));
        assert_eq!(p("12,5"), Ok(Value(12.5)));
        assert_eq!(p("1234.5"), Ok(Value(1234.5)));
        assert_eq!(p("0.123"), Ok(Value(0.123)));
        assert_eq!(p(" 12 "), Ok(Value(12.0)));
        assert_eq!(p("1 234"), Ok(Value(1234.0)));
        assert_eq!(p("-5"), Ok(Value(-5.0)));
        assert_eq!(p("%34,7"), Ok(Value(34.7)));
        assert_eq!(p("—"), Ok(NotReported));
        assert_eq!(p(""), Ok(NotReported));
        assert_eq!(p(".."), Ok(NotAvailable));
        assert_eq!(p("x"), Ok(Confidential));
        assert_eq!(p("12 kişi"), Err(NotANumber));
        assert_eq!(p("1.2.3"), Err(NotANumber));
        assert_eq!(p("1,2,3"), Err(NotANumber));
        assert_eq!(p("abc"), Err(NotANumber));
        assert_eq!(p("1e5"), Err(NotANumber));
        assert_eq!(p("inf"), Err(NotANumber));
        assert_eq!(parse_number("16.404", NumberStyle::Turkish), Ok(Value(16404.0)));
        assert_eq!(parse_number("91,7958", NumberStyle::Turkish), Ok(Value(91.7958)));
        assert_eq!(parse_number("1.5", NumberStyle::Turkish), Err(NotANumber));
    }

    #[test]
    fn footnotes() {
        assert_eq!(strip_footnote("2021(1)"), ("2021", Some("1")));
        assert_eq!(strip_footnote("34,7(1)"), ("34,7", Some("1")));
        assert_eq!(strip_footnote("2020(r)"), ("2020", Some("r")));
        assert_eq!(strip_footnote("-(1)"), ("-", Some("1")));
        assert_eq!(strip_footnote("Toplam*"), ("Toplam", Some("*")));
        assert_eq!(strip_footnote("TR31 (İzmir)"), ("TR31 (İzmir)", None));
    }

    #[test]
    fn sexes() {
        for s in [
            "Kadın",
            "KADIN",
            "kadin",
            "K",
            "k",
            "Kız",
            "Female",
            "F",
            "Kadın-Female",
            "Kadın - Female",
            "Kadın\nFemale",
        ] {
            assert_eq!(parse_sex(s), Some(Sex::Female), "{s}");
        }
        for s in ["Erkek", "ERKEK", "E", "Male", "M", "Erkek-Male"] {
            assert_eq!(parse_sex(s), Some(Sex::Male), "{s}");
        }
        for s in ["Toplam", "TOPLAM", "Total", "Toplam-Total"] {
            assert_eq!(parse_sex(s), Some(Sex::Total), "{s}");
        }
        assert_eq!(parse_sex("Kadın Erkek"), None);
        assert_eq!(parse_sex("Çocuk"), None);
    }

    #[test]
    fn periods() {
        assert_eq!(
            parse_period("2023"),
            Some(Period {
                year: 2023,
                quarter: None
            })
        );
        assert_eq!(
            parse_period("2023.0"),
            Some(Period {
                year: 2023,
                quarter: None
            })
        );
        assert_eq!(
            parse_period("2023-Q1"),
            Some(Period {
                year: 2023,
                quarter: Some(1)
            })
        );
        assert_eq!(
            parse_period("2023 q4"),
            Some(Period {
                year: 2023,
                quarter: Some(4)
            })
        );
        assert_eq!(
            parse_period("2023/Ç2"),
            Some(Period {
                year: 2023,
                quarter: Some(2)
            })
        );
        assert_eq!(parse_period("2023-Q5"), None);
        assert_eq!(parse_period("abcd"), None);
    }

    #[test]
    fn districts() {
        let aliases: Vec<String> = vec![];
        let city_aliases: Vec<String> = vec!["Örnekkent".into(), "Tüm İlçeler".into(), "TR31".into()];
        let idx = DistrictIndex::new(
            "Örnekkent Geneli",
            &city_aliases,
            [("Karşıyaka", aliases.as_slice()), ("Çiğli", aliases.as_slice())],
        );
        assert_eq!(idx.find("KARSIYAKA"), Some("Karşıyaka"));
        assert_eq!(idx.find("karsıyaka"), Some("Karşıyaka"));
        assert_eq!(idx.find("CIGLI"), Some("Çiğli"));
        assert_eq!(idx.find("Karşıyaka Belediyesi"), Some("Karşıyaka"));
        assert_eq!(idx.city_wide(), "Örnekkent Geneli");
        assert_eq!(idx.find("ÖRNEKKENT GENELİ"), Some("Örnekkent Geneli"));
        assert_eq!(idx.find("tum ilceler"), Some("Örnekkent Geneli"));
        assert_eq!(idx.find("tr31"), Some("Örnekkent Geneli"));
        let mut spellings: Vec<&str> = idx.city_wide_spellings().collect();
        spellings.sort();
        assert_eq!(spellings, ["ornekkent", "ornekkent geneli", "tr31", "tum ilceler"]);
        assert_eq!(idx.find("İzmir Geneli"), None);
        assert_eq!(idx.find("Ankara"), None);
        assert_eq!(idx.len(), 3);
    }
}
