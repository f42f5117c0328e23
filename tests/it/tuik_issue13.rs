//! Issue 13: TÜİK tables as people download them — regression tests, each named after
//! what it pins.

use rust_xlsxwriter::Workbook;
use yeep::diagnostics::{Note, Reason, Severity};
use yeep::normalise::Sex;
use yeep::pipeline::Pipeline;
use yeep::sources::tuik::TuikMapping;

use crate::common::{root, shipped_pipeline, IZMIR_GENELI};

/// Reads `files` (name, bytes) placed in a temporary `tuik/` folder through `mappings`
/// (the shipped pipeline's when `None`) with the shipped catalogue.
fn collect(files: &[(&str, Vec<u8>)], mappings: Option<Vec<TuikMapping>>) -> yeep::pipeline::Collected {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("tuik")).unwrap();
    for (name, bytes) in files {
        std::fs::write(tmp.path().join("tuik").join(name), bytes).unwrap();
    }
    let mut p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    if let Some(m) = mappings {
        p.tuik = m;
    }
    yeep::pipeline::collect::tuik(&p, &cat, tmp.path(), None, Default::default())
}

/// A one-year table: provinces down, sex across (`cells` as texts or numbers).
fn table(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Cinsiyete göre işgücüne katılma oranı, 2020")
        .unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).unwrap(),
                Err(_) => ws.write_string(r, c, *v).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

fn lfpr(files: &str) -> TuikMapping {
    let mut m = TuikMapping {
        files: files.into(),
        indicator: Some("ctx-isgucu-katilim".into()),
        year: Some("2020".into()),
        sex: yeep::sources::tuik::SexLayout::Columns,
        area: Some(yeep::sources::tuik::AreaSpec {
            row: Some("İzmir".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    m.check().unwrap();
    m.files = files.into();
    m
}

fn women(c: &yeep::pipeline::Collected) -> Vec<f64> {
    c.observations
        .iter()
        .filter(|o| o.indicator_id == "ctx-isgucu-katilim" && o.sex == Sex::Female && o.district == IZMIR_GENELI)
        .map(|o| o.value)
        .collect()
}

fn with_reason(c: &yeep::pipeline::Collected, r: Reason) -> Vec<&yeep::diagnostics::Diagnostic> {
    c.diagnostics.iter().filter(|d| d.reason == r).collect()
}

#[test]
fn issue_13_a_redownloaded_copy_of_a_shipped_table_is_never_summed() {
    let bytes = std::fs::read(root().join("input/tuik/isgucu_il_2020.xlsx")).unwrap();
    let one = collect(&[("isgucu_il_2020.xlsx", bytes.clone())], None);
    let two = collect(
        &[
            ("isgucu_il_2020.xlsx", bytes.clone()),
            ("isgucu_il_2020 (1).xlsx", bytes),
        ],
        None,
    );
    assert_eq!(women(&one).len(), 1);
    assert_eq!(women(&two), women(&one), "one value, not the sum of two copies");
    let warnings = with_reason(&two, Reason::TuikDuplicateValue);
    assert!(!warnings.is_empty());
    let w = warnings
        .iter()
        .find(|d| d.indicator_id == "ctx-isgucu-katilim")
        .expect("a warning about the participation rate");
    assert_eq!(w.severity(), Severity::Warning);
    assert_eq!(w.file, "tuik/isgucu_il_2020.xlsx");
    match &w.note {
        Note::OtherSource { file, value, .. } => {
            assert_eq!(file, "tuik/isgucu_il_2020 (1).xlsx");
            assert_eq!(w.value, yeep::normalise::format_number(*value));
        }
        other => panic!("{other:?}"),
    }
    // Nothing of the copy is rejected: the values agree.
    assert!(two.files.iter().all(|f| f.values_rejected == 0), "{:?}", two.files);
}

#[test]
fn issue_13_two_sources_that_disagree_give_neither_value_and_an_error_naming_both() {
    let a = table(&[&["İl", "Toplam", "Erkek", "Kadın"], &["İzmir", "51.6", "69", "34.7"]]);
    let b = table(&[&["İl", "Toplam", "Erkek", "Kadın"], &["İzmir", "51.6", "69", "35.1"]]);
    let c = collect(
        &[("lfpr_a.xlsx", a), ("lfpr_b.xlsx", b)],
        Some(vec![lfpr("lfpr_*.xlsx")]),
    );
    assert!(women(&c).is_empty(), "neither women's value is used");
    let errors = with_reason(&c, Reason::TuikConflictingValues);
    let files: Vec<(&str, String)> = errors.iter().map(|d| (d.file.as_str(), d.cell_text())).collect();
    assert_eq!(
        files,
        [
            ("tuik/lfpr_a.xlsx", "D4".to_string()),
            ("tuik/lfpr_b.xlsx", "D4".to_string())
        ]
    );
    match &errors[0].note {
        Note::OtherSource { file, cell, value, .. } => {
            assert_eq!(
                (file.as_str(), cell.as_str(), *value, errors[0].value.as_str()),
                (
                    "tuik/lfpr_b.xlsx",
                    "D4",
                    35.1,
                    yeep::normalise::format_number(34.7).as_str()
                )
            );
        }
        other => panic!("{other:?}"),
    }
    // The agreeing total and men are kept once each, with a warning.
    let totals: Vec<f64> = c
        .observations
        .iter()
        .filter(|o| o.sex == Sex::Total)
        .map(|o| o.value)
        .collect();
    assert_eq!(totals, [51.6]);
    // Each file counts its disagreeing value as rejected: read = accepted + rejected.
    for f in &c.files {
        assert_eq!(
            (f.values_read, f.values_accepted, f.values_rejected),
            (3, 2, 1),
            "{}",
            f.file
        );
    }
}

#[test]
fn issue_13_footnoted_markers_are_missing_values_not_errors() {
    let bytes = table(&[&["İl", "Toplam", "Erkek", "Kadın"], &["İzmir", "-(1)", "(6)*", "(r)"]]);
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![lfpr("lfpr.xlsx")]));
    assert!(c.observations.is_empty());
    assert!(
        c.diagnostics.iter().all(|d| d.severity() == Severity::Warning),
        "{:#?}",
        c.diagnostics
    );
    let notes: Vec<(String, &Note)> = with_reason(&c, Reason::TuikValueMissing)
        .iter()
        .map(|d| (d.cell_text(), &d.note))
        .collect();
    assert_eq!(
        notes,
        [
            ("B4".to_string(), &Note::TuikNotReported),
            ("C4".to_string(), &Note::TuikFootnoteOnly),
            ("D4".to_string(), &Note::TuikFootnoteOnly),
        ]
    );
    // A footnoted number is a number.
    let bytes = table(&[
        &["İl", "Toplam", "Erkek", "Kadın"],
        &["İzmir", "51,6(1)", "69", "34,7*"],
    ]);
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![lfpr("lfpr.xlsx")]));
    assert_eq!(women(&c), [34.7]);
}

#[test]
fn issue_13_missing_value_markers_are_not_counted_as_rejections() {
    let bytes = table(&[&["İl", "Toplam", "Erkek", "Kadın"], &["İzmir", "51.6", "..", "x"]]);
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![lfpr("lfpr.xlsx")]));
    let f = &c.files[0];
    assert_eq!((f.values_read, f.values_accepted, f.values_rejected), (1, 1, 0));
    assert_eq!(f.status.code(), "accepted");
    assert_eq!(with_reason(&c, Reason::TuikValueMissing).len(), 2);
}

#[test]
fn issue_13_text_in_a_tuik_cell_is_not_reported_with_advice_for_template_fillers() {
    let bytes = table(&[
        &["İl", "Toplam", "Erkek", "Kadın"],
        &["İzmir", "51.6", "yaklaşık 69", "#DIV/0!"],
    ]);
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![lfpr("lfpr.xlsx")]));
    let codes: Vec<(String, &str, &str)> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .map(|d| (d.cell_text(), d.reason.code(), d.value.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("C4".to_string(), "tuik-value-not-numeric", "yaklaşık 69"),
            ("D4".to_string(), "value-excel-error", "#DIV/0!"),
        ]
    );
    assert!(!c.diagnostics.iter().any(|d| d.reason == Reason::ValueNotNumeric));
}

#[test]
fn issue_13_excel_error_cells_keep_excels_spelling() {
    // A real error cell: a formula whose cached result is an error.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Cinsiyete göre işgücüne katılma oranı, 2020")
        .unwrap();
    for (c, h) in ["İl", "Toplam", "Erkek", "Kadın"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "İzmir").unwrap();
    ws.write_number(3, 1, 51.6).unwrap();
    ws.write_number(3, 2, 69.0).unwrap();
    ws.write_formula(3, 3, rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    let c = collect(
        &[("lfpr.xlsx", wb.save_to_buffer().unwrap())],
        Some(vec![lfpr("lfpr.xlsx")]),
    );
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.cell_text() == "D4")
        .unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    assert_eq!((d.reason.code(), d.value.as_str()), ("value-excel-error", "#DIV/0!"));
}

#[test]
fn issue_13_a_mapping_that_yields_nothing_is_a_warning() {
    // The table has İzmir, but no women's or men's column: only cells not by sex … and the
    // indicator is by sex, so a Toplam-only table still gives its total. A table of 2019
    // asked for 2020 gives nothing at all.
    let bytes = table(&[&["İl", "Toplam"], &["İzmir", "51.6"]]);
    let mut m = lfpr("lfpr.xlsx");
    m.sex = yeep::sources::tuik::SexLayout::None;
    m.indicator = Some("ctx-nufus".into());
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![m]));
    assert!(
        with_reason(&c, Reason::TuikMappingEmpty).is_empty(),
        "{:#?}",
        c.diagnostics
    );
    // A mapping selecting only cells of an indicator that is not by sex, by sex.
    let bytes = table(&[&["İl", "Erkek", "Kadın"], &["İzmir", "69", "34.7"]]);
    let mut m = lfpr("lfpr.xlsx");
    m.indicator = Some("ctx-nufus-25-alti".into());
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![m]));
    let empty = with_reason(&c, Reason::TuikMappingEmpty);
    assert_eq!(empty.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(empty[0].severity(), Severity::Warning);
    assert!(matches!(empty[0].note, Note::MappingYieldsNothing { mapping: 1, .. }));
    assert!(c.observations.is_empty());
}

#[test]
fn issue_13_column_not_found_lists_the_nearest_labels_there() {
    let bytes = table(&[&["İl", "Toplam", "Erkek", "Kadın"], &["İzmir", "51.6", "69", "34.7"]]);
    let mut m = lfpr("lfpr.xlsx");
    m.year = None;
    m.years = vec!["2020".into()];
    m.year_column = Some("Yıllar".into());
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![m]));
    let d = with_reason(&c, Reason::TuikLayoutMismatch)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    match &d.note {
        Note::ColumnNotFound { label, found } => {
            assert_eq!(label, "Yıllar");
            assert!(found.contains(&"İl".to_string()) && found.len() <= 5, "{found:?}");
        }
        other => panic!("{other:?}"),
    }
    let text = d.note.render(yeep::model::lang::Lang::En);
    assert!(text.contains("nearest labels there"), "{text}");
}

#[test]
fn issue_13_row_not_found_lists_the_nearest_row_labels() {
    let bytes = table(&[
        &["İl", "Toplam", "Erkek", "Kadın"],
        &["İzmir", "51.6", "69", "34.7"],
        &["Manisa", "50", "68", "33"],
    ]);
    let mut m = lfpr("lfpr.xlsx");
    m.area = Some(yeep::sources::tuik::AreaSpec {
        row: Some("Izmirr".into()),
        ..Default::default()
    });
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![m]));
    let d = with_reason(&c, Reason::TuikLayoutMismatch)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    match &d.note {
        Note::RowNotFound { found, .. } => assert_eq!(found.first().map(String::as_str), Some("İzmir"), "{found:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn issue_13_bilingual_labels_padded_with_spaces_match_their_turkish_part() {
    let padded = format!("İzmir{}Izmir province", " ".repeat(200));
    let bytes = table(&[&["İl", "Toplam", "Erkek", "Kadın"], &[&padded, "51.6", "69", "34.7"]]);
    let c = collect(&[("lfpr.xlsx", bytes)], Some(vec![lfpr("lfpr.xlsx")]));
    assert_eq!(women(&c), [34.7], "{:#?}", c.diagnostics);
}

#[test]
fn issue_13_a_run_with_only_tuik_tables_needs_no_submissions_folder() {
    let tmp = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("input/tuik"), &tmp.path().join("input/tuik"));
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let opts = yeep::pipeline::run::RunOptions {
        input: Some(tmp.path().join("input")),
        output: Some(tmp.path().join("out")),
        lock_wait: std::time::Duration::from_secs(60),
        ..Default::default()
    };
    let outcome = yeep::pipeline::run::run(&p, &opts).unwrap();
    assert_eq!(
        outcome.periods.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(),
        p.plan.periods.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(tmp.path().join("out/izmir-2022-2024/2022/izleme-2022.xlsx").is_file());
    // With neither submissions nor tables, the error says what is missing.
    let empty = tempfile::tempdir().unwrap();
    let opts = yeep::pipeline::run::RunOptions {
        input: Some(empty.path().to_path_buf()),
        output: Some(tmp.path().join("out2")),
        ..Default::default()
    };
    let err = yeep::pipeline::run::run(&p, &opts).unwrap_err().to_string();
    assert!(err.contains("TÜİK"), "{err}");
}
