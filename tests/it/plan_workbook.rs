//! The plan-period workbook `izleme-<plan>.xlsx` and its public edition (issue 15, item 1):
//! its values read back against the period workbooks, its sparklines and charts pointing
//! at the cells that hold the values, the end-of-plan counts, determinism.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{open_workbook_auto, Data, DataType, Reader};
use yeep::catalogue::Catalogue;
use yeep::model::lang::Lang;
use yeep::model::observation::Observation;
use yeep::model::CellRef;
use yeep::normalise::Sex;
use yeep::pipeline::collect::Collected;
use yeep::pipeline::run::{run, write_outputs, Inputs, RunOptions, WriteOptions};
use yeep::pipeline::Pipeline;

use crate::common::{accepted_file, observation, shipped_pipeline, IZMIR_GENELI};

const PLAN: &str = "izmir-2022-2024";

fn catalogue() -> Catalogue {
    Pipeline::load(&shipped_pipeline()).unwrap().catalogue().unwrap()
}

/// The shipped job (periods 2022 and 2023) run once into a temporary folder: the plan folder.
fn shipped() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let outcome = run_shipped(&dir, None);
        let plan = dir.join(PLAN);
        assert_eq!(
            outcome.plan_workbooks,
            [
                crate::common::plan_file(&plan, format!("izleme-{PLAN}.xlsx")),
                crate::common::plan_file(&plan, format!("izleme-{PLAN}-kamu.xlsx"))
            ]
        );
        plan
    })
}

fn run_shipped(out: &Path, period: Option<&str>) -> yeep::pipeline::run::RunOutcome {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let opts = RunOptions {
        period: period.map(str::to_string),
        output: Some(out.to_path_buf()),
        lock_wait: std::time::Duration::from_secs(60),
        ..Default::default()
    };
    run(&p, &opts).unwrap()
}

/// A sheet as rows of cells from A1 (the sheets written here all start at A1).
fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let r = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name} in {}: {e}", path.display()));
    assert_eq!(r.start(), Some((0, 0)), "{name} starts at A1");
    r.rows().map(|row| row.to_vec()).collect()
}

fn cell(rows: &[Vec<Data>], r: u32, c: u32) -> Data {
    rows.get(r as usize)
        .and_then(|row| row.get(c as usize))
        .cloned()
        .unwrap_or(Data::Empty)
}

/// The `Göstergeler` sheet: header (row 4) → column, indicator id → row.
struct Indicators {
    rows: Vec<Vec<Data>>,
    cols: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
}

impl Indicators {
    fn read(path: &Path, cat: &Catalogue) -> Indicators {
        let rows = sheet(path, "Göstergeler");
        let cols = rows[3].iter().enumerate().map(|(c, h)| (h.to_string(), c)).collect();
        let by_id = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| cat.indicator(&row[0].to_string()).is_some())
            .map(|(r, row)| (row[0].to_string(), r))
            .collect();
        Indicators { rows, cols, by_id }
    }

    fn get(&self, id: &str, col: &str) -> Data {
        let c = *self.cols.get(col).unwrap_or_else(|| panic!("column {col}"));
        let r = *self.by_id.get(id).unwrap_or_else(|| panic!("row {id}"));
        self.rows[r].get(c).cloned().unwrap_or(Data::Empty)
    }
}

/// A city-wide row on a period workbook's theme sheet: total, women's share, target, status.
type PeriodRow = (Option<f64>, Option<f64>, Option<f64>, String);

/// Indicator id → its city-wide row on the theme sheets of a period workbook.
fn period_values(path: &Path, cat: &Catalogue) -> HashMap<String, PeriodRow> {
    let mut out = HashMap::new();
    for t in &cat.themes {
        for row in sheet(path, &t.short_name) {
            if cat.indicator(&row[0].to_string()).is_some() {
                let f = |c: usize| row.get(c).and_then(|d| d.as_f64());
                let status = row.get(12).map(|d| d.to_string()).unwrap_or_default();
                out.insert(row[0].to_string(), (f(5), f(6), f(10), status));
            }
        }
    }
    out
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

/// Every indicator's totals and women's shares per period equal the period workbooks'
/// (the internal edition against the internal ones, the public against the public).
fn check_against_periods(cat: &Catalogue, plan_file: &str, period_file: impl Fn(&str) -> String) -> Indicators {
    let dir = shipped();
    let plan = Indicators::read(&crate::common::plan_file(dir, plan_file), cat);
    assert_eq!(plan.by_id.len(), cat.indicators.len(), "one row per plan indicator");
    assert!(!plan.cols.contains_key("Toplam 2024"), "2024 has no inputs");
    for period in ["2022", "2023"] {
        let values = period_values(&crate::common::period_file(dir, period, &period_file(period)), cat);
        assert_eq!(values.len(), cat.indicators.len());
        for i in &cat.indicators {
            let (total, share, _, _) = &values[&i.id];
            let plan_total = plan.get(&i.id, &format!("Toplam {period}")).as_f64();
            assert!(
                same(plan_total, *total),
                "{} {period}: {plan_total:?} ≠ {total:?}",
                i.id
            );
            let plan_share = plan.get(&i.id, &format!("Kadın payı {period}")).as_f64();
            if i.by_sex {
                assert!(same(plan_share, *share), "{} {period} share", i.id);
            } else {
                assert_eq!(plan_share, None, "{}: not by sex, no share", i.id);
            }
        }
    }
    plan
}

#[test]
fn the_plan_workbook_matches_the_period_workbooks() {
    let cat = catalogue();
    let dir = shipped();
    let plan = check_against_periods(&cat, &format!("izleme-{PLAN}.xlsx"), |p| format!("izleme-{p}.xlsx"));
    let names = open_workbook_auto(crate::common::plan_file(dir, format!("izleme-{PLAN}.xlsx")))
        .unwrap()
        .sheet_names();
    assert_eq!(
        names,
        [
            "Göstergeler",
            "Temalar",
            "Faaliyetler",
            "Plan sonu değerlendirmesi",
            "Metrikler"
        ]
    );
    // By sex: Kiraz's and the other districts' gender-equality trainings.
    let v22 = period_values(&dir.join("2022/izleme-2022.xlsx"), &cat);
    let v23 = period_values(&dir.join("2023/izleme-2023.xlsx"), &cat);
    let id = "egitim-1.2.3-b";
    let (t22, s22, _, _) = v22[id].clone();
    let (t23, s23, _, _) = v23[id].clone();
    assert!(t22.unwrap() > 0.0 && s23.unwrap() > 0.0);
    assert_eq!(plan.get(id, "Toplam 2022").as_f64(), t22);
    assert_eq!(plan.get(id, "Kadın payı 2022").as_f64(), s22);
    assert_eq!(plan.get(id, "Toplam 2023").as_f64(), t23);
    assert_eq!(plan.get(id, "Kadın payı 2023").as_f64(), s23);
    assert_eq!(plan.get(id, "İlk izleme dönemi").to_string(), "2022");
    assert_eq!(plan.get(id, "İlk izleme değeri").as_f64(), t22);
    assert_eq!(plan.get(id, "Son raporlanan dönem").to_string(), "2023");
    // The change over the plan period is the metrics' like-for-like change (issue 12):
    // the period workbook's "change since the first monitored period" of 2023.
    let theme = &cat.theme(&cat.indicator(id).unwrap().theme).unwrap().short_name;
    let change23 = sheet(&dir.join("2023/izleme-2023.xlsx"), theme)
        .into_iter()
        .find(|row| row[0] == id)
        .and_then(|row| row.get(9).and_then(|d| d.as_f64()));
    assert!(change23.is_some());
    assert_eq!(plan.get(id, "Plan dönemindeki değişim").as_f64(), change23);
    // With a target: egitim-1.2.4-c, four materials a year.
    let id = "egitim-1.2.4-c";
    let (_, _, target23, status23) = v23[id].clone();
    assert_eq!(target23, Some(4.0));
    assert_eq!(plan.get(id, "Hedef").as_f64(), Some(4.0));
    assert_eq!(plan.get(id, "Hedef dönemi").to_string(), "2024");
    assert_eq!(plan.get(id, "Toplam 2023").as_f64(), v23[id].0);
    assert_eq!(plan.get(id, "Durum").to_string(), status23, "the last period's status");
    // The metrics table holds the rows of both periods' tables.
    let metrics = sheet(
        &crate::common::plan_file(dir, format!("izleme-{PLAN}.xlsx")),
        "Metrikler",
    );
    let n22 = sheet(&dir.join("2022/izleme-2022.xlsx"), "Metrikler").len() - 1;
    let n23 = sheet(&dir.join("2023/izleme-2023.xlsx"), "Metrikler").len() - 1;
    assert_eq!(metrics.len() - 1, n22 + n23);
    let headers: Vec<String> = metrics[0].iter().map(|h| h.to_string()).collect();
    let expected: Vec<&str> = yeep::metrics::COLUMNS
        .iter()
        .filter(|c| c.in_workbook)
        .map(|c| c.name)
        .collect();
    assert_eq!(headers, expected);
}

#[test]
fn the_public_edition_matches_the_public_period_editions() {
    let cat = catalogue();
    let dir = shipped();
    check_against_periods(&cat, &format!("izleme-{PLAN}-kamu.xlsx"), |p| {
        format!("izleme-{p}-kamu.xlsx")
    });
    // Karaburun's 3 women counselled (siddet-1.1.3-b, 2023) are hidden in the public
    // edition's metrics table as in the period's, and kept in the internal one.
    let karaburun = |name: &str| -> Vec<Data> {
        sheet(&crate::common::plan_file(dir, name), "Metrikler")
            .into_iter()
            .find(|r| r[0] == "2023" && r[1] == "siddet-1.1.3-b" && r[3] == "Karaburun")
            .expect("Karaburun row")
    };
    assert_eq!(karaburun(&format!("izleme-{PLAN}.xlsx"))[5].as_f64(), Some(3.0));
    let public = karaburun(&format!("izleme-{PLAN}-kamu.xlsx"));
    assert_eq!(public[5], Data::Empty);
    assert_eq!(public[7], Data::Empty, "total hidden too");
    let headers = &sheet(
        &crate::common::plan_file(dir, format!("izleme-{PLAN}-kamu.xlsx")),
        "Metrikler",
    )[0];
    let at = |name: &str| headers.iter().position(|h| *h == name).unwrap();
    assert_eq!(public[at("suppressed")].to_string(), "true", "suppressed");
    assert_eq!(public[at("women_mark")].to_string(), "suppressed");
    // The public edition has no validation content.
    let names = open_workbook_auto(crate::common::plan_file(dir, format!("izleme-{PLAN}-kamu.xlsx")))
        .unwrap()
        .sheet_names();
    assert!(!names.iter().any(|n| n == "Doğrulama"), "{names:?}");
}

#[test]
fn a_single_period_run_still_writes_every_period_with_inputs() {
    let cat = catalogue();
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_shipped(dir.path(), Some("2023"));
    assert_eq!(outcome.periods.len(), 1);
    let plan = Indicators::read(&dir.path().join(PLAN).join(format!("izleme-{PLAN}.xlsx")), &cat);
    assert!(plan.cols.contains_key("Toplam 2022") && plan.cols.contains_key("Toplam 2023"));
    let text = yeep::pipeline::summary::render(&cat, &outcome, 3, Lang::Tr);
    assert!(text.contains(&format!("izleme-{PLAN}-kamu.xlsx")), "{text}");
}

/// Both editions open in LibreOffice without repair (skipped where it is not installed,
/// as `e2e::libreoffice_opens_the_workbook`).
#[test]
fn libreoffice_opens_the_plan_workbook() {
    let Some(soffice) = crate::common::tool(&["soffice", "libreoffice"]) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for name in [format!("izleme-{PLAN}.xlsx"), format!("izleme-{PLAN}-kamu.xlsx")] {
        crate::common::convert_to_pdf(&soffice, &crate::common::plan_file(shipped(), name), tmp.path());
    }
}

/// The text of `name` in the xlsx at `path`.
fn zip_text(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every `<tag>…</tag>` text in `xml`.
fn between(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open)
        .skip(1)
        .map(|s| s.split(&close).next().unwrap().to_string())
        .collect()
}

/// `Sheet!$A$1:$B$2` or `'A sheet'!A1` → (sheet, first cell, last cell).
fn range(f: &str) -> (String, CellRef, CellRef) {
    let (sheet, refs) = f.rsplit_once('!').unwrap();
    let refs = refs.replace('$', "");
    let (a, b) = refs.split_once(':').unwrap_or((&refs, &refs));
    (
        sheet.trim_matches('\'').to_string(),
        CellRef::parse(a).unwrap(),
        CellRef::parse(b).unwrap(),
    )
}

/// The sheet names of a workbook, in order (`xl/worksheets/sheet<k+1>.xml` is the k-th).
fn sheet_files(path: &Path) -> Vec<String> {
    zip_text(path, "xl/workbook.xml")
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn sparklines_and_charts_point_at_their_values() {
    let cat = catalogue();
    let path = shipped().join(format!("izleme-{PLAN}.xlsx"));
    let names = sheet_files(&path);
    let k = names.iter().position(|n| n == "Göstergeler").unwrap();
    let xml = zip_text(&path, &format!("xl/worksheets/sheet{}.xml", k + 1));
    let groups: Vec<&str> = xml.split("<x14:sparklineGroup ").skip(1).collect();
    assert_eq!(groups.len(), cat.indicators.len(), "one sparkline per indicator");
    let rows = sheet(&path, "Göstergeler");
    let header: Vec<String> = rows[3].iter().map(|h| h.to_string()).collect();
    let total_cols: Vec<u32> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("Toplam "))
        .map(|(c, _)| c as u32)
        .collect();
    assert_eq!(total_cols.len(), 2);
    let mut seen = Vec::new();
    for g in groups {
        let (f, at) = (&between(g, "xm:f")[0], &between(g, "xm:sqref")[0]);
        let (sheet_name, first, last) = range(f);
        let at = CellRef::parse(at).unwrap();
        assert_eq!(sheet_name, "Göstergeler");
        assert_eq!((first.row, last.row), (at.row, at.row), "{f} on the sparkline's row");
        assert_eq!((first.col, last.col), (total_cols[0], total_cols[1]), "{f}: the totals");
        assert_eq!(header[at.col as usize], "Eğilim");
        let id = cell(&rows, at.row, 0).to_string();
        assert!(cat.indicator(&id).is_some(), "{f}: row of {id}");
        seen.push(id);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), cat.indicators.len());

    // Charts: one women's-share chart per theme, one target-progress chart per theme with
    // targets (Eğitim); each series' categories are the periods, its values the column
    // under its name, on the rows of the periods.
    let themes = sheet(&path, "Temalar");
    let mut charts = 0;
    let mut kinds = HashMap::new();
    for n in 1.. {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let Ok(mut f) = zip.by_name(&format!("xl/charts/chart{n}.xml")) else {
            break;
        };
        let mut xml = String::new();
        f.read_to_string(&mut xml).unwrap();
        charts += 1;
        let refs = between(&xml, "c:f");
        assert_eq!(refs.len() % 3, 0, "name, categories, values per series: {refs:?}");
        for s in refs.chunks(3) {
            let (name, cats, vals) = (range(&s[0]), range(&s[1]), range(&s[2]));
            for (sheet_name, ..) in [&name, &cats, &vals] {
                assert_eq!(sheet_name, "Temalar");
            }
            assert_eq!((cats.1.col, cats.2.col), (0, 0));
            assert_eq!((vals.1.row, vals.2.row), (cats.1.row, cats.2.row));
            assert_eq!(vals.1.col, vals.2.col);
            assert_eq!(
                name.1,
                CellRef::new(vals.1.row - 1, vals.1.col),
                "the name heads its column"
            );
            let periods: Vec<String> = (cats.1.row..=cats.2.row)
                .map(|r| cell(&themes, r, 0).to_string())
                .collect();
            assert_eq!(periods, ["2022", "2023"]);
            let series = cell(&themes, name.1.row, name.1.col).to_string();
            for r in vals.1.row..=vals.2.row {
                let v = cell(&themes, r, vals.1.col).as_f64();
                if series == "Kadın payı" {
                    let (w, m) = (cell(&themes, r, 1).as_f64(), cell(&themes, r, 2).as_f64());
                    let share = w.zip(m).filter(|(w, m)| w + m > 0.0).map(|(w, m)| w / (w + m));
                    assert_eq!(v, share, "share on row {r}");
                } else {
                    let id = series.split(' ').next().unwrap();
                    let plan = Indicators::read(&path, &cat);
                    let total = plan.get(id, &format!("Toplam {}", cell(&themes, r, 0))).as_f64();
                    assert_eq!(v, total.map(|t| t / 4.0), "{id} progress on row {r}");
                }
            }
            *kinds.entry(series == "Kadın payı").or_insert(0) += 1;
        }
    }
    assert_eq!(charts, cat.themes.len() + 1);
    assert_eq!(kinds[&true], cat.themes.len());
    assert_eq!(kinds[&false], 1, "one indicator with a target");
}

fn ob(period: &str, ind: &str, district: &str, sex: Sex, value: f64) -> Observation {
    observation(PLAN, period, ind, "sosyal-projeler", district, sex, value)
}

/// One unit's values for 2022 and 2023, one indicator for each end-of-plan class.
fn hand_built() -> Inputs {
    use Sex::*;
    let mut inputs = Inputs::default();
    for period in ["2022", "2023"] {
        let early = period == "2022";
        let pick = |a: f64, b: f64| if early { a } else { b };
        let mut obs = vec![
            // Target met: 5 materials in 2023 against a target of 4.
            ob(period, "egitim-1.2.4-c", IZMIR_GENELI, Total, pick(2.0, 5.0)),
            // Improved: 150 → 200.
            ob(period, "egitim-1.2.3-b", "Konak", Female, pick(100.0, 150.0)),
            ob(period, "egitim-1.2.3-b", "Konak", Male, 50.0),
            // Stayed: 100 → 101.
            ob(period, "egitim-1.2.1-a", "Konak", Total, pick(100.0, 101.0)),
            // Worsened: 100 → 50.
            ob(period, "egitim-1.2.4-a", "Konak", Total, pick(100.0, 50.0)),
            // Worsened, 50 → 4, and suppressed in the public edition (violence, 3 women).
            ob(period, "siddet-1.1.3-b", "Konak", Female, pick(40.0, 3.0)),
            ob(period, "siddet-1.1.3-b", "Konak", Male, pick(10.0, 1.0)),
        ];
        if !early {
            // Reported once.
            obs.push(ob(period, "egitim-1.2.5-a", "Konak", Total, 7.0));
        }
        let file = accepted_file(period, "sosyal-projeler", obs.len() as u64);
        inputs.submissions.insert(
            period.to_string(),
            Collected {
                observations: obs,
                files: vec![file],
                ..Collected::default()
            },
        );
    }
    inputs
}

fn write_hand_built(dir: &Path, lang: Lang) -> PathBuf {
    let p = Pipeline::load(&shipped_pipeline()).unwrap();
    let cat = p.catalogue().unwrap();
    let opts = WriteOptions {
        layout: yeep::pipeline::output::Layout::new(dir, &dir.join("state"), PLAN),
        periods: vec!["2022".into(), "2023".into()],
        lang,
        pdf: None,
        build: yeep::BUILD_ID.to_string(),
    };
    let outcome = write_outputs(&p, &cat, &hand_built(), &opts).unwrap();
    assert_eq!(outcome.plan_workbooks.len(), 2);
    dir.join(PLAN)
}

/// The evaluation sheet: (class labels, per theme the counts and the indicator count,
/// indicator id → class label).
type Evaluation = (Vec<String>, Vec<(String, Vec<f64>, f64)>, HashMap<String, String>);

fn read_evaluation(path: &Path, sheet_name: &str, themes: usize) -> Evaluation {
    let rows = sheet(path, sheet_name);
    let top = 7;
    let header: Vec<String> = rows[top]
        .iter()
        .map(|h| h.to_string())
        .filter(|h| !h.is_empty())
        .collect();
    let classes = header[1..header.len() - 1].to_vec();
    let counts = (top + 1..=top + themes)
        .map(|r| {
            let row = &rows[r];
            let n: Vec<f64> = (1..=classes.len()).map(|c| row[c].as_f64().unwrap()).collect();
            (row[0].to_string(), n, row[classes.len() + 1].as_f64().unwrap())
        })
        .collect();
    let list_top = top + themes + 4;
    let list = rows[list_top + 1..]
        .iter()
        .map(|r| (r[2].to_string(), r[0].to_string()))
        .collect();
    (classes, counts, list)
}

#[test]
fn end_of_plan_counts_add_up_with_a_case_for_each_class() {
    let cat = catalogue();
    let dir = tempfile::tempdir().unwrap();
    let plan = write_hand_built(dir.path(), Lang::Tr);
    let per_theme = |t: &str| cat.indicators.iter().filter(|i| i.theme == t).count() as f64;
    for (file, public) in [
        (format!("izleme-{PLAN}.xlsx"), false),
        (format!("izleme-{PLAN}-kamu.xlsx"), true),
    ] {
        let (classes, counts, list) = read_evaluation(
            &crate::common::plan_file(&plan, &file),
            "Plan sonu değerlendirmesi",
            cat.themes.len(),
        );
        let mut expected = vec![
            "Hedefe ulaşıldı",
            "İyileşti",
            "Arttı",
            "Aynı kaldı",
            "Azaldı",
            "Kötüleşti",
            "Tek dönem raporlandı",
            "Hiç raporlanmadı",
            "Karşılaştırılamaz",
        ];
        if public {
            expected.push("Gizlendi (küçük sayı)");
        }
        assert_eq!(classes, expected, "{file}");
        for ((name, n, total), t) in counts.iter().zip(&cat.themes) {
            assert_eq!(name, &t.name);
            assert_eq!(*total, per_theme(&t.id), "{file} {name}");
            assert_eq!(n.iter().sum::<f64>(), *total, "{file} {name}: the classes add up");
        }
        assert_eq!(list.len(), cat.indicators.len());
        let class = |id: &str| list[id].as_str();
        assert_eq!(class("egitim-1.2.4-c"), "Hedefe ulaşıldı");
        // The plan's indicators are output counts without a desired direction: they
        // increase or decrease, never "improve" or "worsen" (issue 12).
        assert_eq!(class("egitim-1.2.3-b"), "Arttı");
        assert_eq!(class("egitim-1.2.1-a"), "Aynı kaldı");
        assert_eq!(class("egitim-1.2.4-a"), "Azaldı");
        assert_eq!(class("egitim-1.2.5-a"), "Tek dönem raporlandı");
        assert_eq!(class("egitim-1.1.1-a"), "Hiç raporlanmadı");
        assert_eq!(
            class("siddet-1.1.3-b"),
            if public { "Gizlendi (küçük sayı)" } else { "Azaldı" }
        );
        // Eğitim: target met, increased, stayed, decreased, reported once, the rest never
        // reported; none improved or worsened (no indicator has a direction).
        let egitim = &counts[0].1;
        assert_eq!(
            &egitim[..8],
            &[1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, per_theme("egitim") - 5.0]
        );
        // The indicator sheet says the same, and the public edition hides the small count.
        let ind = Indicators::read(&crate::common::plan_file(&plan, &file), &cat);
        assert_eq!(
            ind.get("siddet-1.1.3-b", "Plan sonu değerlendirmesi").to_string(),
            class("siddet-1.1.3-b")
        );
        let hidden = ind.get("siddet-1.1.3-b", "Toplam 2023");
        assert_eq!(hidden.as_f64(), if public { None } else { Some(4.0) });
        assert_eq!(
            ind.get("siddet-1.1.3-b", "Plan dönemindeki değişim").as_f64(),
            if public { None } else { Some(-46.0) }
        );
    }
    // In English, the same with English names.
    let en = tempfile::tempdir().unwrap();
    let plan_en = write_hand_built(en.path(), Lang::En);
    let names = open_workbook_auto(plan_en.join(format!("izleme-{PLAN}.xlsx")))
        .unwrap()
        .sheet_names();
    assert_eq!(
        names,
        [
            "Indicators",
            "Themes",
            "Activities",
            "End-of-plan evaluation",
            "Metrics"
        ]
    );
    let (classes, _, list) = read_evaluation(
        &plan_en.join(format!("izleme-{PLAN}.xlsx")),
        "End-of-plan evaluation",
        cat.themes.len(),
    );
    assert_eq!(classes[0], "Target met");
    assert_eq!(list["egitim-1.2.1-a"], "Stayed");
}

#[test]
fn two_runs_give_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (pa, pb) = (
        write_hand_built(a.path(), Lang::Tr),
        write_hand_built(b.path(), Lang::Tr),
    );
    for f in [format!("izleme-{PLAN}.xlsx"), format!("izleme-{PLAN}-kamu.xlsx")] {
        let (x, y) = (
            std::fs::read(crate::common::plan_file(&pa, &f)).unwrap(),
            std::fs::read(crate::common::plan_file(&pb, &f)).unwrap(),
        );
        assert!(x == y, "{f} differs between two runs");
    }
    // A run over the same folder rewrites them in place, with no temporary file left.
    write_hand_built(a.path(), Lang::Tr);
    let stray: Vec<String> = std::fs::read_dir(&pa)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| yeep::sinks::atomic::is_temp_name(n))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    assert_eq!(
        std::fs::read(crate::common::plan_file(&pa, format!("izleme-{PLAN}.xlsx"))).unwrap(),
        std::fs::read(crate::common::plan_file(&pb, format!("izleme-{PLAN}.xlsx"))).unwrap()
    );
}

/// A re-run leaves an up-to-date plan workbook alone (the same up-to-date records as the
/// period folders) and writes it again when a file was touched.
#[test]
fn a_rerun_leaves_an_up_to_date_plan_workbook_alone() {
    use std::os::unix::fs::MetadataExt;
    let out = tempfile::tempdir().unwrap();
    run_shipped(out.path(), None);
    let dir = out.path().join(PLAN);
    let path = crate::common::plan_file(&dir, format!("izleme-{PLAN}.xlsx"));
    let first = std::fs::read(&path).unwrap();
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let before = inode(&path);
    run_shipped(out.path(), None);
    // An atomic rewrite renames a new file over the old one: a new inode.
    assert_eq!(inode(&path), before, "rewritten although up to date");
    std::fs::write(&path, b"touched by hand").unwrap();
    run_shipped(out.path(), None);
    assert_eq!(std::fs::read(&path).unwrap(), first, "a touched file is written again");
}
