//! The submission workbook's vocabulary, shared by the template writer (`sinks::template`)
//! and the reader (`sources::submission`): sheet
//! names, `Bilgi` labels and `Veri` columns, in Turkish and English, and how folded
//! header text maps back to them. See `docs/submissions.md`.

use crate::model::Lang;
use crate::normalise::{fold_words, parse_sex, Sex};

/// Name of the info sheet.
pub fn info_sheet(lang: Lang) -> &'static str {
    lang.pick("Bilgi", "Info")
}

/// Name of the data sheet.
pub fn data_sheet(lang: Lang) -> &'static str {
    lang.pick("Veri", "Data")
}

/// Name of the instructions sheet.
pub fn help_sheet(lang: Lang) -> &'static str {
    lang.pick("Açıklamalar", "Instructions")
}

/// Name of the hidden sheet holding the district list for the drop-down.
pub const LIST_SHEET: &str = "Listeler";

/// Whether a sheet name (any case, with or without Turkish letters) names the data sheet.
///
/// # Examples
///
/// ```
/// use yeep::model::form::is_data_sheet_name;
/// assert!(is_data_sheet_name("VERİ"));
/// assert!(is_data_sheet_name(" veri "));
/// assert!(is_data_sheet_name("Data"));
/// assert!(!is_data_sheet_name("Sayfa1"));
/// ```
pub fn is_data_sheet_name(name: &str) -> bool {
    matches!(fold_words(name).as_str(), "veri" | "data" | "veriler")
}

/// Whether a sheet name names the info sheet.
pub fn is_info_sheet_name(name: &str) -> bool {
    matches!(fold_words(name).as_str(), "bilgi" | "info" | "information" | "bilgiler")
}

/// A label of the `Bilgi` sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InfoField {
    UnitName,
    UnitId,
    Period,
    PreparedBy,
    Date,
    TemplateVersion,
}

impl InfoField {
    /// Every field, in the order the template writes them (rows 1–6).
    pub const ALL: [InfoField; 6] = [
        InfoField::UnitName,
        InfoField::UnitId,
        InfoField::Period,
        InfoField::PreparedBy,
        InfoField::Date,
        InfoField::TemplateVersion,
    ];

    /// The label the template writes.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            InfoField::UnitName => lang.pick("Birim", "Unit"),
            InfoField::UnitId => lang.pick("Birim Kodu", "Unit Code"),
            InfoField::Period => lang.pick("Dönem", "Period"),
            InfoField::PreparedBy => lang.pick("Hazırlayan", "Prepared By"),
            InfoField::Date => lang.pick("Tarih", "Date"),
            InfoField::TemplateVersion => lang.pick("Şablon Sürümü", "Template Version"),
        }
    }

    /// Reads a label typed in either language (folded, punctuation ignored).
    ///
    /// # Examples
    ///
    /// ```
    /// use yeep::model::form::InfoField;
    /// assert_eq!(InfoField::parse("BİRİM KODU:"), Some(InfoField::UnitId));
    /// assert_eq!(InfoField::parse("Period"), Some(InfoField::Period));
    /// ```
    pub fn parse(label: &str) -> Option<InfoField> {
        Some(match fold_words(label).as_str() {
            "birim" | "birim adi" | "unit" | "unit name" => InfoField::UnitName,
            "birim kodu" | "unit code" | "unit id" => InfoField::UnitId,
            "donem" | "period" | "yil" | "year" => InfoField::Period,
            "hazirlayan" | "prepared by" => InfoField::PreparedBy,
            "tarih" | "date" => InfoField::Date,
            "sablon surumu" | "template version" => InfoField::TemplateVersion,
            _ => return None,
        })
    }
}

/// A column of the `Veri` sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Col {
    Id,
    Name,
    District,
    Female,
    Male,
    Total,
    AgeGroup,
    Disability,
    Note,
}

impl Col {
    /// The header the template writes.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Col::Id => lang.pick("Gösterge Kodu", "Indicator Code"),
            Col::Name => lang.pick("Gösterge", "Indicator"),
            Col::District => lang.pick("İlçe", "District"),
            Col::Female => lang.pick("Kadın", "Women"),
            Col::Male => lang.pick("Erkek", "Men"),
            Col::Total => lang.pick("Toplam", "Total"),
            Col::AgeGroup => lang.pick("Yaş Grubu", "Age Group"),
            Col::Disability => lang.pick("Engellilik", "Disability"),
            Col::Note => lang.pick("Açıklama", "Note"),
        }
    }

    /// Reads a header typed in either language, any case, with or without Turkish
    /// letters; sex columns through [`parse_sex`] (`KADIN`, `K`, `Female` …).
    ///
    /// # Examples
    ///
    /// ```
    /// use yeep::model::form::Col;
    /// assert_eq!(Col::parse("GÖSTERGE KODU"), Some(Col::Id));
    /// assert_eq!(Col::parse("KADIN"), Some(Col::Female));
    /// assert_eq!(Col::parse("ilce"), Some(Col::District));
    /// assert_eq!(Col::parse("Notlarım"), None);
    /// ```
    pub fn parse(header: &str) -> Option<Col> {
        if let Some(sex) = parse_sex(header) {
            return Some(match sex {
                Sex::Female => Col::Female,
                Sex::Male => Col::Male,
                Sex::Total => Col::Total,
            });
        }
        Some(match fold_words(header).as_str() {
            "gosterge kodu" | "gosterge kod" | "indicator code" | "indicator id" | "kod" | "code" => Col::Id,
            "gosterge" | "gosterge adi" | "indicator" | "indicator name" => Col::Name,
            "ilce" | "ilce adi" | "district" => Col::District,
            "yas grubu" | "yas" | "age group" | "age" => Col::AgeGroup,
            "engellilik" | "engellilik durumu" | "engel durumu" | "disability" => Col::Disability,
            "aciklama" | "aciklamalar" | "not" | "note" | "notes" | "comment" => Col::Note,
            _ => return None,
        })
    }

    /// The sex a value column holds.
    pub fn sex(self) -> Option<Sex> {
        match self {
            Col::Female => Some(Sex::Female),
            Col::Male => Some(Sex::Male),
            Col::Total => Some(Sex::Total),
            _ => None,
        }
    }
}

/// Words that mark a totals row a unit added (`TOPLAM`, `Genel Toplam`, `Total`).
pub fn is_totals_label(text: &str) -> bool {
    matches!(
        fold_words(text).as_str(),
        "toplam" | "genel toplam" | "total" | "grand total" | "ara toplam" | "subtotal"
    )
}
