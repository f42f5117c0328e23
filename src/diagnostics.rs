//! Diagnostics: problems as data, not log lines. Every
//! problem has a stable reason code from one registry ([`Reason`]) with a Turkish and an
//! English title, message and advice; an instance adds only its location and the value
//! found.

use serde::{Deserialize, Serialize};

use crate::model::{CellRef, Lang};
use crate::normalise::Sex;

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
    EntrySkipped = "entry-skipped", Warning,
        tr: "Girdi klasöründeki bu öğe okunmadı", "Gerçek dosyayı girdi klasörüne kopyalayın (bağlantı, FIFO, aygıt değil); gizli ve kilit dosyaları kendiliğinden atlanır.",
        en: "This entry of the input folder was not read", "Copy the real file into the input folder (not a link, FIFO or device); hidden and lock files are skipped by design.";
    ReceiptInvalid = "receipt-invalid", Warning,
        tr: "Alındı listesindeki (alindi.csv) bir satır okunamadı", "Her satıra dosya adını ve alındığı tarihi yazın (ilce-konak-2023.xlsx;15.01.2024).",
        en: "A line of the receipts list (alindi.csv) could not be read", "Write on each line the file name and the date received (ilce-konak-2023.xlsx,2024-01-15).";
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
    ValueTooLarge = "value-too-large", Error,
        tr: "Sayı çok büyük (10^15'ten büyük ya da sonsuz)", "Değeri kontrol edin; Excel 15 basamaktan uzun sayıları doğru tutamaz.",
        en: "The number is too large (above 10^15, or infinite)", "Check the value; Excel cannot hold numbers of more than 15 digits exactly.";
    ValueAmbiguousSeparator = "value-ambiguous-separator", Warning,
        tr: "Sayıdaki virgül ondalık da binlik ayırıcı da olabilir; ondalık sayıldı", "Binlik ayırıcı kullanmayın (1000) ya da nokta kullanın (1.000).",
        en: "The comma in the number may be a decimal or a thousands separator; it was read as a decimal comma", "Write the number without a thousands separator (1000), or with a dot (1.000).";
    TextCut = "text-cut", Warning,
        tr: "Hücredeki metin çok uzun; kısaltıldı", "Uzun açıklamaları ayrı bir belgede gönderin; hücreye en çok 32.767 karakter sığar.",
        en: "The cell's text is too long; it was cut", "Send long explanations in a separate document; a cell holds at most 32,767 characters.";
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
    BreakdownAboveTotal = "breakdown-above-total", Error,
        tr: "Kırılım satırı (yaş grubu / engellilik) tüm yaşlar satırından büyük", "Kırılım satırını ve aynı gösterge ile ilçenin kırılımsız satırını kontrol edin.",
        en: "A breakdown row (age group / disability) exceeds the all-ages row", "Check the breakdown row and the row without a breakdown for the same indicator and district.";
    BreakdownsExceedTotal = "breakdowns-exceed-total", Error,
        tr: "Kırılım satırlarının toplamı tüm yaşlar satırını aşıyor; kırılımlar kullanılmadı", "Her kişiyi bir kırılımda bir kez sayın; kırılımsız satıra toplamı yazın.",
        en: "The breakdown rows add up to more than the all-ages row; the breakdowns were not used", "Count each person once per breakdown; write the total in the row without a breakdown.";
    BreakdownWithoutTotal = "breakdown-without-total", Warning,
        tr: "Kırılım satırı var ama kırılımsız (tüm yaşlar) satırı yok; kırılımlar toplama katılmadı", "Aynı gösterge ve ilçe için kırılımsız bir satır da doldurun.",
        en: "Breakdown rows without the all-ages row; the breakdowns are not counted in the total", "Fill in the row without a breakdown for the same indicator and district too.";
    CityWideBelowDistricts = "city-wide-below-districts", Warning,
        tr: "İl geneli satırı, biriminizin kendi ilçe satırlarının toplamından küçük", "İl geneli satırına bütün ilçelerin toplamını (ve ilçeye ayrılmayan işleri) yazın; ilçe satırlarını kontrol edin.",
        en: "The city-wide row is smaller than the sum of your unit's own district rows", "Write in the city-wide row the total over all districts (and work not attributed to one); check the district rows.";
    // ---- TÜİK tables -------------------------------------------------------------------
    TuikLayoutMismatch = "tuik-layout-mismatch", Error,
        tr: "TÜİK tablosunun düzeni eşlemeyle uyuşmuyor", "Tablonun yapısı değişmiş olabilir; eşlemeyi (pipeline dosyası) güncelleyin.",
        en: "The TÜİK table no longer matches its mapping", "TÜİK may have changed the table; update the mapping in the pipeline file.";
    TuikValueMissing = "tuik-value-missing", Warning,
        tr: "TÜİK tablosunda değer yok ('-', '..', 'x')", "Bilgi amaçlıdır; değer sıfır sayılmadı.",
        en: "No value in the TÜİK table ('-', '..', 'x')", "For information; the value was not taken as zero.";
    TuikValueNotNumeric = "tuik-value-not-numeric", Error,
        tr: "TÜİK tablosunda seçilen hücre sayı değil", "Eşlemenin doğru hücreleri seçtiğini kontrol edin (yeep tuik inspect); tablo değişmiş olabilir.",
        en: "A cell the mapping selects in the TÜİK table is not a number", "Check that the mapping selects the right cells (yeep tuik inspect); the table may have changed.";
    TuikMappingEmpty = "tuik-mapping-empty", Warning,
        tr: "Eşleme bu tablodan hiç değer almadı", "Eşlemenin yıllarını, alanını ve sütunlarını kontrol edin; tablo başka bir dönemi kapsıyor olabilir.",
        en: "The mapping took no value from this table", "Check the mapping's years, area and columns; the table may cover another period.";
    TuikDuplicateValue = "tuik-duplicate-value", Warning,
        tr: "Aynı bağlam değeri iki kaynakta var; değerler aynı, biri kullanıldı", "Yinelenen dosyayı (ör. 'tablo (1).xlsx') input/tuik/ klasöründen kaldırın.",
        en: "The same context value is in two sources; the values agree and one was used", "Remove the duplicate file (e.g. 'table (1).xlsx') from input/tuik/.";
    TuikConflictingValues = "tuik-conflicting-values", Error,
        tr: "Aynı bağlam değeri iki kaynakta farklı; hiçbiri kullanılmadı", "Hangi dosyanın doğru olduğuna karar verin ve diğerini input/tuik/ klasöründen kaldırın.",
        en: "The same context value differs between two sources; neither was used", "Decide which file is right and remove the other from input/tuik/.";
    RateCountMismatch = "rate-count-mismatch", Warning,
        tr: "Belirtilen oran, sayılardan hesaplanan oranla uyuşmuyor", "Kaynağı kontrol edin; yeep iki değeri de raporlar, birini seçmez.",
        en: "A stated rate disagrees with the rate computed from counts", "Check the source; yeep reports both and picks neither.";
}

/// What is wrong with a line of the receipts list (`alindi.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptProblem {
    /// The list is larger than `[limits] max_file_bytes`.
    TooLarge,
    /// The list could not be read.
    Unreadable,
    /// Not two columns.
    NotTwoColumns,
    /// No file name.
    NoFile,
    /// The date is not a date.
    NotADate,
    /// The file is listed twice with different dates (the last is used).
    ListedTwice,
}

impl ReceiptProblem {
    /// The problem in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            ReceiptProblem::TooLarge => lang.pick(
                "liste [limits] max_file_bytes sınırından büyük",
                "the list is larger than [limits] max_file_bytes",
            ),
            ReceiptProblem::Unreadable => lang.pick("liste okunamadı", "the list could not be read"),
            ReceiptProblem::NotTwoColumns => lang.pick(
                "iki sütun gerekli: dosya, alındığı tarih",
                "two columns are needed: file, date received",
            ),
            ReceiptProblem::NoFile => lang.pick("dosya adı yok", "no file name"),
            ReceiptProblem::NotADate => lang.pick(
                "tarih geçerli değil (15.01.2024 ya da 2024-01-15)",
                "the date is not a date (2024-01-15 or 15.01.2024)",
            ),
            ReceiptProblem::ListedTwice => lang.pick(
                "dosya iki kez, farklı tarihlerle yazılmış; sonuncusu kullanıldı",
                "the file is listed twice with different dates; the last is used",
            ),
        }
    }
}

/// A note on one diagnostic: its kind and its parameters (numbers, cells, names, labels
/// found and expected, limits), rendered in the report's language by [`Note::render`].
/// Text that cannot be translated — a name or a value as found, an operating-system or
/// reader library's error message — is a parameter, quoted “like this”, inside a
/// translated sentence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Note {
    /// No note: the reason's title says it all.
    #[default]
    None,
    // ---- sizes and safety (the guard and the readers) ----------------------------------
    /// The file's size (an empty file's 0 bytes).
    FileSize {
        bytes: u64,
    },
    FileTooLarge {
        bytes: u64,
        limit: u64,
    },
    /// The sum of a zip's declared uncompressed sizes.
    UncompressedTooLarge {
        bytes: u64,
        limit: u64,
    },
    /// A zip entry that expands too much (a zip bomb).
    CompressionRatio {
        entry: String,
        ratio: f64,
        limit: f64,
    },
    TooManyEntries {
        entries: u64,
        limit: u64,
    },
    /// An XML part with `<!DOCTYPE` / `<!ENTITY` (an entity bomb).
    Doctype {
        entry: String,
    },
    /// More shared strings declared than the part can hold.
    SharedStringsCount {
        entry: String,
        count: u64,
        bytes: u64,
    },
    /// A cell past Excel's sheet limits.
    CellOutOfRange {
        entry: String,
        place: CellPlace,
    },
    /// A sheet's used area (first to last cell) larger than the limit.
    SheetTooLarge {
        entry: String,
        cells: u64,
        limit: u64,
    },
    /// More rows on the data sheet than are read.
    TooManyRows {
        rows: u64,
        limit: u64,
    },
    /// The zip reader's error (as it gives it).
    ZipUnreadable {
        error: String,
    },
    /// One zip entry could not be inflated or repacked.
    ZipPartUnreadable {
        entry: String,
        error: String,
    },
    /// A zip entry (numbered from 0) whose name cannot be read.
    ZipEntryName {
        index: u64,
    },
    XmlAttributeUnreadable {
        entry: String,
    },
    XmlAttributeTwice {
        entry: String,
        attribute: String,
    },
    /// The structure of a compound file (`.xls`) is broken.
    CompoundFile {
        fault: CompoundFault,
    },
    // ---- what the file is --------------------------------------------------------------
    /// What the file really holds, sniffed from its bytes (`pdf`, `text`, `html` …).
    FileContent {
        kind: String,
    },
    /// The reader library's error on opening the workbook.
    WorkbookUnreadable {
        error: String,
    },
    /// The reader library's error on reading one sheet.
    SheetUnreadable {
        sheet: String,
        error: String,
    },
    /// The CSV reader's error at a line.
    CsvUnreadable {
        line: u64,
        error: String,
    },
    /// The operating system's error on reading the file.
    FileUnreadable {
        error: String,
    },
    /// A failure inside yeep or a reader library (the panic's message, possibly empty).
    InternalError {
        message: String,
    },
    /// An entry of the input folder that is not read: `why` is a stable code (`fifo`,
    /// `socket`, `device`, `link-outside-input`, `link-loop`, `link-dangling`, `hidden`,
    /// `office-lock`, `os-metadata`).
    EntrySkipped {
        why: String,
    },
    NameHasDotDot,
    NameHasControlCharacters,
    NameHasBidiOverride,
    // ---- sheets ------------------------------------------------------------------------
    /// No data sheet; the sheets the workbook has.
    SheetsFound {
        sheets: Vec<String>,
    },
    /// The header row is on more than one sheet.
    HeaderOnSeveralSheets {
        sheets: Vec<String>,
    },
    /// A mapping's sheet is not in the workbook.
    SheetNotFound {
        sheet: String,
        sheets: Vec<String>,
    },
    /// The workbook has no sheets at all.
    NoSheets,
    // ---- unit and period ---------------------------------------------------------------
    FolderPeriodNotInPlan {
        folder: String,
        periods: Vec<String>,
    },
    PeriodUnreadable,
    /// The period on `Bilgi` against the folder's.
    InfoPeriodVsFolder {
        info: String,
        folder: String,
    },
    /// A year in the file name against the folder's period.
    FileNamePeriodVsFolder {
        name: String,
        folder: String,
    },
    /// The file that counts instead (resubmission rule), with its `Tarih`.
    Superseded {
        winner: String,
        date: Option<String>,
    },
    // ---- rows and cells ----------------------------------------------------------------
    DuplicateRow {
        indicator: String,
        district: String,
    },
    SumMismatch {
        women: f64,
        men: f64,
        sum: f64,
        total: f64,
    },
    WomenAboveTotal {
        women: f64,
        total: f64,
    },
    /// A breakdown row's value above the all-ages row's.
    BreakdownAboveTotal {
        value: f64,
        total: f64,
    },
    /// One breakdown's rows adding up past the all-ages row.
    BreakdownsExceedTotal {
        sum: f64,
        total: f64,
    },
    /// A line of the receipts list that could not be read (line 0: the whole list).
    ReceiptLine {
        line: u64,
        problem: ReceiptProblem,
    },
    /// A unit's city-wide count below the sum of its own district rows.
    CityWideBelowDistricts {
        city_wide: f64,
        districts: f64,
    },
    /// A text longer than the limit, cut to `limit` characters.
    TextCut {
        chars: u64,
        limit: u64,
    },
    /// A text number such as `1,000`: `read` as a Turkish decimal comma; `other` with the
    /// comma as a thousands separator.
    AmbiguousSeparator {
        read: f64,
        other: f64,
    },
    MenAboveTotal {
        men: f64,
        total: f64,
    },
    // ---- TÜİK tables -------------------------------------------------------------------
    /// `-`: none.
    TuikNotReported,
    /// `..`: not available.
    TuikNotAvailable,
    /// `x`: confidential.
    TuikConfidential,
    /// A cell holding only footnote markers (`(6)*`, `(r)`): no value.
    TuikFootnoteOnly,
    /// `[[tuik]]` mapping number `mapping` (from 1) took no value from the table.
    MappingYieldsNothing {
        mapping: u64,
        files: String,
    },
    /// The same context value in another source: its file, sheet, cell and value (this
    /// cell's own value is the diagnostic's value).
    OtherSource {
        file: String,
        sheet: String,
        cell: String,
        value: f64,
    },
    /// A `[[tuik]]` mapping (numbered from 1) naming context indicators the plan lacks.
    UnknownContextIndicators {
        mapping: u64,
        files: String,
        ids: Vec<String>,
    },
    /// A `[[tuik]]` mapping whose `files` is not a glob (the glob library's error).
    NotAGlob {
        mapping: u64,
        files: String,
        error: String,
    },
    /// No row with a label and a number.
    NoDataRows,
    /// The area a mapping names above the table is not there.
    AreaNotAbove {
        area: String,
    },
    /// `found`: the labels nearest to it that the table has (at most five).
    ColumnNotFound {
        label: String,
        found: Vec<String>,
    },
    /// A column name found twice; `also` is the other column's letters.
    ColumnTwice {
        label: String,
        also: String,
    },
    /// One column matched by two mapped labels.
    ColumnMatchesBoth {
        first: String,
        second: String,
    },
    YearNotInHeader {
        year: String,
        found: Vec<String>,
    },
    YearNotInTable {
        year: String,
        found: Vec<String>,
    },
    NoSexColumns,
    /// A second row with the label; `first` is the first one's cell.
    SecondRow {
        label: String,
        first: CellRef,
    },
    RowMatchesSeveral,
    /// `found`: the row labels nearest to it that the table has (at most five).
    RowNotFound {
        label: String,
        found: Vec<String>,
    },
    NoRowWith {
        value: String,
    },
    /// Two values for the same indicator, period and sex; `first` is the first one's cell.
    SecondValue {
        indicator: String,
        period: String,
        sex: Sex,
        first: CellRef,
    },
    // ---- consistency -------------------------------------------------------------------
    /// A stated women's share (%) against the one computed from counts.
    StatedShare {
        stated: f64,
        women: f64,
        men: f64,
        computed: f64,
    },
    /// A rate per thousand printed with `%` in the plan.
    PercentForPerMille {
        printed: String,
    },
    /// The unit a table's label declares (`%`, `‰`) against the plan's.
    RateUnit {
        table: String,
        plan: String,
        printed: String,
    },
}

/// Where a cell past Excel's limits is, as the file states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CellPlace {
    /// A cell reference as found (`A0`, `XFE1`, or one that cannot be read).
    Ref(String),
    /// A row number as found.
    Row(String),
    /// A row and a column, from 1.
    RowColumn { row: u64, column: u64 },
    /// A BIFF `DIMENSIONS` record whose first row is after its last.
    Dimensions { first_row: u64, last_row: u64 },
}

/// What is broken in a compound file's (`.xls`) structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompoundFault {
    ShorterThanHeader,
    SectorSize,
    SectorPastEnd { sector: u32 },
    ChainLoops { chain: Chain },
    ChainLeavesTable { chain: Chain },
}

/// A chain of sectors in a compound file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chain {
    Difat,
    Directory,
    MiniFat,
    Stream,
    MiniStream,
}

/// `“text”`: how a name or a value as found appears in a note.
fn quoted(s: &str) -> String {
    format!("“{s}”")
}

/// `“a”, “b”`.
fn quoted_list(items: &[String]) -> String {
    items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ")
}

/// Years as found, or the language's word for none.
fn years(found: &[String], lang: Lang) -> String {
    if found.is_empty() {
        lang.pick("yok", "none").to_string()
    } else {
        found.join(", ")
    }
}

/// A sniffed file kind's code (`sources::sniff::FileKind::as_str`) for a reader.
fn kind_name(kind: &str, lang: Lang) -> String {
    match kind {
        "pdf" => "PDF".to_string(),
        "html" => "HTML".to_string(),
        "xml" => "XML".to_string(),
        "text" => lang.pick("düz metin", "plain text").to_string(),
        "zip" => lang.pick("zip arşivi", "zip archive").to_string(),
        "cfb" => lang
            .pick(
                "çalışma kitabı olmayan bir Office bileşik dosyası",
                "Office compound file, not a workbook",
            )
            .to_string(),
        "binary" => lang.pick("ikili veri", "binary data").to_string(),
        other => quoted(other),
    }
}

impl Chain {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            Chain::Difat => "DIFAT",
            Chain::Directory => lang.pick("dizin", "directory"),
            Chain::MiniFat => "mini FAT",
            Chain::Stream => lang.pick("akış", "stream"),
            Chain::MiniStream => lang.pick("mini akış", "mini stream"),
        }
    }
}

impl CompoundFault {
    fn render(self, lang: Lang) -> String {
        match (self, lang) {
            (CompoundFault::ShorterThanHeader, Lang::Tr) => "başlığından kısa".into(),
            (CompoundFault::ShorterThanHeader, Lang::En) => "shorter than its header".into(),
            (CompoundFault::SectorSize, Lang::Tr) => "kesim boyu ne 512 ne 4096".into(),
            (CompoundFault::SectorSize, Lang::En) => "the sector size is neither 512 nor 4096".into(),
            (CompoundFault::SectorPastEnd { sector }, Lang::Tr) => {
                format!("{sector} numaralı kesim dosyanın sonundan sonra")
            }
            (CompoundFault::SectorPastEnd { sector }, Lang::En) => {
                format!("sector {sector} is past the end of the file")
            }
            (CompoundFault::ChainLoops { chain }, Lang::Tr) => format!("{} zinciri döngüye giriyor", chain.name(lang)),
            (CompoundFault::ChainLoops { chain }, Lang::En) => format!("the {} chain loops", chain.name(lang)),
            (CompoundFault::ChainLeavesTable { chain }, Lang::Tr) => {
                format!("{} zinciri ayırma tablosunun dışına çıkıyor", chain.name(lang))
            }
            (CompoundFault::ChainLeavesTable { chain }, Lang::En) => {
                format!("the {} chain leaves the allocation table", chain.name(lang))
            }
        }
    }
}

impl CellPlace {
    fn render(&self, lang: Lang) -> String {
        match self {
            CellPlace::Ref(r) => format!("{} {}", lang.pick("hücre", "cell"), quoted(r)),
            CellPlace::Row(r) => format!("{} {}", lang.pick("satır", "row"), quoted(r)),
            CellPlace::RowColumn { row, column } => match lang {
                Lang::Tr => format!("satır {}, sütun {}", lang.count(*row), lang.count(*column)),
                Lang::En => format!("row {}, column {}", lang.count(*row), lang.count(*column)),
            },
            CellPlace::Dimensions { .. } => "DIMENSIONS".into(),
        }
    }
}

impl Note {
    /// Whether there is no note.
    pub fn is_none(&self) -> bool {
        *self == Note::None
    }

    /// The note of a caught panic, with its message when it has one.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Note {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Note::InternalError { message }
    }

    /// The note as a sentence in `lang` (empty for [`Note::None`]): numbers in the
    /// language's style (`1.234,5`, `1,234.5`), names and values as found in “quotes”.
    pub fn render(&self, lang: Lang) -> String {
        let tr = lang == Lang::Tr;
        let n = |v: f64| lang.number(v);
        let c = |v: u64| lang.count(v);
        match self {
            Note::None => String::new(),
            Note::FileSize { bytes } => format!("{} {}", c(*bytes), lang.pick("bayt", "bytes")),
            Note::FileTooLarge { bytes, limit } if tr => format!("dosya {} bayt; sınır {} bayt", c(*bytes), c(*limit)),
            Note::FileTooLarge { bytes, limit } => {
                format!("the file is {} bytes; the limit is {}", c(*bytes), c(*limit))
            }
            Note::UncompressedTooLarge { bytes, limit } if tr => {
                format!("zip açıldığında {} bayt tutuyor; sınır {} bayt", c(*bytes), c(*limit))
            }
            Note::UncompressedTooLarge { bytes, limit } => format!(
                "the zip declares {} uncompressed bytes; the limit is {}",
                c(*bytes),
                c(*limit)
            ),
            Note::CompressionRatio { entry, ratio, limit } if tr => format!(
                "zip öğesi {} {} kat genişliyor (zip bombası); sınır {} kat",
                quoted(entry),
                lang.fixed(*ratio, 0),
                lang.fixed(*limit, 0)
            ),
            Note::CompressionRatio { entry, ratio, limit } => format!(
                "zip entry {} expands {} times (zip bomb); the limit is {}",
                quoted(entry),
                lang.fixed(*ratio, 0),
                lang.fixed(*limit, 0)
            ),
            Note::TooManyEntries { entries, limit } if tr => {
                format!("zip içinde {} öğe var; sınır {}", c(*entries), c(*limit))
            }
            Note::TooManyEntries { entries, limit } => {
                format!("the zip has {} entries; the limit is {}", c(*entries), c(*limit))
            }
            Note::Doctype { entry } if tr => format!(
                "{} bir DTD bildiriyor (<!DOCTYPE / <!ENTITY): olası bir varlık bombası olarak reddedildi",
                quoted(entry)
            ),
            Note::Doctype { entry } => format!(
                "{} declares a DTD (<!DOCTYPE / <!ENTITY): refused as a possible entity bomb",
                quoted(entry)
            ),
            Note::SharedStringsCount { entry, count, bytes } if tr => format!(
                "{} {} paylaşılan metin bildiriyor; {} baytı bunları tutamaz",
                quoted(entry),
                c(*count),
                c(*bytes)
            ),
            Note::SharedStringsCount { entry, count, bytes } => format!(
                "{} declares {} shared strings, more than its {} bytes can hold",
                quoted(entry),
                c(*count),
                c(*bytes)
            ),
            Note::CellOutOfRange {
                entry,
                place: CellPlace::Dimensions { first_row, last_row },
            } if tr => format!(
                "{}: DIMENSIONS kaydının ilk satırı ({}) son satırından ({}) sonra",
                quoted(entry),
                c(*first_row),
                c(*last_row)
            ),
            Note::CellOutOfRange {
                entry,
                place: CellPlace::Dimensions { first_row, last_row },
            } => format!(
                "{}: the DIMENSIONS record's first row ({}) comes after its last row ({})",
                quoted(entry),
                c(*first_row),
                c(*last_row)
            ),
            Note::CellOutOfRange { entry, place } if tr => format!(
                "{}: {}, Excel'in {} satır × {} sütun sınırının dışında",
                quoted(entry),
                place.render(lang),
                c(1_048_576),
                c(16_384)
            ),
            Note::CellOutOfRange { entry, place } => format!(
                "{}: {} is outside Excel's {} rows × {} columns",
                quoted(entry),
                place.render(lang),
                c(1_048_576),
                c(16_384)
            ),
            Note::SheetTooLarge { entry, cells, limit } if tr => format!(
                "{}: kullanılan alan {} hücre; sınır {}",
                quoted(entry),
                c(*cells),
                c(*limit)
            ),
            Note::SheetTooLarge { entry, cells, limit } => format!(
                "{}: the used area spans {} cells; the limit is {}",
                quoted(entry),
                c(*cells),
                c(*limit)
            ),
            Note::TooManyRows { rows, limit } if tr => {
                format!("veri sayfasında {} satır var; sınır {}", c(*rows), c(*limit))
            }
            Note::TooManyRows { rows, limit } => {
                format!("the data sheet has {} rows; the limit is {}", c(*rows), c(*limit))
            }
            Note::ZipUnreadable { error } if tr => format!("zip okunamadı: {}", quoted(error)),
            Note::ZipUnreadable { error } => format!("the zip cannot be read: {}", quoted(error)),
            Note::ZipPartUnreadable { entry, error } if tr => {
                format!("zip öğesi {} okunamadı: {}", quoted(entry), quoted(error))
            }
            Note::ZipPartUnreadable { entry, error } => {
                format!("zip entry {} cannot be read: {}", quoted(entry), quoted(error))
            }
            Note::ZipEntryName { index } if tr => format!("{} numaralı zip öğesinin adı okunamıyor", index),
            Note::ZipEntryName { index } => format!("the name of zip entry {index} cannot be read"),
            Note::XmlAttributeUnreadable { entry } if tr => format!("{}: okunamayan bir öznitelik", quoted(entry)),
            Note::XmlAttributeUnreadable { entry } => format!("{}: an attribute that cannot be read", quoted(entry)),
            Note::XmlAttributeTwice { entry, attribute } if tr => {
                format!("{}: {} özniteliği iki kez yazılmış", quoted(entry), quoted(attribute))
            }
            Note::XmlAttributeTwice { entry, attribute } => {
                format!("{}: attribute {} twice", quoted(entry), quoted(attribute))
            }
            Note::CompoundFile { fault } if tr => format!("bileşik dosya (.xls): {}", fault.render(lang)),
            Note::CompoundFile { fault } => format!("compound file (.xls): {}", fault.render(lang)),
            Note::FileContent { kind } if tr => format!("dosyanın içeriği: {}", kind_name(kind, lang)),
            Note::FileContent { kind } => format!("the file's content: {}", kind_name(kind, lang)),
            Note::WorkbookUnreadable { error } if tr => format!("çalışma kitabı açılamadı: {}", quoted(error)),
            Note::WorkbookUnreadable { error } => format!("the workbook cannot be opened: {}", quoted(error)),
            Note::SheetUnreadable { sheet, error } if tr => {
                format!("{} sayfası okunamadı: {}", quoted(sheet), quoted(error))
            }
            Note::SheetUnreadable { sheet, error } => {
                format!("sheet {} cannot be read: {}", quoted(sheet), quoted(error))
            }
            Note::CsvUnreadable { line, error } if tr => format!("CSV, {}. satır: {}", c(*line), quoted(error)),
            Note::CsvUnreadable { line, error } => format!("CSV line {}: {}", c(*line), quoted(error)),
            Note::FileUnreadable { error } if tr => format!("dosya okunamadı: {}", quoted(error)),
            Note::FileUnreadable { error } => format!("the file could not be read: {}", quoted(error)),
            Note::InternalError { message } if message.is_empty() => lang
                .pick("işlenirken program hatası", "program failure while processing")
                .into(),
            Note::InternalError { message } if tr => format!("işlenirken program hatası: {}", quoted(message)),
            Note::InternalError { message } => format!("program failure while processing: {}", quoted(message)),
            Note::EntrySkipped { why } => {
                let (t, e) = match why.as_str() {
                    "fifo" => (
                        "adlandırılmış boru (FIFO); okunursa çalışma beklemede kalır",
                        "a named pipe (FIFO); reading it would hang the run",
                    ),
                    "socket" => ("bir soket, dosya değil", "a socket, not a file"),
                    "device" => ("bir aygıt, dosya değil", "a device, not a file"),
                    "link-outside-input" => (
                        "girdi klasörünün dışını gösteren bağlantı",
                        "a link to something outside the input folder",
                    ),
                    "link-loop" => (
                        "zaten okunan bir klasörü gösteren bağlantı (döngü)",
                        "a link to a folder already read (a loop)",
                    ),
                    "link-dangling" => (
                        "var olmayan bir şeyi gösteren bağlantı",
                        "a link to something that does not exist",
                    ),
                    "hidden" => (
                        "gizli dosya ya da klasör (adı nokta ile başlıyor)",
                        "a hidden file or folder (its name starts with a dot)",
                    ),
                    "office-lock" => (
                        "Excel/LibreOffice kilit dosyası (dosya birinde açık)",
                        "an Excel/LibreOffice lock file (someone has the file open)",
                    ),
                    "os-metadata" => (
                        "işletim sisteminin klasör bilgisi dosyası",
                        "a folder-metadata file of the operating system",
                    ),
                    _ => ("düzenli bir dosya değil", "not a regular file"),
                };
                format!("{} ({why})", lang.pick(t, e))
            }
            Note::NameHasDotDot if tr => format!("adında {} var", quoted("..")),
            Note::NameHasDotDot => format!("the name contains {}", quoted("..")),
            Note::NameHasControlCharacters => lang
                .pick(
                    "adında denetim karakterleri var",
                    "the name contains control characters",
                )
                .into(),
            Note::NameHasBidiOverride => lang
                .pick(
                    "adında, uzantısını gizleyebilen yazı yönü (bidi) karakterleri var",
                    "the name contains bidirectional-override characters that can disguise its extension",
                )
                .into(),
            Note::SheetsFound { sheets } if tr => format!("sayfalar: {}", quoted_list(sheets)),
            Note::SheetsFound { sheets } => format!("sheets in the file: {}", quoted_list(sheets)),
            Note::HeaderOnSeveralSheets { sheets } if tr => {
                format!("başlık birden çok sayfada var: {}", quoted_list(sheets))
            }
            Note::HeaderOnSeveralSheets { sheets } => {
                format!("the header is on several sheets: {}", quoted_list(sheets))
            }
            Note::SheetNotFound { sheet, sheets } if tr => {
                format!(
                    "{} sayfası bulunamadı (sayfalar: {})",
                    quoted(sheet),
                    quoted_list(sheets)
                )
            }
            Note::SheetNotFound { sheet, sheets } => {
                format!("sheet {} not found (sheets: {})", quoted(sheet), quoted_list(sheets))
            }
            Note::NoSheets => lang
                .pick("çalışma kitabında sayfa yok", "the workbook has no sheets")
                .into(),
            Note::FolderPeriodNotInPlan { folder, periods } if tr => {
                format!("klasör dönemi {folder}; plan dönemleri: {}", periods.join(", "))
            }
            Note::FolderPeriodNotInPlan { folder, periods } => {
                format!(
                    "the folder's period is {folder}; the plan's periods: {}",
                    periods.join(", ")
                )
            }
            Note::PeriodUnreadable => lang.pick("dönem okunamadı", "the period cannot be read").into(),
            Note::InfoPeriodVsFolder { info, folder } if tr => format!("Bilgi: {info}, klasör: {folder}"),
            Note::InfoPeriodVsFolder { info, folder } => format!("Bilgi: {info}, folder: {folder}"),
            Note::FileNamePeriodVsFolder { name, folder } if tr => {
                format!("dosya adı: {}, klasör: {folder}", quoted(name))
            }
            Note::FileNamePeriodVsFolder { name, folder } => format!("file name: {}, folder: {folder}", quoted(name)),
            Note::Superseded { winner, date } if tr => format!(
                "kullanılan dosya: {} (Tarih {})",
                quoted(winner),
                date.as_deref().unwrap_or("yok")
            ),
            Note::Superseded { winner, date } => match date {
                Some(d) => format!("file used: {} (dated {d})", quoted(winner)),
                None => format!("file used: {} (undated)", quoted(winner)),
            },
            Note::DuplicateRow { indicator, district } if tr => {
                format!("gösterge {indicator}, ilçe {}", quoted(district))
            }
            Note::DuplicateRow { indicator, district } => {
                format!("indicator {indicator}, district {}", quoted(district))
            }
            Note::SumMismatch { women, men, sum, total } if tr => format!(
                "Kadın {} + Erkek {} = {}, Toplam {}",
                n(*women),
                n(*men),
                n(*sum),
                n(*total)
            ),
            Note::SumMismatch { women, men, sum, total } => format!(
                "women {} + men {} = {}, total {}",
                n(*women),
                n(*men),
                n(*sum),
                n(*total)
            ),
            Note::BreakdownAboveTotal { value, total } if tr => {
                format!("kırılım {}, tüm yaşlar {}", n(*value), n(*total))
            }
            Note::BreakdownAboveTotal { value, total } => format!("breakdown {}, all ages {}", n(*value), n(*total)),
            Note::BreakdownsExceedTotal { sum, total } if tr => {
                format!("kırılımların toplamı {}, tüm yaşlar {}", n(*sum), n(*total))
            }
            Note::BreakdownsExceedTotal { sum, total } => {
                format!("sum of the breakdowns {}, all ages {}", n(*sum), n(*total))
            }
            Note::ReceiptLine { line, problem } if tr => format!("satır {line}: {}", problem.text(lang)),
            Note::ReceiptLine { line, problem } => format!("line {line}: {}", problem.text(lang)),
            Note::CityWideBelowDistricts { city_wide, districts } if tr => {
                format!(
                    "il geneli {}, ilçe satırlarının toplamı {}",
                    n(*city_wide),
                    n(*districts)
                )
            }
            Note::CityWideBelowDistricts { city_wide, districts } => {
                format!(
                    "city-wide {}, sum of the district rows {}",
                    n(*city_wide),
                    n(*districts)
                )
            }
            Note::TextCut { chars, limit } if tr => {
                format!("{} karakter; ilk {} karakter tutuldu", c(*chars), c(*limit))
            }
            Note::TextCut { chars, limit } => format!("{} characters; the first {} were kept", c(*chars), c(*limit)),
            Note::AmbiguousSeparator { read, other } if tr => {
                format!(
                    "{} okundu (virgül ondalık); binlik ayırıcı olsaydı {} olurdu",
                    n(*read),
                    n(*other)
                )
            }
            Note::AmbiguousSeparator { read, other } => {
                format!(
                    "read as {} (decimal comma); as a thousands separator it would be {}",
                    n(*read),
                    n(*other)
                )
            }
            Note::WomenAboveTotal { women, total } if tr => format!("Kadın {}, Toplam {}", n(*women), n(*total)),
            Note::WomenAboveTotal { women, total } => format!("women {}, total {}", n(*women), n(*total)),
            Note::MenAboveTotal { men, total } if tr => format!("Erkek {}, Toplam {}", n(*men), n(*total)),
            Note::MenAboveTotal { men, total } => format!("men {}, total {}", n(*men), n(*total)),
            Note::TuikNotReported => format!("{}: {}", quoted("-"), lang.pick("bilgi yok", "none")),
            Note::TuikNotAvailable => format!("{}: {}", quoted(".."), lang.pick("elde edilemiyor", "not available")),
            Note::TuikConfidential => format!("{}: {}", quoted("x"), lang.pick("gizli", "confidential")),
            Note::TuikFootnoteOnly => lang
                .pick(
                    "hücrede yalnızca dipnot işareti var, değer yok",
                    "the cell holds only a footnote marker, no value",
                )
                .into(),
            Note::MappingYieldsNothing { mapping, files } if tr => {
                format!("[[tuik]] #{mapping} ({}) bu tablodan hiç değer seçmedi", quoted(files))
            }
            Note::MappingYieldsNothing { mapping, files } => format!(
                "[[tuik]] #{mapping} ({}) selected no value in this table",
                quoted(files)
            ),
            Note::OtherSource {
                file,
                sheet,
                cell,
                value,
            } if tr => format!(
                "öteki kaynak {} ({}, {cell}): {}",
                quoted(file),
                quoted(sheet),
                n(*value)
            ),
            Note::OtherSource {
                file,
                sheet,
                cell,
                value,
            } => format!(
                "other source {} ({}, {cell}): {}",
                quoted(file),
                quoted(sheet),
                n(*value)
            ),
            Note::UnknownContextIndicators { mapping, files, ids } if tr => format!(
                "[[tuik]] #{mapping} ({}): bilinmeyen bağlam göstergesi: {}",
                quoted(files),
                quoted_list(ids)
            ),
            Note::UnknownContextIndicators { mapping, files, ids } => format!(
                "[[tuik]] #{mapping} ({}): unknown context indicator(s) {}",
                quoted(files),
                quoted_list(ids)
            ),
            Note::NotAGlob { mapping, files, error } if tr => format!(
                "[[tuik]] #{mapping}: files = {} bir glob deseni değil: {}",
                quoted(files),
                quoted(error)
            ),
            Note::NotAGlob { mapping, files, error } => format!(
                "[[tuik]] #{mapping}: files = {} is not a glob: {}",
                quoted(files),
                quoted(error)
            ),
            Note::NoDataRows => lang
                .pick(
                    "veri satırı bulunamadı (etiketi ve sayısı olan satır yok)",
                    "no data rows found (no row with a label and a number)",
                )
                .into(),
            Note::AreaNotAbove { area } if tr => format!("{} tablonun üstünde geçmiyor", quoted(area)),
            Note::AreaNotAbove { area } => format!("{} does not appear above the table", quoted(area)),
            Note::ColumnNotFound { label, found } if tr && found.is_empty() => {
                format!("başlıkta {} sütunu bulunamadı", quoted(label))
            }
            Note::ColumnNotFound { label, found } if tr => format!(
                "başlıkta {} sütunu bulunamadı; en yakın başlıklar: {}",
                quoted(label),
                quoted_list(found)
            ),
            Note::ColumnNotFound { label, found } if found.is_empty() => {
                format!("column {} not found in the header", quoted(label))
            }
            Note::ColumnNotFound { label, found } => format!(
                "column {} not found in the header; nearest labels there: {}",
                quoted(label),
                quoted_list(found)
            ),
            Note::ColumnTwice { label, also } if tr => {
                format!("{} sütunu birden çok kez bulundu ({also} sütununda da)", quoted(label))
            }
            Note::ColumnTwice { label, also } => {
                format!("column {} found more than once (also column {also})", quoted(label))
            }
            Note::ColumnMatchesBoth { first, second } if tr => {
                format!("sütun hem {} hem {} ile eşleşiyor", quoted(first), quoted(second))
            }
            Note::ColumnMatchesBoth { first, second } => {
                format!("the column matches both {} and {}", quoted(first), quoted(second))
            }
            Note::YearNotInHeader { year, found } if tr => {
                format!("{year} yılı başlıkta yok (bulunan yıllar: {})", years(found, lang))
            }
            Note::YearNotInHeader { year, found } => {
                format!("year {year} not in the header (years found: {})", years(found, lang))
            }
            Note::YearNotInTable { year, found } if tr => {
                format!("{year} yılı tabloda yok (bulunan yıllar: {})", years(found, lang))
            }
            Note::YearNotInTable { year, found } => {
                format!("year {year} not in the table (years found: {})", years(found, lang))
            }
            Note::NoSexColumns if tr => format!(
                "{} / {} / {} sütun başlıkları yok",
                quoted("Toplam"),
                quoted("Erkek"),
                quoted("Kadın")
            ),
            Note::NoSexColumns => format!(
                "no column headers for total, men, women ({} / {} / {})",
                quoted("Toplam"),
                quoted("Erkek"),
                quoted("Kadın")
            ),
            Note::SecondRow { label, first } if tr => format!("ikinci bir {} satırı (ilki {first})", quoted(label)),
            Note::SecondRow { label, first } => format!("a second row {} (the first is {first})", quoted(label)),
            Note::RowMatchesSeveral => lang
                .pick(
                    "satır etiketi eşlemedeki birden çok satırla eşleşiyor",
                    "the row label matches several mapped rows",
                )
                .into(),
            Note::RowNotFound { label, found } if tr && found.is_empty() => {
                format!("{} satırı bulunamadı", quoted(label))
            }
            Note::RowNotFound { label, found } if tr => format!(
                "{} satırı bulunamadı; en yakın satır etiketleri: {}",
                quoted(label),
                quoted_list(found)
            ),
            Note::RowNotFound { label, found } if found.is_empty() => format!("row {} not found", quoted(label)),
            Note::RowNotFound { label, found } => format!(
                "row {} not found; nearest row labels there: {}",
                quoted(label),
                quoted_list(found)
            ),
            Note::NoRowWith { value } if tr => format!("{} içeren satır yok", quoted(value)),
            Note::NoRowWith { value } => format!("no row with {}", quoted(value)),
            Note::SecondValue {
                indicator,
                period,
                sex,
                first,
            } if tr => format!(
                "{indicator} {period} {} için ikinci bir değer (ilki {first})",
                match sex {
                    Sex::Female => "kadın",
                    Sex::Male => "erkek",
                    Sex::Total => "toplam",
                }
            ),
            Note::SecondValue {
                indicator,
                period,
                sex,
                first,
            } => format!(
                "a second value for {indicator} {period} {} (the first is {first})",
                match sex {
                    Sex::Female => "women",
                    Sex::Male => "men",
                    Sex::Total => "total",
                }
            ),
            Note::StatedShare {
                stated,
                women,
                men,
                computed,
            } if tr => format!(
                "belirtilen kadın payı {}, oysa {} / ({} + {}) = {}",
                lang.percent(&n(*stated)),
                n(*women),
                n(*women),
                n(*men),
                lang.percent(&lang.fixed(*computed, 1))
            ),
            Note::StatedShare {
                stated,
                women,
                men,
                computed,
            } => format!(
                "stated women's share {} but {} / ({} + {}) = {}",
                lang.percent(&n(*stated)),
                n(*women),
                n(*women),
                n(*men),
                lang.percent(&lang.fixed(*computed, 1))
            ),
            Note::PercentForPerMille { printed } if tr => {
                format!("{} ile yazılmış, oysa oran binde (‰): {}", quoted("%"), quoted(printed))
            }
            Note::PercentForPerMille { printed } => format!(
                "printed with {} but the rate is per thousand (‰): {}",
                quoted("%"),
                quoted(printed)
            ),
            Note::RateUnit { table, plan, printed } if tr => format!(
                "tablo bu oranı {table} olarak veriyor, plan {plan} olarak yazıyor ({})",
                quoted(printed)
            ),
            Note::RateUnit { table, plan, printed } => format!(
                "the table gives this rate in {table}, the plan prints it in {plan} ({})",
                quoted(printed)
            ),
        }
    }
}

/// English, for logs and error chains; reports use [`Note::render`].
impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
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
    /// What this instance adds to the reason (e.g. the counts that do not add up),
    /// rendered in the report's language.
    pub note: Note,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn file(reason: Reason, file: impl Into<String>, note: Note) -> Self {
        Diagnostic {
            reason,
            file: file.into(),
            sheet: String::new(),
            cell: None,
            unit_id: String::new(),
            period: String::new(),
            indicator_id: String::new(),
            value: String::new(),
            note,
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
            ..Diagnostic::file(reason, file, Note::None)
        }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: Note) -> Self {
        self.note = note;
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

    /// The message for a person: the reason's title, then the note, both in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if self.note.is_none() {
            self.reason.title(lang).to_string()
        } else {
            format!("{}: {}", self.reason.title(lang), self.note.render(lang))
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
