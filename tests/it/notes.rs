//! Notes are typed parameters rendered in the report's language (issue 10, item 2): every
//! kind of note has a Turkish and an English sentence, and the reports `yeep run` writes
//! on the shipped inputs speak one language, apart from names and values as found.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use yeep::diagnostics::{CellPlace, Chain, CompoundFault, Note, Reason};
use yeep::model::{CellRef, Lang};
use yeep::normalise::Sex;
use yeep::pipeline::Pipeline;

use crate::common::{copy_dir, root, shipped_pipeline};

/// Letters English never has.
const TURKISH_LETTERS: &[char] = &['ç', 'ğ', 'ı', 'ş', 'ö', 'ü', 'İ', 'Ç', 'Ğ', 'Ş', 'Ö', 'Ü'];
/// Turkish words an English sentence would only have by mistake.
const TURKISH_WORDS: &[&str] = &[" ve ", " için ", " değil", " yok", "dosya", "sayfa", "hücre"];
/// English words a Turkish sentence would only have by mistake.
const ENGLISH_WORDS: &[&str] = &[" the ", " is ", " not ", " of ", " and ", " found", " none", " bytes"];

/// `text` without its “quoted” parts (names and values as found) and without `names`.
fn strip(text: &str, names: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('“') {
        out.push_str(&rest[..open]);
        rest = match rest[open..].find('”') {
            Some(close) => &rest[open + close + '”'.len_utf8()..],
            None => "",
        };
    }
    out.push_str(rest);
    let mut names: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    // Longest first: `İzmir Geneli` before `İzmir`.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for n in names {
        out = out.replace(n, " ");
    }
    out
}

/// What in `text` (already stripped) belongs to the other language than `lang`.
fn foreign(text: &str, lang: Lang) -> Vec<String> {
    let padded = format!(" {} ", text.to_lowercase());
    match lang {
        Lang::En => TURKISH_LETTERS
            .iter()
            .filter(|c| text.contains(**c))
            .map(|c| c.to_string())
            .chain(
                TURKISH_WORDS
                    .iter()
                    .filter(|w| padded.contains(**w))
                    .map(|w| w.to_string()),
            )
            .collect(),
        Lang::Tr => ENGLISH_WORDS
            .iter()
            .filter(|w| padded.contains(**w))
            .map(|w| w.to_string())
            .collect(),
    }
}

/// Each kind of note's place in [`examples`]; the match has no catch-all, so a new kind of
/// note does not compile here until it has an example.
fn ordinal(n: &Note) -> usize {
    match n {
        Note::None => 0,
        Note::FileSize { .. } => 1,
        Note::FileTooLarge { .. } => 2,
        Note::UncompressedTooLarge { .. } => 3,
        Note::CompressionRatio { .. } => 4,
        Note::TooManyEntries { .. } => 5,
        Note::Doctype { .. } => 6,
        Note::SharedStringsCount { .. } => 7,
        Note::CellOutOfRange { .. } => 8,
        Note::SheetTooLarge { .. } => 9,
        Note::TooManyRows { .. } => 10,
        Note::ZipUnreadable { .. } => 11,
        Note::ZipPartUnreadable { .. } => 12,
        Note::ZipEntryName { .. } => 13,
        Note::XmlAttributeUnreadable { .. } => 14,
        Note::XmlAttributeTwice { .. } => 15,
        Note::CompoundFile { .. } => 16,
        Note::FileContent { .. } => 17,
        Note::WorkbookUnreadable { .. } => 18,
        Note::SheetUnreadable { .. } => 19,
        Note::CsvUnreadable { .. } => 20,
        Note::FileUnreadable { .. } => 21,
        Note::InternalError { .. } => 22,
        Note::NameHasDotDot => 23,
        Note::NameHasControlCharacters => 24,
        Note::NameHasBidiOverride => 25,
        Note::SheetsFound { .. } => 26,
        Note::HeaderOnSeveralSheets { .. } => 27,
        Note::SheetNotFound { .. } => 28,
        Note::NoSheets => 29,
        Note::FolderPeriodNotInPlan { .. } => 30,
        Note::PeriodUnreadable => 31,
        Note::InfoPeriodVsFolder { .. } => 32,
        Note::FileNamePeriodVsFolder { .. } => 33,
        Note::Superseded { .. } => 34,
        Note::DuplicateRow { .. } => 35,
        Note::SumMismatch { .. } => 36,
        Note::WomenAboveTotal { .. } => 37,
        Note::MenAboveTotal { .. } => 38,
        Note::TuikNotReported => 39,
        Note::TuikNotAvailable => 40,
        Note::TuikConfidential => 41,
        Note::UnknownContextIndicators { .. } => 42,
        Note::NotAGlob { .. } => 43,
        Note::NoDataRows => 44,
        Note::AreaNotAbove { .. } => 45,
        Note::ColumnNotFound { .. } => 46,
        Note::ColumnTwice { .. } => 47,
        Note::ColumnMatchesBoth { .. } => 48,
        Note::YearNotInHeader { .. } => 49,
        Note::YearNotInTable { .. } => 50,
        Note::NoSexColumns => 51,
        Note::SecondRow { .. } => 52,
        Note::RowMatchesSeveral => 53,
        Note::RowNotFound { .. } => 54,
        Note::NoRowWith { .. } => 55,
        Note::SecondValue { .. } => 56,
        Note::StatedShare { .. } => 57,
        Note::PercentForPerMille { .. } => 58,
        Note::RateUnit { .. } => 59,
        Note::TuikFootnoteOnly => 60,
        Note::MappingYieldsNothing { .. } => 61,
        Note::OtherSource { .. } => 62,
        Note::EntrySkipped { .. } => 63,
        Note::AmbiguousSeparator { .. } => 64,
        Note::TextCut { .. } => 65,
        Note::CityWideBelowDistricts { .. } => 66,
        Note::BreakdownAboveTotal { .. } => 67,
        Note::BreakdownsExceedTotal { .. } => 68,
        Note::ReceiptLine { .. } => 69,
    }
}

/// The number of kinds of note (the last ordinal + 1).
const KINDS: usize = 70;

fn s(v: &str) -> String {
    v.to_string()
}

/// One note of each kind (and of each place and fault inside them).
fn examples() -> Vec<Note> {
    let entry = || s("xl/worksheets/sheet1.xml");
    let mut v = vec![
        Note::None,
        Note::CityWideBelowDistricts {
            city_wide: 40.0,
            districts: 55.0,
        },
        Note::BreakdownAboveTotal {
            value: 30.0,
            total: 20.0,
        },
        Note::ReceiptLine {
            line: 4,
            problem: yeep::diagnostics::ReceiptProblem::NotADate,
        },
        Note::BreakdownsExceedTotal { sum: 27.0, total: 20.0 },
        Note::FileSize { bytes: 0 },
        Note::FileTooLarge {
            bytes: 70_000_000,
            limit: 67_108_864,
        },
        Note::UncompressedTooLarge {
            bytes: 600_000_000,
            limit: 536_870_912,
        },
        Note::CompressionRatio {
            entry: entry(),
            ratio: 1023.7,
            limit: 250.0,
        },
        Note::TooManyEntries {
            entries: 10_001,
            limit: 10_000,
        },
        Note::Doctype { entry: entry() },
        Note::SharedStringsCount {
            entry: s("xl/sharedStrings.xml"),
            count: 4_000_000_000,
            bytes: 120,
        },
        Note::SheetTooLarge {
            entry: entry(),
            cells: 17_179_869_184,
            limit: 20_000_000,
        },
        Note::TooManyRows {
            rows: 100_001,
            limit: 100_000,
        },
        Note::ZipUnreadable {
            error: s("invalid Zip archive: Could not find central directory end"),
        },
        Note::ZipPartUnreadable {
            entry: entry(),
            error: s("corrupt deflate stream"),
        },
        Note::ZipEntryName { index: 3 },
        Note::XmlAttributeUnreadable { entry: entry() },
        Note::XmlAttributeTwice {
            entry: entry(),
            attribute: s("r"),
        },
        Note::WorkbookUnreadable {
            error: s("Xlsx error: Cannot find 'xl/workbook.xml'"),
        },
        Note::SheetUnreadable {
            sheet: s("Veri"),
            error: s("Xml error: ill-formed document"),
        },
        Note::CsvUnreadable {
            line: 1_204,
            error: s("CSV error: found record with 3 fields, but the previous record has 4 fields"),
        },
        Note::FileUnreadable {
            error: s("Permission denied (os error 13)"),
        },
        Note::InternalError {
            message: s("index out of bounds: the len is 3 but the index is 7"),
        },
        Note::InternalError { message: s("") },
        Note::NameHasDotDot,
        Note::NameHasControlCharacters,
        Note::NameHasBidiOverride,
        Note::SheetsFound {
            sheets: vec![s("Sayfa1"), s("Bilgi")],
        },
        Note::HeaderOnSeveralSheets {
            sheets: vec![s("Veri"), s("Veri (2)")],
        },
        Note::SheetNotFound {
            sheet: s("Tablo 12"),
            sheets: vec![s("t12")],
        },
        Note::NoSheets,
        Note::FolderPeriodNotInPlan {
            folder: s("2031"),
            periods: vec![s("2022"), s("2023"), s("2024")],
        },
        Note::PeriodUnreadable,
        Note::InfoPeriodVsFolder {
            info: s("2022"),
            folder: s("2023"),
        },
        Note::FileNamePeriodVsFolder {
            name: s("ilce-konak-2022.xlsx"),
            folder: s("2023"),
        },
        Note::Superseded {
            winner: s("submissions/2023/ilce-konak-duzeltme-2023.xlsx"),
            date: Some(s("2024-02-10")),
        },
        Note::Superseded {
            winner: s("submissions/2023/ilce-konak-duzeltme-2023.xlsx"),
            date: None,
        },
        Note::DuplicateRow {
            indicator: s("egitim-1.1.1-a"),
            district: s("Konak"),
        },
        Note::SumMismatch {
            women: 1200.0,
            men: 85.5,
            sum: 1285.5,
            total: 1300.0,
        },
        Note::WomenAboveTotal {
            women: 12.0,
            total: 10.0,
        },
        Note::MenAboveTotal { men: 12.0, total: 10.0 },
        Note::AmbiguousSeparator {
            read: 1.0,
            other: 1000.0,
        },
        Note::TextCut {
            chars: 40_000,
            limit: 32_767,
        },
        Note::TuikNotReported,
        Note::TuikNotAvailable,
        Note::TuikConfidential,
        Note::UnknownContextIndicators {
            mapping: 2,
            files: s("isgucu_*.xlsx"),
            ids: vec![s("ctx-yok")],
        },
        Note::NotAGlob {
            mapping: 3,
            files: s("[a.xlsx"),
            error: s("Pattern syntax error near position 0: invalid range pattern"),
        },
        Note::NoDataRows,
        Note::AreaNotAbove { area: s("İzmir") },
        Note::ColumnNotFound {
            label: s("Kadın"),
            found: vec![s("Kadın - Female"), s("Erkek - Male")],
        },
        Note::ColumnTwice {
            label: s("Toplam"),
            also: s("C"),
        },
        Note::ColumnMatchesBoth {
            first: s("Lise"),
            second: s("Lise ve dengi"),
        },
        Note::YearNotInHeader {
            year: s("2021"),
            found: vec![s("2019"), s("2020")],
        },
        Note::YearNotInTable {
            year: s("2021"),
            found: vec![],
        },
        Note::NoSexColumns,
        Note::SecondRow {
            label: s("İzmir"),
            first: CellRef::at(4, 0),
        },
        Note::RowMatchesSeveral,
        Note::RowNotFound {
            found: vec![],
            label: s("Okuryazar değil"),
        },
        Note::NoRowWith { value: s("TR310") },
        Note::SecondValue {
            indicator: s("ctx-isgucu-katilim"),
            period: s("2020"),
            sex: Sex::Female,
            first: CellRef::at(6, 3),
        },
        Note::StatedShare {
            stated: 47.6,
            women: 71198.0,
            men: 82732.0,
            computed: 46.26,
        },
        Note::PercentForPerMille {
            printed: s("2020 yılında İzmir’de kaba doğum hızı %10,1 olarak gerçekleşmiştir."),
        },
        Note::RateUnit {
            table: s("‰"),
            plan: s("%"),
            printed: s("(%13,2)"),
        },
        Note::FileContent { kind: s("unknown") },
        Note::TuikFootnoteOnly,
        Note::MappingYieldsNothing {
            mapping: 4,
            files: s("isgucu_il_*.xlsx"),
        },
        Note::OtherSource {
            file: s("tuik/isgucu_il_2020.xlsx"),
            sheet: s("Sayfa1"),
            cell: s("C7"),
            value: 34.7,
        },
    ];
    for why in [
        "fifo",
        "socket",
        "device",
        "link-outside-input",
        "link-loop",
        "link-dangling",
        "hidden",
        "office-lock",
        "os-metadata",
    ] {
        v.push(Note::EntrySkipped { why: s(why) });
    }
    for kind in ["pdf", "html", "xml", "text", "zip", "cfb", "binary"] {
        v.push(Note::FileContent { kind: s(kind) });
    }
    for place in [
        CellPlace::Ref(s("XFE1")),
        CellPlace::Row(s("1048577")),
        CellPlace::RowColumn { row: 5, column: 257 },
        CellPlace::Dimensions {
            first_row: 9,
            last_row: 3,
        },
    ] {
        v.push(Note::CellOutOfRange { entry: entry(), place });
    }
    let chains = [
        Chain::Difat,
        Chain::Directory,
        Chain::MiniFat,
        Chain::Stream,
        Chain::MiniStream,
    ];
    v.extend(
        [
            CompoundFault::ShorterThanHeader,
            CompoundFault::SectorSize,
            CompoundFault::SectorPastEnd { sector: 4_096 },
        ]
        .into_iter()
        .chain(chains.iter().map(|&chain| CompoundFault::ChainLoops { chain }))
        .chain(chains.iter().map(|&chain| CompoundFault::ChainLeavesTable { chain }))
        .map(|fault| Note::CompoundFile { fault }),
    );
    {
        use yeep::diagnostics::ReceiptProblem::*;
        v.extend(
            [TooLarge, Unreadable, NotTwoColumns, NoFile, NotADate, ListedTwice]
                .into_iter()
                .map(|problem| Note::ReceiptLine { line: 2, problem }),
        );
    }
    v
}

#[test]
fn every_kind_of_note_has_a_turkish_and_an_english_sentence() {
    let examples = examples();
    let kinds: BTreeSet<usize> = examples.iter().map(ordinal).collect();
    assert_eq!(kinds, (0..KINDS).collect(), "an example of every kind of note");
    for note in &examples {
        let (tr, en) = (note.render(Lang::Tr), note.render(Lang::En));
        if note.is_none() {
            assert!(tr.is_empty() && en.is_empty());
            continue;
        }
        assert!(!tr.trim().is_empty() && !en.trim().is_empty(), "{note:?}");
        assert_ne!(tr, en, "{note:?}");
        assert_eq!(note.to_string(), en, "Display is the English sentence");
        assert!(
            foreign(&strip(&en, &[]), Lang::En).is_empty(),
            "Turkish in English: {en}"
        );
        assert!(
            foreign(&strip(&tr, &[]), Lang::Tr).is_empty(),
            "English in Turkish: {tr}"
        );
    }
}

#[test]
fn numbers_in_notes_follow_the_language() {
    let n = Note::StatedShare {
        stated: 47.6,
        women: 71198.0,
        men: 82732.0,
        computed: 46.26,
    };
    assert_eq!(
        n.render(Lang::Tr),
        "belirtilen kadın payı %47,6, oysa 71.198 / (71.198 + 82.732) = %46,3"
    );
    assert_eq!(
        n.render(Lang::En),
        "stated women's share 47.6% but 71,198 / (71,198 + 82,732) = 46.3%"
    );
    let sum = Note::SumMismatch {
        women: 1200.0,
        men: 85.5,
        sum: 1285.5,
        total: 1300.0,
    };
    assert_eq!(sum.render(Lang::Tr), "Kadın 1.200 + Erkek 85,5 = 1.285,5, Toplam 1.300");
    assert_eq!(sum.render(Lang::En), "women 1,200 + men 85.5 = 1,285.5, total 1,300");
    // Years and cell references are not numbers to group.
    let year = Note::YearNotInHeader {
        year: s("2021"),
        found: vec![s("2019"), s("2020")],
    };
    assert_eq!(
        year.render(Lang::Tr),
        "2021 yılı başlıkta yok (bulunan yıllar: 2019, 2020)"
    );
    assert_eq!(
        year.render(Lang::En),
        "year 2021 not in the header (years found: 2019, 2020)"
    );
}

#[test]
fn notes_survive_the_rerun_cache_encoding() {
    for note in examples() {
        let bytes = postcard::to_allocvec(&note).unwrap();
        assert_eq!(postcard::from_bytes::<Note>(&bytes).unwrap(), note);
    }
}

/// The validation reports (CSV) `yeep run` writes on a copy of the shipped inputs in
/// `lang`: for each period, the file, its rows and its header.
fn shipped_reports(dir: &Path, lang: Lang) -> Vec<(String, Vec<csv::StringRecord>, csv::StringRecord)> {
    let out = dir.join(match lang {
        Lang::Tr => "out-tr",
        Lang::En => "out-en",
    });
    let status = Command::new(env!("CARGO_BIN_EXE_yeep"))
        .args([
            "run",
            "-q",
            "--lang",
            if lang == Lang::Tr { "tr" } else { "en" },
            "--output",
        ])
        .arg(&out)
        .current_dir(dir)
        .output()
        .unwrap()
        .status;
    // 3: the shipped inputs hold rejections on purpose.
    assert_eq!(status.code(), Some(3));
    let mut reports = Vec::new();
    for period in ["2022", "2023"] {
        let path = out.join(format!("izmir-2022-2024/{period}/dogrulama-{period}.csv"));
        let mut r = csv::Reader::from_path(&path).unwrap();
        let header = r.headers().unwrap().clone();
        let rows = r.records().map(Result::unwrap).collect();
        reports.push((path.display().to_string(), rows, header));
    }
    reports
}

#[test]
fn shipped_reports_speak_one_language_apart_from_names_and_values() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("pipelines"), &dir.path().join("pipelines"));
    copy_dir(&root().join("input"), &dir.path().join("input"));
    let cat = Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap();
    // Names a message may quote unquoted: the plan's units, districts and indicators.
    let mut names: Vec<String> = vec![s("TÜİK"), s("İzmir Geneli"), s("İzmir")];
    for u in &cat.units {
        names.extend([u.id.clone(), u.name.clone(), u.name_en.clone()]);
    }
    for d in &cat.districts {
        names.push(d.name.clone());
        names.extend(d.aliases.iter().cloned());
    }
    names.extend(cat.indicators.iter().map(|i| i.id.clone()));
    names.extend(cat.context.iter().map(|c| c.id.clone()));

    let mut messages: Vec<[BTreeSet<String>; 2]> = Vec::new();
    for lang in [Lang::Tr, Lang::En] {
        let mut noted = 0;
        let mut distinct: BTreeSet<String> = BTreeSet::new();
        let mut codes: BTreeSet<String> = BTreeSet::new();
        for (file, rows, header) in shipped_reports(dir.path(), lang) {
            let col = |name: &str| header.iter().position(|h| h == name).unwrap();
            let (msg, code) = (col("message"), col("code"));
            for row in &rows {
                let reason = Reason::ALL.iter().find(|r| r.code() == &row[code]).unwrap();
                let message = &row[msg];
                assert!(message.starts_with(reason.title(lang)), "{file}: {message}");
                if message != reason.title(lang) {
                    noted += 1;
                    distinct.insert(message.to_string());
                    codes.insert(row[code].to_string());
                }
                // The row's own names and value, then the plan's names.
                let own = ["file", "sheet", "unit_id", "indicator_id", "value"].map(|c| &row[col(c)]);
                let all: Vec<&str> = own.iter().copied().chain(names.iter().map(String::as_str)).collect();
                let bare = strip(message, &all);
                let found = foreign(&bare, lang);
                assert!(
                    found.is_empty(),
                    "{file}: {found:?} in {message:?} (stripped: {bare:?})"
                );
            }
        }
        // The shipped inputs hold rejected cells, a rejected workbook, a superseded file,
        // TÜİK warnings and rate-count mismatches: the test is not vacuous.
        assert!(noted >= 15, "{lang:?}: {noted} messages with a note");
        assert!(distinct.len() >= 8, "{lang:?}: {distinct:#?}");
        for c in [
            "sum-mismatch",
            "period-mismatch",
            "duplicate-submission",
            "tuik-value-missing",
            "rate-count-mismatch",
        ] {
            assert!(codes.contains(c), "{lang:?}: no note on {c}");
        }
        messages.push([distinct, codes]);
    }
    // The same notes, in two languages.
    assert_eq!(messages[0][0].len(), messages[1][0].len());
    assert_eq!(messages[0][1], messages[1][1]);
    assert!(messages[0][0].is_disjoint(&messages[1][0]));
}
