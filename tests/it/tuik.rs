//! TÜİK table reader (issue 4): real files, layout variants, changed layouts, the
//! shipped baseline, consistency warnings.

use rust_xlsxwriter::XlsxError;

use rust_xlsxwriter::{Format, Workbook};
use yeep::diagnostics::{Note, Reason, Severity};
use yeep::model::Lang;
use yeep::normalise::{DistrictIndex, NumberCell, Sex};
use yeep::pipeline::{AreaSpec, Pipeline, SexLayout, TuikMapping};
use yeep::sources::tuik::extract::{extract, Selected};
use yeep::sources::tuik::{load_grid, Grid};

use crate::common::{root, shared_data, shipped_pipeline, IZMIR_GENELI};

fn real(rel: &str) -> Option<Grid> {
    let path = shared_data(&format!("tuik/{rel}"))?;
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
        Ok(NumberCell::Value(v)) => (v, s[0].cell().to_string()),
        ref other => panic!("not a number: {other:?}"),
    }
}

/// The shipped plan's district index: its 30 districts and the city-wide area
/// (`İzmir Geneli`, also written `İzmir`, `TR31`, `TR310`).
fn izmir() -> DistrictIndex {
    Pipeline::load(&shipped_pipeline())
        .unwrap()
        .catalogue()
        .unwrap()
        .districts_index()
        .clone()
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
    let Some(g) = real("xls/issizlik_cinsiyet_2014-2022.xls") else {
        return;
    };
    assert_eq!(g.sheet, "t908");
    let m = map(|m| {
        m.columns = [("İşsizlik oranı".to_string(), "ctx-x".to_string())].into();
        m.years = vec!["2020".into(), "2021".into()];
        m.sex = SexLayout::Rows;
        m.district = Some("Türkiye".into());
    });
    let sel = extract(&g, &m, &izmir()).unwrap();
    assert_eq!(sel.len(), 6);
    let (v, cell) = one(&sel, "2020", Sex::Female);
    assert!((v - 14.968722324).abs() < 1e-9);
    assert_eq!(cell, "C33");
    assert_eq!(
        one(&sel, "2021", Sex::Male),
        (10.7, "C24".into()),
        "2021(1) is a year with a footnote"
    );
    assert_eq!(one(&sel, "2021", Sex::Total).1, "C14");
    assert!(sel.iter().all(|s| s.district == "Türkiye"));
    // The count column by name, in thousands.
    let m2 = map(|m| {
        m.columns = [("Number of Unemployed".to_string(), "ctx-x".to_string())].into();
        m.years = vec!["2022".into()];
        m.sex = SexLayout::Rows;
        m.district = Some("Türkiye".into());
    });
    let sel = extract(&g, &m2, &izmir()).unwrap();
    assert_eq!(one(&sel, "2022", Sex::Female), (1538.0, "B35".into()));
}

#[test]
fn real_yoksulluk_years_across_sex_under_each_year() {
    let Some(g) = real("xls/yoksulluk_egitim_cinsiyet_2015-2024.xls") else {
        return;
    };
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
    let sel = extract(&g, &m, &izmir()).unwrap();
    assert_eq!(sel.len(), 6);
    let a: Vec<&Selected> = sel.iter().filter(|s| s.indicator == "ctx-a").collect();
    let f = a.iter().find(|s| s.sex == Sex::Female).unwrap();
    assert_eq!(f.cell().to_string(), "H10");
    assert_eq!(f.value, Ok(NumberCell::Value(33.82860377950042)));
    let b = sel
        .iter()
        .find(|s| s.indicator == "ctx-b" && s.sex == Sex::Male)
        .unwrap();
    assert_eq!(b.cell().to_string(), "G14");
    assert_eq!(b.value, Ok(NumberCell::Value(2.934840218035674)));
    // A year the table does not have: located at the header's first year.
    let bad = map(|m| {
        m.indicator = Some("ctx-a".into());
        m.years = vec!["2030".into()];
        m.sex = SexLayout::Columns;
        m.district = Some("Türkiye".into());
    });
    let e = extract(&g, &bad, &izmir()).unwrap_err();
    assert_eq!(e.cell.to_string(), "B7", "{e}");
}

#[test]
fn real_arope_region_row_tr31_izmir() {
    let Some(g) = real("xls/arope_ibbs2_bolge_2016-2024.xls") else {
        return;
    };
    let m = map(|m| {
        m.indicator = Some("ctx-x".into());
        m.years = vec!["2020".into(), "2023".into()];
        m.area = area_row("İzmir");
    });
    let sel = extract(&g, &m, &izmir()).unwrap();
    assert_eq!(one(&sel, "2020", Sex::Total), (24.07, "F10".into()));
    assert_eq!(one(&sel, "2023", Sex::Total), (28.14, "I10".into()));
    assert!(sel.iter().all(|s| s.district == IZMIR_GENELI));
    // By its NUTS code, too; and "-(1)" is a missing value, not a number.
    let m = map(|m| {
        m.indicator = Some("ctx-x".into());
        m.years = vec!["2023".into()];
        m.area = area_row("TR63");
        m.district = Some("TR63".into());
    });
    let sel = extract(&g, &m, &izmir()).unwrap();
    assert_eq!(sel[0].cell().to_string(), "I19");
    assert_eq!(sel[0].value, Ok(NumberCell::NotReported));
}

#[test]
fn real_html_voter_profile_cp1254_turkish_thousands() {
    let Some(g) = real("html_xls/secmen_profili_2018_izmir_konak.xls") else {
        return;
    };
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
    let districts = yeep::normalise::DistrictIndex::new(IZMIR_GENELI, &[], [("Konak", &[][..])]);
    let sel = extract(&g, &m, &districts).unwrap();
    let x: Vec<&Selected> = sel.iter().filter(|s| s.indicator == "ctx-x").collect();
    let v = |sex: Sex| {
        x.iter()
            .find(|s| s.sex == sex)
            .map(|s| (s.value.clone(), s.cell().to_string()))
            .unwrap()
    };
    assert_eq!(v(Sex::Male), (Ok(NumberCell::Value(16404.0)), "C4".into()));
    assert_eq!(v(Sex::Female), (Ok(NumberCell::Value(16001.0)), "D4".into()));
    assert_eq!(v(Sex::Total), (Ok(NumberCell::Value(32405.0)), "E4".into()));
    let t = sel
        .iter()
        .find(|s| s.indicator == "ctx-t" && s.sex == Sex::Total)
        .unwrap();
    assert_eq!(t.value, Ok(NumberCell::Value(278789.0)));
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
    let Some(g) = real("sdmx_csv/adnks_t30_il_nufuslari.csv") else {
        return;
    };
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
    let sel = extract(&g, &m, &izmir()).unwrap();
    assert_eq!(sel.len(), 1);
    assert_eq!(sel[0].value, Ok(NumberCell::Value(3739353.0)));
    assert_eq!(sel[0].district, IZMIR_GENELI);
    assert_eq!(g.cell(sel[0].row, 6).text(), "TR310");
    let Some(g) = real("sdmx_csv/adnks_t17_nufus_gostergeleri.csv") else {
        return;
    };
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
    let sel = extract(&g, &m, &izmir()).unwrap();
    let raw = &sel[0].raw;
    let expected: f64 = raw.replace(',', ".").parse().unwrap();
    assert_eq!(sel[0].value, Ok(NumberCell::Value(expected)), "{code}: {raw}");
}

/// The shipped inputs are exactly what the generator writes (set YEEP_REGENERATE=1 to
/// rewrite them after changing the generator).
#[test]
fn shipped_tuik_inputs_match_the_generator() {
    let dir = root().join("input/tuik");
    if std::env::var_os("YEEP_REGENERATE").is_some() {
        yeep::demo::tuik_inputs::write_shipped_tuik(&dir).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let written = yeep::demo::tuik_inputs::write_shipped_tuik(tmp.path()).unwrap();
    assert!(written.len() >= 15);
    for path in written {
        let name = path.file_name().unwrap();
        let shipped = std::fs::read(dir.join(name)).unwrap_or_else(|_| panic!("{name:?} is not shipped"));
        assert!(
            std::fs::read(&path).unwrap() == shipped,
            "{name:?} drifted from the generator"
        );
    }
}

fn shipped() -> (Pipeline, yeep::catalogue::Catalogue, yeep::pipeline::Collected) {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let read = yeep::pipeline::collect::tuik(&p, &cat, &p.input_dir, None, Default::default());
    (p, cat, read)
}

/// Every baseline figure of context.toml comes out of the shipped tables, for the period
/// the catalogue names (a range like 2019-2021 is the period the table declares, in its
/// `Dönem` column or title).
#[test]
fn shipped_run_reproduces_every_baseline() {
    let (_, cat, read) = shipped();
    let errors: Vec<_> = read
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut checked = 0;
    for c in &cat.context {
        for (sex, want) in [
            (Sex::Female, c.baseline.female),
            (Sex::Male, c.baseline.male),
            (Sex::Total, c.baseline.total),
        ] {
            let Some(want) = want else { continue };
            let got: Vec<_> = read
                .observations
                .iter()
                .filter(|o| o.indicator_id == c.id && o.period == c.baseline_year && o.sex == sex)
                .collect();
            assert_eq!(got.len(), 1, "{} {} {sex:?}: {got:#?}", c.id, c.baseline_year);
            assert_eq!(
                got[0].value, want,
                "{} {sex:?} from {}!{}",
                c.id, got[0].source_file, got[0].source_cell
            );
            assert_eq!(got[0].unit_id, "tuik");
            assert_eq!(got[0].theme, c.theme);
            checked += 1;
        }
    }
    assert!(checked >= 100, "{checked}");
    for f in &read.files {
        assert_eq!(f.values_read, f.values_accepted + f.values_rejected, "{f:?}");
        assert_eq!(f.status.code(), "accepted", "{f:?}");
    }
}

#[test]
fn shipped_run_warns_about_the_plans_known_disagreements() {
    let (_, _, read) = shipped();
    let rc: Vec<_> = read
        .diagnostics
        .iter()
        .filter(|d| d.reason == Reason::RateCountMismatch)
        .collect();
    let has = |id: &str, file: &str| rc.iter().any(|d| d.indicator_id == id && d.file.starts_with(file));
    // Stated shares against counts: in the plan, and against the tables' counts.
    assert!(has("ctx-buyuksehir-meclis-uyesi", "catalogue"), "{rc:#?}");
    assert!(has("ctx-onlisans-lisans-ogrenci", "catalogue"));
    let council = rc
        .iter()
        .find(|d| d.indicator_id == "ctx-buyuksehir-meclis-uyesi" && d.file != "catalogue")
        .unwrap();
    assert_eq!(
        (
            council.file.as_str(),
            council.sheet.as_str(),
            council.cell_text().as_str()
        ),
        ("tuik/temsil_2021.xlsx", "Temsil", "B5")
    );
    let students = rc
        .iter()
        .find(|d| d.indicator_id == "ctx-onlisans-lisans-ogrenci" && d.file != "catalogue")
        .unwrap();
    assert_eq!(students.cell_text(), "D7");
    // Per-thousand rates printed with "%".
    assert!(has("ctx-kaba-dogum-hizi", "catalogue"));
    assert!(has("ctx-kaba-olum-hizi", "catalogue"));
    let adolescent = rc.iter().find(|d| d.indicator_id == "ctx-adolesan-dogum-payi").unwrap();
    assert_eq!(adolescent.file, "tuik/ana_cocuk_sagligi_izmir_2012-2019.xlsx");
    assert_eq!(adolescent.cell_text(), "A6");
    // TBMM's 17.3 % agrees with 101 / 584.
    assert!(!rc.iter().any(|d| d.indicator_id == "ctx-tbmm-milletvekili"));
    assert!(rc.iter().all(|d| d.severity() == Severity::Warning));
}

// ---- layout variants, built in the test ------------------------------------------------

#[derive(Clone, Copy)]
enum C {
    T(&'static str),
    N(f64),
}

/// Writes rows (from A1) into an xlsx with one sheet; `merges` are (r1, c1, r2, c2).
fn xlsx(sheet: &str, rows: &[Vec<Option<C>>], merges: &[(u32, u16, u32, u16)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let f = Format::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let covered = merges.iter().any(|m| {
                (m.0..=m.2).contains(&(r as u32))
                    && (m.1..=m.3).contains(&(c as u16))
                    && (m.0, m.1) != (r as u32, c as u16)
            });
            if covered {
                continue;
            }
            if let Some(m) = merges.iter().find(|m| (m.0, m.1) == (r as u32, c as u16)) {
                let text = match v {
                    Some(C::T(s)) => s.to_string(),
                    Some(C::N(n)) => n.to_string(),
                    None => String::new(),
                };
                ws.merge_range(m.0, m.1, m.2, m.3, &text, &f)?;
                continue;
            }
            match v {
                Some(C::T(s)) => {
                    ws.write_string(r as u32, c as u16, *s)?;
                }
                Some(C::N(n)) => {
                    ws.write_number(r as u32, c as u16, *n)?;
                }
                None => {}
            }
        }
    }
    wb.save_to_buffer()
}

fn t(s: &'static str) -> Option<C> {
    Some(C::T(s))
}

fn n(v: f64) -> Option<C> {
    Some(C::N(v))
}

/// İzmir's labour force participation, 2019 and 2020, T/M/F.
const LFPR: [(&str, [f64; 3]); 2] = [("2019", [52.6, 70.0, 36.1]), ("2020", [51.6, 69.0, 34.7])];

fn title() -> Vec<Vec<Option<C>>> {
    vec![
        vec![t("Cinsiyete göre işgücüne katılma oranı, İzmir, 2019-2020")],
        vec![t("Labour force participation rate by sex, İzmir, 2019-2020")],
        vec![None, None, None, None, None, None, t("(%)")],
    ]
}

/// Sex as columns under merged year groups (years across).
fn sex_columns_years_across(measure: &'static str) -> Vec<u8> {
    let mut rows = title();
    rows.push(vec![t("İl\nProvince"), t(measure), None, None, None, None, None]);
    rows.push(vec![None, n(2019.0), None, None, n(2020.0), None, None]);
    rows.push(vec![
        None,
        t("Toplam\nTotal"),
        t("Erkek\nMale"),
        t("Kadın\nFemale"),
        t("Toplam\nTotal"),
        t("Erkek\nMale"),
        t("Kadın\nFemale"),
    ]);
    rows.push(vec![t("Türkiye"), n(53.0), n(72.0), n(33.0), n(49.3), n(70.3), n(28.7)]);
    let v = |y: usize, s: usize| n(LFPR[y].1[s]);
    rows.push(vec![t("İzmir"), v(0, 0), v(0, 1), v(0, 2), v(1, 0), v(1, 1), v(1, 2)]);
    rows.push(vec![t("Manisa"), n(50.0), n(70.0), n(30.0), n(49.0), n(69.0), n(29.0)]);
    rows.push(vec![]);
    rows.push(vec![t("Kaynak: TÜİK, Hanehalkı İşgücü Araştırması")]);
    xlsx("t12", &rows, &[(3, 1, 3, 6), (4, 1, 4, 3), (4, 4, 4, 6), (3, 0, 5, 0)]).unwrap()
}

/// Sex as stacked row blocks, provinces in each block, years across.
fn sex_rows_years_across() -> Vec<u8> {
    let mut rows = title();
    rows.push(vec![t("İl - Province"), t("Yıllar - Years"), None]);
    rows.push(vec![None, n(2019.0), n(2020.0)]);
    for (s, label) in [(0, "Toplam-Total"), (1, "Erkek-Male"), (2, "Kadın - Female")] {
        rows.push(vec![t(label)]);
        rows.push(vec![t("Türkiye"), n(50.0 + s as f64), n(48.0)]);
        rows.push(vec![
            t("İzmir "),
            n(LFPR[0].1[s]),
            Some(C::T(["51,6", "69", "34,7(1)"][s])),
        ]);
    }
    rows.push(vec![t("(1) Geçici. / Provisional.")]);
    xlsx("Sayfa1", &rows, &[(3, 1, 3, 2), (3, 0, 4, 0)]).unwrap()
}

/// Sex as columns, years down (one table about İzmir, named in the title).
fn sex_columns_years_down() -> Vec<u8> {
    let mut rows = title();
    rows.push(vec![
        t("Yıl\nYear"),
        t("Toplam\nTotal"),
        t("Erkek\nMale"),
        t("Kadın\nFemale"),
    ]);
    rows.push(vec![n(2018.0), n(53.1), n(70.2), n(36.6)]);
    for (y, v) in LFPR {
        rows.push(vec![t(y), n(v[0]), n(v[1]), n(v[2])]);
    }
    rows.push(vec![t("Kaynak: TÜİK")]);
    xlsx("t1", &rows, &[]).unwrap()
}

/// Sex in the stub (Toplam / Erkek / Kadın rows), years across.
fn sex_stub_years_across() -> Vec<u8> {
    let mut rows = title();
    rows.push(vec![t("Cinsiyet\nSex"), n(2019.0), n(2020.0)]);
    for (s, label) in [(0, "Toplam\nTotal"), (1, "Erkek\nMale"), (2, "Kadın\nFemale")] {
        rows.push(vec![t(label), n(LFPR[0].1[s]), n(LFPR[1].1[s])]);
    }
    xlsx("t1", &rows, &[]).unwrap()
}

fn values(sel: Vec<Selected>) -> Vec<(String, Sex, f64)> {
    let mut v: Vec<(String, Sex, f64)> = sel
        .into_iter()
        .map(|s| match s.value {
            Ok(NumberCell::Value(x)) => (s.period, s.sex, x),
            other => panic!("{other:?}"),
        })
        .collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

fn grid_of(bytes: Vec<u8>) -> Grid {
    load_grid(bytes, None).unwrap()
}

#[test]
fn layout_variants_read_to_the_same_observations() {
    let years = vec!["2019".to_string(), "2020".to_string()];
    let a = map(|m| {
        m.columns = [("İşgücüne katılma oranı".to_string(), "ctx-isgucu-katilim".to_string())].into();
        m.years = years.clone();
        m.sex = SexLayout::Columns;
        m.area = area_row("İzmir");
    });
    let b = map(|m| {
        m.indicator = Some("ctx-isgucu-katilim".into());
        m.years = years.clone();
        m.sex = SexLayout::Rows;
        m.area = area_row("İzmir");
    });
    let c = map(|m| {
        m.indicator = Some("ctx-isgucu-katilim".into());
        m.years = years.clone();
        m.sex = SexLayout::Columns;
        m.area = area_above("İzmir");
    });
    let d = map(|m| {
        m.indicator = Some("ctx-isgucu-katilim".into());
        m.years = years.clone();
        m.sex = SexLayout::Rows;
        m.area = area_above("İzmir");
    });
    let ix = izmir();
    let va = values(extract(&grid_of(sex_columns_years_across("İşgücüne katılma oranı")), &a, &ix).unwrap());
    let vb = values(extract(&grid_of(sex_rows_years_across()), &b, &ix).unwrap());
    let vc = values(extract(&grid_of(sex_columns_years_down()), &c, &ix).unwrap());
    let vd = values(extract(&grid_of(sex_stub_years_across()), &d, &ix).unwrap());
    assert_eq!(va.len(), 6);
    assert_eq!(va, vb, "sex in rows vs sex in columns");
    assert_eq!(va, vc, "years down vs years across");
    assert_eq!(va, vd, "sex in the stub");
    assert!(va.contains(&("2020".into(), Sex::Female, 34.7)));
}

/// Writes files into a temporary input folder and reads them with the shipped catalogue
/// and the given mappings.
fn run(files: &[(&str, Vec<u8>)], mappings: Vec<TuikMapping>) -> yeep::pipeline::Collected {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("tuik")).unwrap();
    for (name, bytes) in files {
        std::fs::write(tmp.path().join("tuik").join(name), bytes).unwrap();
    }
    let mut p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    p.tuik = mappings;
    yeep::pipeline::collect::tuik(&p, &cat, tmp.path(), None, Default::default())
}

fn layout_errors(read: &yeep::pipeline::Collected) -> Vec<(String, String, String, &'static str)> {
    read.diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .map(|d| (d.file.clone(), d.sheet.clone(), d.cell_text(), d.reason.code()))
        .collect()
}

fn lfpr_mapping(f: impl FnOnce(&mut TuikMapping)) -> TuikMapping {
    map(|m| {
        m.files = "lfpr*.xlsx".into();
        m.columns = [("İşgücüne katılma oranı".to_string(), "ctx-isgucu-katilim".to_string())].into();
        m.years = vec!["2020".into()];
        m.sex = SexLayout::Columns;
        m.area = area_row("İzmir");
        f(m);
    })
}

#[test]
fn fitting_table_is_read_with_source_cells() {
    let read = run(
        &[
            ("lfpr.xlsx", sex_columns_years_across("İşgücüne katılma oranı")),
            ("notes.txt", b"x".to_vec()),
        ],
        vec![lfpr_mapping(|_| {})],
    );
    assert!(layout_errors(&read).is_empty(), "{:#?}", read.diagnostics);
    let f = read.observations.iter().find(|o| o.sex == Sex::Female).unwrap();
    assert_eq!(
        (f.source_file.as_str(), f.source_sheet.as_str(), f.source_cell.as_str()),
        ("tuik/lfpr.xlsx", "t12", "G8")
    );
    assert_eq!(
        (f.value, f.period.as_str(), f.district.as_str()),
        (34.7, "2020", IZMIR_GENELI)
    );
    let unmapped = read.files.iter().find(|a| a.file == "tuik/notes.txt").unwrap();
    assert_eq!(unmapped.status.code(), "unmapped");
    let acc = read.files.iter().find(|a| a.file == "tuik/lfpr.xlsx").unwrap();
    assert_eq!((acc.values_read, acc.values_accepted, acc.values_rejected), (3, 3, 0));
}

#[test]
fn renamed_column_is_a_located_layout_error() {
    let read = run(
        &[("lfpr.xlsx", sex_columns_years_across("İşgücüne katılım payı"))],
        vec![lfpr_mapping(|_| {})],
    );
    assert_eq!(
        layout_errors(&read),
        vec![(
            "tuik/lfpr.xlsx".into(),
            "t12".into(),
            "A3".into(),
            "tuik-layout-mismatch"
        )]
    );
    assert!(read.observations.is_empty());
    assert_eq!(read.files[0].status.code(), "rejected");
}

#[test]
fn missing_year_is_a_located_layout_error() {
    let read = run(
        &[("lfpr.xlsx", sex_columns_years_across("İşgücüne katılma oranı"))],
        vec![lfpr_mapping(|m| m.years = vec!["2021".into()])],
    );
    assert_eq!(
        layout_errors(&read),
        vec![(
            "tuik/lfpr.xlsx".into(),
            "t12".into(),
            "B5".into(),
            "tuik-layout-mismatch"
        )]
    );
    assert!(read.observations.is_empty());
    // Years down: located at the stub of the first data row.
    let read = run(
        &[("lfpr_down.xlsx", sex_columns_years_down())],
        vec![map(|m| {
            m.files = "lfpr*.xlsx".into();
            m.indicator = Some("ctx-isgucu-katilim".into());
            m.years = vec!["2021".into()];
            m.sex = SexLayout::Columns;
            m.area = area_above("İzmir");
        })],
    );
    assert_eq!(
        layout_errors(&read),
        vec![(
            "tuik/lfpr_down.xlsx".into(),
            "t1".into(),
            "A5".into(),
            "tuik-layout-mismatch"
        )]
    );
}

#[test]
fn renamed_sheet_is_a_layout_error_naming_the_sheet() {
    let read = run(
        &[("lfpr.xlsx", sex_columns_years_across("İşgücüne katılma oranı"))],
        vec![lfpr_mapping(|m| m.sheet = Some("Tablo 12".into()))],
    );
    assert_eq!(
        layout_errors(&read),
        vec![(
            "tuik/lfpr.xlsx".into(),
            "Tablo 12".into(),
            "".into(),
            "tuik-layout-mismatch"
        )]
    );
    // The note names the sheet asked for and the sheets found, in both languages.
    let note = &read.diagnostics[0].note;
    assert!(
        matches!(note, Note::SheetNotFound { sheet, sheets } if sheet == "Tablo 12" && sheets == &["t12".to_string()]),
        "{note:?}"
    );
    assert!(note.render(Lang::Tr).contains("“t12”"), "{}", note.render(Lang::Tr));
    assert!(note.render(Lang::En).contains("“t12”"), "{}", note.render(Lang::En));
    assert!(read.observations.is_empty());
}

#[test]
fn second_izmir_row_is_a_located_layout_error() {
    let mut rows = title();
    rows.push(vec![t("İl"), t("Toplam"), t("Erkek"), t("Kadın")]);
    rows.push(vec![t("TR31 (İzmir)"), n(51.6), n(69.0), n(34.7)]);
    rows.push(vec![t("İzmir"), n(50.0), n(68.0), n(33.0)]);
    let bytes = xlsx("t1", &rows, &[]).unwrap();
    let read = run(
        &[("lfpr.xlsx", bytes)],
        vec![lfpr_mapping(|m| {
            m.columns.clear();
            m.indicator = Some("ctx-isgucu-katilim".into());
            m.years.clear();
            m.year = Some("2020".into());
        })],
    );
    assert_eq!(
        layout_errors(&read),
        vec![(
            "tuik/lfpr.xlsx".into(),
            "t1".into(),
            "A6".into(),
            "tuik-layout-mismatch"
        )]
    );
    assert!(read.observations.is_empty(), "never a number from an ambiguous table");
}

#[test]
fn missing_values_are_warnings_never_zero() {
    let mut rows = title();
    rows.push(vec![t("İl"), t("Toplam"), t("Erkek"), t("Kadın")]);
    rows.push(vec![t("İzmir"), t(".."), t("x"), t("-")]);
    rows.push(vec![t("Manisa"), n(50.0), n(68.0), n(33.0)]);
    let bytes = xlsx("t1", &rows, &[]).unwrap();
    let read = run(
        &[("lfpr.xlsx", bytes)],
        vec![lfpr_mapping(|m| {
            m.columns.clear();
            m.indicator = Some("ctx-isgucu-katilim".into());
            m.years.clear();
            m.year = Some("2020".into());
        })],
    );
    assert!(read.observations.is_empty());
    let missing: Vec<(String, &str)> = read
        .diagnostics
        .iter()
        .filter(|d| d.reason == Reason::TuikValueMissing)
        .map(|d| (d.cell_text(), d.value.as_str()))
        .collect();
    assert_eq!(
        missing,
        vec![("B5".into(), ".."), ("C5".into(), "x"), ("D5".into(), "-")]
    );
    // Issue 13 #7: a marker is TÜİK saying there is no value — a warning, never counted
    // as a rejected value.
    let acc = &read.files[0];
    assert_eq!((acc.values_read, acc.values_accepted, acc.values_rejected), (0, 0, 0));
}

#[test]
fn tuik_mapping_typo_and_inconsistency_are_config_errors() {
    let m = crate::common::MiniPlan::new();
    let base = crate::common::MINI_PIPELINE;
    m.write(
        "pipeline.toml",
        &format!("{base}\n[[tuik]]\nfiles = \"a.xlsx\"\nindicator = \"ctx-a\"\nyear = \"2020\"\nareaa = {{ row = \"İzmir\" }}\n"),
    );
    let e = Pipeline::load(&m.path().join("pipeline.toml")).unwrap_err().to_string();
    assert!(e.contains("areaa"), "{e}");
    m.write(
        "pipeline.toml",
        &format!("{base}\n[[tuik]]\nfiles = \"a.xlsx\"\nindicator = \"ctx-a\"\nyear = \"2020\"\nyears = [\"2021\"]\narea = {{ row = \"İzmir\" }}\n"),
    );
    let e = Pipeline::load(&m.pipeline()).unwrap_err().to_string();
    assert!(e.contains("[[tuik]] #1"), "{e}");
}

#[test]
fn broken_files_fail_cleanly() {
    for rel in [
        "corpus/calamine/too_small.xls",
        "corpus/calamine/pass_protected.xlsx",
        "corpus/openpyxl/null_file.xlsx",
        "corpus/openpyxl/null_archive.xlsx",
    ] {
        let Some(path) = shared_data(rel) else { return };
        let bytes = std::fs::read(&path).unwrap();
        // too_small.xls is 68 bytes of ASCII: it loads as text, and holds no table.
        let table = load_grid(bytes, None).map(|g| yeep::sources::tuik::layout::detect(&g).is_ok());
        assert!(!matches!(table, Ok(true)), "{rel} should not give a table");
    }
}

/// The byte-search reader finds exactly the merged ranges calamine finds.
#[test]
fn xlsx_merges_agree_with_calamine() {
    use calamine::Reader;
    let mut files = yeep::demo::tuik_inputs::shipped_tuik_files().unwrap();
    files.push(yeep::demo::tuik_national::national_table(&["Konak".to_string()], 2019, 1).unwrap());
    let mut checked = 0;
    for (name, bytes) in files.into_iter().filter(|(n, _)| n.ends_with(".xlsx")) {
        let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let calamine::Sheets::Xlsx(x) = &mut wb else { continue };
        for sheet in x.sheet_names() {
            let theirs: Vec<(u32, u32, u32, u32)> = x
                .merge_cells_by_sheet_name(&sheet)
                .unwrap_or_default()
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect();
            let ours: Vec<(u32, u32, u32, u32)> = yeep::sources::tuik::workbook::xlsx_merges(&bytes, &sheet)
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m.first_row as u32,
                        m.first_col as u32,
                        m.last_row as u32,
                        m.last_col as u32,
                    )
                })
                .collect();
            assert_eq!(ours, theirs, "{name} / {sheet}");
            checked += usize::from(!ours.is_empty());
        }
    }
    assert!(checked >= 5, "{checked} sheets with merges");
}
