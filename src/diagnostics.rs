//! Diagnostics: problems as data, not log lines. Every
//! problem has a stable reason code from one registry ([`Reason`]) with a Turkish and an
//! English title, message and advice; an instance adds only its location and the value
//! found.

use serde::{Deserialize, Serialize};

use crate::model::{CellRef, Lang};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The value or file was rejected (not in `observations`).
    Error,
    /// Accepted, but worth a look (e.g. a stated rate that disagrees with its counts).
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! reasons {
    ($( $variant:ident = $code:literal, $sev:ident,
        tr: $title_tr:literal, $advice_tr:literal,
        en: $title_en:literal, $advice_en:literal; )*) => {
        /// The registry of reason codes. Codes are stable: reports, tests and users'
        /// filters depend on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Reason { $( $variant, )* }

        impl Reason {
            /// Every reason, in registry order.
            pub const ALL: &'static [Reason] = &[ $( Reason::$variant, )* ];

            /// The stable code, e.g. `value-negative`.
            pub fn code(self) -> &'static str {
                match self { $( Reason::$variant => $code, )* }
            }

            /// Whether a diagnostic with this reason rejects the value/file.
            pub fn severity(self) -> Severity {
                match self { $( Reason::$variant => Severity::$sev, )* }
            }

            /// A one-line title in the language asked for.
            pub fn title(self, lang: Lang) -> &'static str {
                match self { $( Reason::$variant => lang.pick($title_tr, $title_en), )* }
            }

            /// What the unit should do about it.
            pub fn advice(self, lang: Lang) -> &'static str {
                match self { $( Reason::$variant => lang.pick($advice_tr, $advice_en), )* }
            }
        }
    };
}

reasons! {
    // ---- whole files -------------------------------------------------------------------
    FileEmpty = "file-empty", Error,
        tr: "Dosya boş", "Dosyayı doldurup yeniden gönderin.",
        en: "The file is empty", "Fill in the file and send it again.";
    FileNotSpreadsheet = "file-not-spreadsheet", Error,
        tr: "Dosya bir Excel/LibreOffice çalışma kitabı değil", "Şablonu Excel'de doldurup .xlsx olarak kaydedin ve yeniden gönderin.",
        en: "The file is not a spreadsheet workbook", "Fill in the template in Excel and save it as .xlsx.";
    FileEncrypted = "file-encrypted", Error,
        tr: "Dosya parolalı/şifreli", "Parolayı kaldırıp yeniden gönderin.",
        en: "The file is password-protected", "Remove the password and send it again.";
    FileCorrupt = "file-corrupt", Error,
        tr: "Dosya bozuk, okunamadı", "Dosyayı Excel'de açıp yeniden kaydedin ve gönderin.",
        en: "The file is corrupt and cannot be read", "Open it in Excel, save it again and resend it.";
    FileTooLarge = "file-too-large", Error,
        tr: "Dosya izin verilen boyut sınırlarını aşıyor", "Yalnızca şablondaki sayfaları bırakıp yeniden gönderin.",
        en: "The file exceeds the size limits", "Keep only the template's sheets and resend.";
    FileUnsafe = "file-unsafe", Error,
        tr: "Dosyanın yapısı olağan dışı ve güvenli değil (ör. Excel sınırları dışında hücre, DTD/varlık bildirimi)", "Dosyayı Excel'de açıp yeni bir şablona değerleri kopyalayarak yeniden gönderin.",
        en: "The file's structure is abnormal and unsafe (e.g. cells beyond Excel's limits, a DTD/entity declaration)", "Copy the values into a fresh template in Excel and send it again.";
    FileInternalError = "file-internal-error", Error,
        tr: "Dosya işlenirken beklenmeyen bir hata oluştu", "İstatistik birimine bildirin; dosya diğer dosyaları etkilemedi.",
        en: "An unexpected error occurred while processing the file", "Report it to the statistics unit; other files were not affected.";
    FileUnsafeName = "file-unsafe-name", Error,
        tr: "Dosya adı güvenli değil", "Dosyayı sade bir adla (ör. birim-2023.xlsx) yeniden gönderin.",
        en: "The file name is unsafe", "Resend the file with a plain name (e.g. unit-2023.xlsx).";
    SheetMissing = "sheet-missing", Error,
        tr: "Veri sayfası bulunamadı", "Şablondaki 'Veri' sayfasını silmeyin; yeniden adlandırdıysanız adını 'Veri' yapın.",
        en: "The data sheet was not found", "Keep the template's 'Veri' sheet (and its header row).";
    HeaderMissing = "header-missing", Error,
        tr: "Veri sayfasında başlık satırı bulunamadı", "Başlık satırını (Gösterge Kodu, İlçe, Kadın, Erkek, Toplam) geri ekleyin.",
        en: "No header row on the data sheet", "Restore the header row (Gösterge Kodu, İlçe, Kadın, Erkek, Toplam).";
    ColumnMissing = "column-missing", Error,
        tr: "Gerekli bir sütun eksik", "Şablondaki sütunları silmeyin.",
        en: "A required column is missing", "Do not delete the template's columns.";
    UnitUnknown = "unit-unknown", Error,
        tr: "Birim kodu tanınmıyor", "Bilgi sayfasındaki 'Birim Kodu'nu değiştirmeyin; size gönderilen şablonu kullanın.",
        en: "Unknown unit code", "Do not change 'Birim Kodu' on the Bilgi sheet; use the template you were sent.";
    UnitMissing = "unit-missing", Error,
        tr: "Birim belirlenemedi", "Bilgi sayfasındaki 'Birim Kodu' hücresini doldurun.",
        en: "The unit could not be determined", "Fill in 'Birim Kodu' on the Bilgi sheet.";
    PeriodMissing = "period-missing", Error,
        tr: "Dönem belirlenemedi", "Bilgi sayfasındaki 'Dönem' hücresini (ör. 2023) doldurun.",
        en: "The period could not be determined", "Fill in 'Dönem' on the Bilgi sheet (e.g. 2023).";
    PeriodMismatch = "period-mismatch", Error,
        tr: "Bilgi sayfasındaki dönem klasör/dosya adıyla uyuşmuyor", "Bu yılın şablonunu kullanın; geçen yılın dosyasını göndermeyin.",
        en: "The period on the Bilgi sheet differs from the folder or file name", "Use this year's template, not last year's.";
    PeriodNotInPlan = "period-not-in-plan", Error,
        tr: "Dönem planın dönemlerinden biri değil", "Planın kapsadığı bir yılı yazın.",
        en: "The period is not one of the plan's periods", "Use a year the plan covers.";
    DuplicateSubmission = "duplicate-submission", Error,
        tr: "Aynı birim ve dönem için birden çok dosya var; bu dosya kullanılmadı", "Yalnızca son ve doğru dosyayı gönderin.",
        en: "Several files for the same unit and period; this one was not used", "Send only the final, correct file.";
    // ---- rows and cells ----------------------------------------------------------------
    IndicatorUnknown = "indicator-unknown", Error,
        tr: "Gösterge kodu katalogda yok", "Gösterge Kodu sütununu değiştirmeyin.",
        en: "Unknown indicator code", "Do not change the Gösterge Kodu column.";
    IndicatorNotAssigned = "indicator-not-assigned", Error,
        tr: "Bu gösterge biriminizin sorumluluğunda değil", "Yalnızca şablonunuzdaki göstergeleri doldurun.",
        en: "This indicator is not your unit's responsibility", "Fill in only the indicators of your template.";
    IndicatorMissing = "indicator-missing", Error,
        tr: "Satırda gösterge kodu yok", "Gösterge Kodu sütununu boş bırakmayın.",
        en: "The row has no indicator code", "Do not leave the Gösterge Kodu column empty.";
    ValueNotNumeric = "value-not-numeric", Error,
        tr: "Değer sayı değil", "Yalnızca sayı yazın (ör. 1.234 veya 12,5); bilgi yoksa boş bırakın veya '-' yazın.",
        en: "The value is not a number", "Write a number only (e.g. 1234 or 12.5); leave empty or '-' if not reported.";
    ValueNegative = "value-negative", Error,
        tr: "Değer negatif olamaz", "Sayıyı düzeltin.",
        en: "The value cannot be negative", "Correct the number.";
    ValueNotInteger = "value-not-integer", Error,
        tr: "Sayım değeri tam sayı olmalı", "Kişi/adet sayılarını tam sayı yazın.",
        en: "A count must be a whole number", "Write counts as whole numbers.";
    ValueError = "value-excel-error", Error,
        tr: "Hücrede Excel hatası var", "Formülü düzeltin veya sayıyı elle yazın.",
        en: "The cell holds an Excel error", "Fix the formula or type the number.";
    SumMismatch = "sum-mismatch", Error,
        tr: "Kadın + Erkek, Toplam'a eşit değil", "Kadın, Erkek ve Toplam sütunlarını kontrol edin.",
        en: "Women + Men does not equal Total", "Check the Kadın, Erkek and Toplam columns.";
    WomenAboveTotal = "women-above-total", Error,
        tr: "Kadın sayısı toplamdan büyük", "Kadın ve Toplam sütunlarını kontrol edin.",
        en: "Women exceed the total", "Check the Kadın and Toplam columns.";
    MenAboveTotal = "men-above-total", Error,
        tr: "Erkek sayısı toplamdan büyük", "Erkek ve Toplam sütunlarını kontrol edin.",
        en: "Men exceed the total", "Check the Erkek and Toplam columns.";
    SexNotApplicable = "sex-not-applicable", Warning,
        tr: "Bu gösterge cinsiyete göre değil; Kadın/Erkek değerleri kullanılmadı", "Bu satırda yalnızca Toplam'ı doldurun.",
        en: "This indicator is not by sex; the women/men values were not used", "Fill in only Toplam on this row.";
    RateAboveHundred = "rate-above-100", Error,
        tr: "Oran %100'den büyük", "Oranı yüzde olarak (0–100) yazın.",
        en: "A percentage above 100", "Write the rate as a percentage (0–100).";
    DistrictUnknown = "district-unknown", Error,
        tr: "İlçe adı tanınmıyor", "Açılır listeden bir ilçe ya da il geneli satırını seçin.",
        en: "Unknown district", "Pick a district or the city-wide entry from the drop-down.";
    DuplicateRow = "duplicate-row", Error,
        tr: "Aynı gösterge ve ilçe için ikinci satır; ilk satır kullanıldı", "Her gösterge ve ilçe için tek satır doldurun.",
        en: "A second row for the same indicator and district; the first one was used", "Fill in one row per indicator and district.";
    // ---- TÜİK tables -------------------------------------------------------------------
    TuikLayoutMismatch = "tuik-layout-mismatch", Error,
        tr: "TÜİK tablosunun düzeni eşlemeyle uyuşmuyor", "Tablonun yapısı değişmiş olabilir; eşlemeyi (pipeline dosyası) güncelleyin.",
        en: "The TÜİK table no longer matches its mapping", "TÜİK may have changed the table; update the mapping in the pipeline file.";
    TuikValueMissing = "tuik-value-missing", Warning,
        tr: "TÜİK tablosunda değer yok ('-', '..', 'x')", "Bilgi amaçlıdır; değer sıfır sayılmadı.",
        en: "No value in the TÜİK table ('-', '..', 'x')", "For information; the value was not taken as zero.";
    RateCountMismatch = "rate-count-mismatch", Warning,
        tr: "Belirtilen oran, sayılardan hesaplanan oranla uyuşmuyor", "Kaynağı kontrol edin; yeep iki değeri de raporlar, birini seçmez.",
        en: "A stated rate disagrees with the rate computed from counts", "Check the source; yeep reports both and picks neither.";
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub reason: Reason,
    /// File path relative to the input folder.
    pub file: String,
    /// Sheet name, empty for file-level problems.
    pub sheet: String,
    /// The cell, `None` for file- or sheet-level problems.
    pub cell: Option<CellRef>,
    /// Reporting unit, when known.
    pub unit_id: String,
    /// Period, when known.
    pub period: String,
    /// Indicator, when known.
    pub indicator_id: String,
    /// The value found, as text.
    pub value: String,
    /// A short note on this instance (e.g. "Kadın 12 + Erkek 5 = 17, Toplam 18").
    pub note: String,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn file(reason: Reason, file: impl Into<String>, note: impl Into<String>) -> Self {
        Diagnostic {
            reason,
            file: file.into(),
            sheet: String::new(),
            cell: None,
            unit_id: String::new(),
            period: String::new(),
            indicator_id: String::new(),
            value: String::new(),
            note: note.into(),
        }
    }

    /// A diagnostic about one cell.
    pub fn cell(
        reason: Reason,
        file: impl Into<String>,
        sheet: impl Into<String>,
        cell: impl Into<Option<CellRef>>,
        value: impl Into<String>,
    ) -> Self {
        Diagnostic {
            sheet: sheet.into(),
            cell: cell.into(),
            value: value.into(),
            ..Diagnostic::file(reason, file, "")
        }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// Adds the unit and period.
    pub fn with_unit_period(mut self, unit_id: &str, period: &str) -> Self {
        self.unit_id = unit_id.to_string();
        self.period = period.to_string();
        self
    }

    /// Adds the value found.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    /// Adds the indicator.
    pub fn with_indicator(mut self, indicator_id: &str) -> Self {
        self.indicator_id = indicator_id.to_string();
        self
    }

    pub fn severity(&self) -> Severity {
        self.reason.severity()
    }

    /// `Veri!F12`, `Veri`, or empty.
    pub fn location(&self) -> String {
        match (self.sheet.is_empty(), self.cell) {
            (true, _) => String::new(),
            (false, None) => self.sheet.clone(),
            (false, Some(c)) => format!("{}!{c}", self.sheet),
        }
    }

    /// The cell as `F12`, empty when the diagnostic has none.
    pub fn cell_text(&self) -> String {
        self.cell.map(|c| c.to_string()).unwrap_or_default()
    }

    /// The order reports list diagnostics in: file, sheet, cell (row, then column), code,
    /// indicator.
    pub fn sort(d: &mut [Diagnostic]) {
        d.sort_by(|a, b| {
            (&a.file, &a.sheet, a.cell, a.reason.code(), &a.indicator_id).cmp(&(
                &b.file,
                &b.sheet,
                b.cell,
                b.reason.code(),
                &b.indicator_id,
            ))
        });
    }

    /// The message for a person: the reason's title, then the note.
    pub fn message(&self, lang: Lang) -> String {
        if self.note.is_empty() {
            self.reason.title(lang).to_string()
        } else {
            format!("{}: {}", self.reason.title(lang), self.note)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        assert!(codes.iter().all(|c| c
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')));
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }

    #[test]
    fn every_reason_has_both_languages() {
        for r in Reason::ALL {
            assert!(!r.title(Lang::Tr).is_empty() && !r.title(Lang::En).is_empty());
            assert!(!r.advice(Lang::Tr).is_empty() && !r.advice(Lang::En).is_empty());
            assert_ne!(r.title(Lang::Tr), r.title(Lang::En));
        }
    }
}
