//! TÜİK table reader (issue 4): real files, layout variants, changed layouts, the
//! shipped baseline, consistency warnings.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};
use yeep::normalise::{Sex, CITY_WIDE};
use yeep::pipeline::{AreaSpec, Pipeline, SexLayout, TuikMapping};
use yeep::sources::tuik::extract::{extract, Mismatch, Selected, Value};
use yeep::sources::tuik::{load_grid, read_tuik, Grid};
use yeep::validate::{Reason, Severity};

use crate::common::{root, shared_data, shipped_pipeline};

fn real(rel: &str) -> Option<Grid> {
    let Some(dir) = shared_data() else {
        eprintln!("note: ../shared/data absent; skipping {rel}");
        return None;
    };
    let path: PathBuf = dir.join("tuik").join(rel);
    if !path.is_file() {
        eprintln!("note: {} absent; skipping", path.display());
        return None;
    }
    Some(load_grid(std::fs::read(path).unwrap(), None).unwrap())
}

fn area_row(s: &str) -> Option<AreaSpec> {
    Some(AreaSpec {
        row: Some(s.into()),
        ..Default::default()
    })
}

fn area_above(s: &str) -> Option<AreaSpec> {
    Some(AreaSpec {
        above: Some(s.into()),
        ..Default::default()
    })
}

fn one(sel: &[Selected], period: &str, sex: Sex) -> (f64, String) {
    let s: Vec<&Selected> = sel.iter().filter(|s| s.period == period && s.sex == sex).collect();
    assert_eq!(s.len(), 1, "one value for {period} {sex:?}: {sel:#?}");
    match s[0].value {
        Value::Number(v) => (v, s[0].cell()),
        ref other => panic!("not a number: {other:?}"),
    }
}

fn map(f: impl FnOnce(&mut TuikMapping)) -> TuikMapping {
    let mut m = TuikMapping {
        files: "*".into(),
        ..Default::default()
    };
    f(&mut m);
    m.check().expect("mapping is consistent");
    m
}

#[test]
fn real_issizlik_sex_as_stacked_row_blocks() {
    let Some(g) = real("xls/issizlik_cinsiyet_2014-2022.xls") else { return };
    assert_eq!(g.sheet, "t908");
    let m = map(|m| {
        m.columns = [("İşsizlik oranı".to_string(), "ctx-x".to_string())].into();
        m.years = vec!["2020".into(), "2021".into()];
        m.sex = SexLayout::Rows;
        m.district = Some("Türkiye".into());
    });
    let sel = extract(&g, &m, &Default::default()).unwrap();
    assert_eq!(sel.len(), 6);
    let (v, cell) = one(&sel, "2020", Sex::Female);
    assert!((v - 14.968722324).abs() < 1e-9);
    assert_eq!(cell, "C33");
    assert_eq!(one(&sel, "2021", Sex::Male), (10.7, "C24".into()), "2021(1) is a year with a footnote");
    assert_eq!(one(&sel, "2021", Sex::Total).1, "C14");
    assert!(sel.iter().all(|s| s.district == "Türkiye"));
    // The count column by name, in thousands.
    let m2 = map(|m| {
        m.columns = [("Number of Unemployed".to_string(), "ctx-x".to_string())].into();
        m.years = vec!["2022".into()];
        m.sex = SexLayout::Rows;
        m.district = Some("Türkiye".into());
    });
    let sel = extract(&g, &m2, &Default::default()).unwrap();
    assert_eq!(one(&sel, "2022", Sex::Female), (1538.0, "B35".into()));
}

#[test]
fn real_yoksulluk_years_across_sex_under_each_year() {
    let Some(g) = real("xls/yoksulluk_egitim_cinsiyet_2015-2024.xls") else { return };
    let m = map(|m| {
        m.rows = [
            ("Okur-yazar olmayanlar".to_string(), "ctx-a".to_string()),
            ("Higher education".to_string(), "ctx-b".to_string()),
        ]
        .into();
        m.years = vec!["2016".into()];
        m.sex = SexLayout::Columns;
        m.district = Some("Türkiye".into());
    });
    let sel = extract(&g, &m, &Default::default()).unwrap();
    assert_eq!(sel.len(), 6);
    let a: Vec<&Selected> = sel.iter().filter(|s| s.indicator == "ctx-a").collect();
    let f = a.iter().find(|s| s.sex == Sex::Female).unwrap();
    assert_eq!(f.cell(), "H10");
    assert_eq!(f.value, Value::Number(33.82860377950042));
    let b = sel.iter().find(|s| s.indicator == "ctx-b" && s.sex == Sex::Male).unwrap();
    assert_eq!(b.cell(), "G14");
    assert_eq!(b.value, Value::Number(2.934840218035674));
    // A year the table does not have: located at the header's first year.
    let bad = map(|m| {
        m.indicator = Some("ctx-a".into());
        m.years = vec!["2030".into()];
        m.sex = SexLayout::Columns;
        m.district = Some("Türkiye".into());
    });
    let e = extract(&g, &bad, &Default::default()).unwrap_err();
    assert_eq!(e.cell, "B7", "{e}");
}

#[test]
fn real_arope_region_row_tr31_izmir() {
    let Some(g) = real("xls/arope_ibbs2_bolge_2016-2024.xls") else { return };
    let m = map(|m| {
        m.indicator = Some("ctx-x".into());
        m.years = vec!["2020".into(), "2023".into()];
        m.area = area_row("İzmir");
    });
    let sel = extract(&g, &m, &Default::default()).unwrap();
    assert_eq!(one(&sel, "2020", Sex::Total), (24.07, "F10".into()));
    assert_eq!(one(&sel, "2023", Sex::Total), (28.14, "I10".into()));
    assert!(sel.iter().all(|s| s.district == CITY_WIDE));
    // By its NUTS code, too; and "-(1)" is a missing value, not a number.
    let m = map(|m| {
        m.indicator = Some("ctx-x".into());
        m.years = vec!["2023".into()];
        m.area = area_row("TR63");
        m.district = Some("TR63".into());
    });
    let sel = extract(&g, &m, &Default::default()).unwrap();
    assert_eq!(sel[0].cell(), "I19");
    assert_eq!(sel[0].value, Value::NotReported);
}

#[test]
fn real_html_voter_profile_cp1254_turkish_thousands() {
    let Some(g) = real("html_xls/secmen_profili_2018_izmir_konak.xls") else { return };
    let m = map(|m| {
        m.rows = [
            ("18-24".to_string(), "ctx-x".to_string()),
            ("Toplam".to_string(), "ctx-t".to_string()),
        ]
        .into();
        m.year = Some("2018".into());
        m.sex = SexLayout::Columns;
        m.area = area_above("Konak");
    });
    let districts = yeep::normalise::DistrictIndex::new([("Konak", &[][..])]);
    let sel = extract(&g, &m, &districts).unwrap();
    let x: Vec<&Selected> = sel.iter().filter(|s| s.indicator == "ctx-x").collect();
    let v = |sex: Sex| x.iter().find(|s| s.sex == sex).map(|s| (s.value.clone(), s.cell())).unwrap();
    assert_eq!(v(Sex::Male), (Value::Number(16404.0), "C4".into()));
    assert_eq!(v(Sex::Female), (Value::Number(16001.0), "D4".into()));
    assert_eq!(v(Sex::Total), (Value::Number(32405.0), "E4".into()));
    let t = sel.iter().find(|s| s.indicator == "ctx-t" && s.sex == Sex::Total).unwrap();
    assert_eq!(t.value, Value::Number(278789.0));
    assert!(sel.iter().all(|s| s.district == "Konak"));
    // The province appears only above the table.
    let m = map(|m| {
        m.indicator = Some("ctx-x".into());
        m.year = Some("2018".into());
        m.sex = SexLayout::Columns;
        m.area = area_above("Ankara");
    });
    assert!(extract(&g, &m, &districts).is_err());
}

#[test]
fn real_sdmx_csv_code_columns_tr310() {
    let Some(g) = real("sdmx_csv/adnks_t30_il_nufuslari.csv") else { return };
    let m = map(|m| {
        m.indicator = Some("ctx-nufus".into());
        m.years = vec!["2007".into()];
        m.area = Some(AreaSpec {
            column: Some("IKAMET_YERI".into()),
            value: Some("TR310".into()),
            ..Default::default()
        });
        m.year_column = Some("TIME_PERIOD".into());
        m.value_column = Some("Gözlem".into());
        m.filters = [("ADNKS_GOSTERGE".to_string(), "NUFUS".to_string())].into();
    });
    let sel = extract(&g, &m, &Default::default()).unwrap();
    assert_eq!(sel.len(), 1);
    assert_eq!(sel[0].value, Value::Number(3739353.0));
    assert_eq!(sel[0].district, CITY_WIDE);
    assert_eq!(g.cell(sel[0].row, 6).text(), "TR310");
    let Some(g) = real("sdmx_csv/adnks_t17_nufus_gostergeleri.csv") else { return };
    // Decimal comma; the label header "ADNKS Gösterge (NUFUS)" does not shadow the code column.
    let code = (1..g.height())
        .map(|r| g.cell(r, 6).text())
        .find(|c| c != "NUFUS")
        .expect("a second indicator");
    let m = map(|m| {
        m.indicator = Some("ctx-x".into());
        m.years = vec!["2024".into()];
        m.district = Some("Türkiye".into());
        m.year_column = Some("TIME_PERIOD".into());
        m.value_column = Some("Gözlem".into());
        m.filters = [("ADNKS_GOSTERGE".to_string(), code.clone())].into();
    });
    let sel = extract(&g, &m, &Default::default()).unwrap();
    let raw = &sel[0].raw;
    let expected: f64 = raw.replace(',', ".").parse().unwrap();
    assert_eq!(sel[0].value, Value::Number(expected), "{code}: {raw}");
}

/// The shipped inputs are exactly what the generator writes (set YEEP_REGENERATE=1 to
/// rewrite them after changing the generator).
#[test]
fn shipped_tuik_inputs_match_the_generator() {
    let dir = root().join("input/tuik");
    if std::env::var_os("YEEP_REGENERATE").is_some() {
        yeep::sinks::tuik_inputs::write_shipped_tuik(&dir).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let written = yeep::sinks::tuik_inputs::write_shipped_tuik(tmp.path()).unwrap();
    assert!(written.len() >= 15);
    for path in written {
        let name = path.file_name().unwrap();
        let shipped = std::fs::read(dir.join(name)).unwrap_or_else(|_| panic!("{name:?} is not shipped"));
        assert!(std::fs::read(&path).unwrap() == shipped, "{name:?} drifted from the generator");
    }
}

fn shipped() -> (Pipeline, yeep::catalogue::Catalogue, yeep::sources::tuik::TuikRead) {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let read = read_tuik(&p, &cat, &p.input_dir, None);
    (p, cat, read)
}

/// Every baseline figure of context.toml comes out of the shipped tables, for the period
/// the catalogue names (a range like 2019-2021 is the period the table declares, in its
/// `Dönem` column or title).
#[test]
fn shipped_run_reproduces_every_baseline() {
    let (_, cat, read) = shipped();
    let errors: Vec<_> = read.diagnostics.iter().filter(|d| d.severity() == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut checked = 0;
    for c in &cat.context {
        for (sex, want) in [(Sex::Female, c.baseline.female), (Sex::Male, c.baseline.male), (Sex::Total, c.baseline.total)] {
            let Some(want) = want else { continue };
            let got: Vec<_> = read
                .observations
                .iter()
                .filter(|o| o.indicator_id == c.id && o.period == c.baseline_year && o.sex == sex)
                .collect();
            assert_eq!(got.len(), 1, "{} {} {sex:?}: {got:#?}", c.id, c.baseline_year);
            assert_eq!(got[0].value, want, "{} {sex:?} from {}!{}", c.id, got[0].source_file, got[0].source_cell);
            assert_eq!(got[0].unit_id, "tuik");
            assert_eq!(got[0].theme, c.theme);
            checked += 1;
        }
    }
    assert!(checked >= 100, "{checked}");
    for f in &read.files {
        assert_eq!(f.values_read, f.values_accepted + f.values_rejected, "{f:?}");
        assert_eq!(f.status, "accepted", "{f:?}");
    }
}

#[test]
fn shipped_run_warns_about_the_plans_known_disagreements() {
    let (_, _, read) = shipped();
    let rc: Vec<_> = read.diagnostics.iter().filter(|d| d.reason == Reason::RateCountMismatch).collect();
    let has = |id: &str, file: &str| rc.iter().any(|d| d.indicator_id == id && d.file.starts_with(file));
    // Stated shares against counts: in the plan, and against the tables' counts.
    assert!(has("ctx-buyuksehir-meclis-uyesi", "catalogue"), "{rc:#?}");
    assert!(has("ctx-onlisans-lisans-ogrenci", "catalogue"));
    let council = rc
        .iter()
        .find(|d| d.indicator_id == "ctx-buyuksehir-meclis-uyesi" && d.file != "catalogue")
        .unwrap();
    assert_eq!((council.file.as_str(), council.sheet.as_str(), council.cell.as_str()), ("tuik/temsil_2021.xlsx", "Temsil", "B5"));
    let students = rc
        .iter()
        .find(|d| d.indicator_id == "ctx-onlisans-lisans-ogrenci" && d.file != "catalogue")
        .unwrap();
    assert_eq!(students.cell, "D7");
    // Per-thousand rates printed with "%".
    assert!(has("ctx-kaba-dogum-hizi", "catalogue"));
    assert!(has("ctx-kaba-olum-hizi", "catalogue"));
    let adolescent = rc.iter().find(|d| d.indicator_id == "ctx-adolesan-dogum-payi").unwrap();
    assert_eq!(adolescent.file, "tuik/ana_cocuk_sagligi_izmir_2012-2019.xlsx");
    assert_eq!(adolescent.cell, "A6");
    // TBMM's 17.3 % agrees with 101 / 584.
    assert!(!rc.iter().any(|d| d.indicator_id == "ctx-tbmm-milletvekili"));
    assert!(rc.iter().all(|d| d.severity() == Severity::Warning));
}
