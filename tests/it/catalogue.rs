//! Catalogue loading, load-time checks and exports (issue 2).

use yeep::catalogue::{CatalogueError, MeasureKind};
use yeep::pipeline::Pipeline;

use crate::common::{shipped_pipeline, MiniPlan, MINI_DISTRICTS, MINI_THEME, MINI_UNITS};

fn problems(m: &MiniPlan) -> Vec<yeep::catalogue::CatalogueProblem> {
    let p = Pipeline::load(&m.pipeline()).expect("pipeline file loads");
    match p.catalogue() {
        Ok(_) => panic!("expected the catalogue to be rejected"),
        Err(CatalogueError::Problems(v)) => v,
        Err(e) => panic!("unexpected error {e}"),
    }
}

/// The line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("needle present")].matches('\n').count() + 1
}

#[test]
fn mini_catalogue_loads_and_resolves_reporting_units() {
    let m = MiniPlan::new();
    let cat = Pipeline::load(&m.pipeline()).unwrap().catalogue().unwrap();
    assert_eq!(cat.activities.len(), 1);
    assert_eq!(cat.indicators.len(), 2);
    let a = cat.activity("egitim-1.1.1").unwrap();
    assert_eq!(a.responsible, vec!["sosyal-projeler"]);
    assert_eq!(a.collaborating, vec!["ilce-belediyeleri", "stk"]);
    // The group "İlçe Belediyeler" expands to the district municipalities; the NGO group
    // does not report.
    let i = cat.indicator("egitim-1.1.1-b").unwrap();
    assert_eq!(i.reporting_units, vec!["ilce-konak", "ilce-karsiyaka"]);
    assert_eq!(i.targets.get("2024"), Some(&100.0));
    assert_eq!(i.theme, "egitim");
    // Names resolve with Turkish folding.
    assert_eq!(
        cat.find_unit("IZBB SOSYAL PROJELER DAIRESI BASKANLIGI").unwrap().id,
        "sosyal-projeler"
    );
}

#[test]
fn check_duplicate_indicator_id() {
    let m = MiniPlan::new();
    let theme = MINI_THEME.replace("id = \"egitim-1.1.1-b\"", "id = \"egitim-1.1.1-a\"");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    let dup = p
        .iter()
        .find(|p| p.message.contains("duplicate indicator id"))
        .expect("duplicate reported");
    assert!(dup.file.ends_with("cat/theme.toml"));
    assert_eq!(dup.entry, "indicator egitim-1.1.1-a");
    assert!(dup.line.is_some());
}

#[test]
fn check_activity_without_indicator() {
    let m = MiniPlan::new();
    let theme = MINI_THEME.replace("activity = \"egitim-1.1.1\"", "activity = \"egitim-9.9.9\"");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    let no_ind = p.iter().find(|p| p.message == "has no indicator").expect("reported");
    assert_eq!(no_ind.entry, "activity egitim-1.1.1");
    assert_eq!(no_ind.line, Some(line_of(&theme, "id = \"egitim-1.1.1\"")));
    assert!(p
        .iter()
        .any(|p| p.message.contains("unknown activity \"egitim-9.9.9\"")));
}

#[test]
fn check_unknown_unit() {
    let m = MiniPlan::new();
    let theme = MINI_THEME.replace("\"STK ve Meslek Odaları\"", "\"Olmayan Daire Başkanlığı\"");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].message.contains("unknown unit \"Olmayan Daire Başkanlığı\""));
    assert_eq!(p[0].entry, "activity egitim-1.1.1");
    assert_eq!(p[0].line, Some(line_of(&theme, "id = \"egitim-1.1.1\"")));
}

#[test]
fn check_unknown_district() {
    let m = MiniPlan::new();
    m.write(
        "cat/units.toml",
        &MINI_UNITS.replace("district = \"Konak\"", "district = \"Kadıköy\""),
    );
    let p = problems(&m);
    assert!(
        p.iter()
            .any(|p| p.entry == "unit ilce-konak" && p.message.contains("unknown district \"Kadıköy\"")),
        "{p:?}"
    );
}

#[test]
fn check_target_to_unknown_indicator_and_period() {
    let m = MiniPlan::new();
    let theme = format!("{MINI_THEME}\n[[target]]\nindicator = \"egitim-0.0.0-z\"\nperiod = \"2024\"\nvalue = 5\n");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    let t = p
        .iter()
        .find(|p| p.message.contains("unknown indicator \"egitim-0.0.0-z\""))
        .expect("reported");
    assert_eq!(t.line, Some(line_of(&theme, "indicator = \"egitim-0.0.0-z\"")));

    let m = MiniPlan::new();
    m.write(
        "cat/theme.toml",
        &MINI_THEME.replace("targets = { \"2024\" = 100 }", "targets = { \"2031\" = 100 }"),
    );
    let p = problems(&m);
    assert!(
        p.iter().any(|p| p.message.contains("\"2031\", which is not a period")),
        "{p:?}"
    );
}

#[test]
fn check_syntax_error_and_unknown_field_name_the_line() {
    let m = MiniPlan::new();
    let theme = MINI_THEME.replace("unit = \"adet\"", "unit = \"adet");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].line, Some(line_of(&theme, "unit = \"adet")));

    let m = MiniPlan::new();
    let theme = MINI_THEME.replace("by_sex = false", "by_sex = false\nby_gender = true");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    assert!(p[0].message.contains("by_gender"), "{p:?}");
    assert!(p[0].line.is_some());
}

#[test]
fn check_people_counts_must_be_by_sex() {
    let m = MiniPlan::new();
    m.write("cat/theme.toml", &MINI_THEME.replace("by_sex = true", "by_sex = false"));
    let p = problems(&m);
    assert!(p
        .iter()
        .any(|p| p.entry == "indicator egitim-1.1.1-b" && p.message.contains("not by sex")));
}

#[test]
fn every_problem_is_reported_at_once() {
    let m = MiniPlan::new();
    let theme = MINI_THEME
        .replace("\"STK ve Meslek Odaları\"", "\"Olmayan Birim\"")
        .replace("id = \"egitim-1.1.1-b\"", "id = \"egitim-1.1.1-a\"");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    assert!(p.len() >= 2, "{p:?}");
}

#[test]
fn pipeline_file_unknown_field_is_rejected_with_line() {
    let m = MiniPlan::new();
    m.write(
        "pipeline.toml",
        &crate::common::MINI_PIPELINE.replace("[folders]", "[folders]\ninptu = \"x\""),
    );
    let e = Pipeline::load(&m.pipeline()).unwrap_err().to_string();
    assert!(e.contains("inptu"), "{e}");
    assert!(e.contains("pipeline.toml:"), "{e}");
}

// ---- the shipped İzmir catalogue -------------------------------------------------------

fn shipped() -> yeep::catalogue::Catalogue {
    Pipeline::load(&shipped_pipeline())
        .unwrap()
        .catalogue()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn shipped_catalogue_counts_per_theme() {
    let cat = shipped();
    let ids: Vec<&str> = cat.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["egitim", "saglik", "istihdam", "siddet", "kentsel", "katilim"]);
    // Activities per theme, checked by hand against the seed's six tables (see
    // docs/catalogue-format.md, "Counts").
    let count = |theme: &str| cat.activities.iter().filter(|a| a.theme == theme).count();
    let counts: Vec<usize> = ids.iter().map(|t| count(t)).collect();
    assert_eq!(
        counts,
        crate::catalogue::EXPECTED_ACTIVITIES.to_vec(),
        "activities per theme"
    );
    for t in &ids {
        assert!(cat.indicators.iter().any(|i| &i.theme == t), "{t} has indicators");
    }
    assert_eq!(cat.districts.len(), 30);
    assert!(
        cat.indicators.iter().any(|i| i.sensitive),
        "violence indicators are sensitive"
    );
    assert!(cat
        .indicators
        .iter()
        .all(|i| i.kind != MeasureKind::CountPeople || i.by_sex));
    assert!(!cat.context.is_empty());
}

/// Activities per theme in the printed plan (Eğitim, Sağlık, İstihdam, Şiddet, Kentsel,
/// Katılım), counted by hand from the seed.
pub const EXPECTED_ACTIVITIES: [usize; 6] = [12, 8, 16, 8, 12, 6];

#[test]
fn shipped_catalogue_keeps_printed_codes_and_anomalies() {
    let cat = shipped();
    // The plan prints the first Eğitim activity with a trailing dot.
    assert_eq!(cat.activity("egitim-1.1.1").unwrap().code, "1.1.1.");
    // Every activity id is unique, printed codes may repeat (Katılım prints 1.2.1 twice).
    let katilim_121: Vec<_> = cat
        .activities
        .iter()
        .filter(|a| a.theme == "katilim" && a.code == "1.2.1")
        .collect();
    assert_eq!(katilim_121.len(), 2);
}

#[test]
fn csv_export_has_contract_columns_and_one_row_per_indicator() {
    let cat = shipped();
    let mut buf = Vec::new();
    yeep::sinks::catalogue::write_csv(&cat, &mut buf).unwrap();
    let mut rdr = csv::Reader::from_reader(buf.as_slice());
    let headers = rdr.headers().unwrap().clone();
    for col in [
        "theme",
        "general_goal_code",
        "sub_goal_code",
        "activity_code",
        "activity_text",
        "term",
        "responsible",
        "indicator_id",
        "indicator_text",
        "by_sex",
        "sensitive",
    ] {
        assert!(headers.iter().any(|h| h == col), "missing column {col}");
    }
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cat.indicators.len());
    let ix = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let first = &rows[0];
    assert_eq!(&first[ix("theme")], "egitim");
    assert_eq!(&first[ix("activity_code")], "1.1.1.");
    assert_eq!(&first[ix("responsible")], "Sosyal Projeler Dairesi Başkanlığı");
}

#[test]
fn json_export_round_trips() {
    let cat = shipped();
    let mut buf = Vec::new();
    yeep::sinks::catalogue::write_json(&cat, &mut buf).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(v["indicators"].as_array().unwrap().len(), cat.indicators.len());
    assert_eq!(v["activities"].as_array().unwrap().len(), cat.activities.len());
    assert_eq!(v["plan"]["id"], "izmir-2022-2024");
}

#[test]
fn xlsx_export_reads_back() {
    use calamine::{open_workbook, Reader, Xlsx};
    let cat = shipped();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("katalog.xlsx");
    yeep::sinks::catalogue::write_xlsx(&cat, yeep::model::lang::Lang::Tr, &path).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Göstergeler",
            "Faaliyetler",
            "Bağlam Göstergeleri",
            "Birimler",
            "İlçeler"
        ]
    );
    let r = wb.worksheet_range("Göstergeler").unwrap();
    assert_eq!(r.height(), cat.indicators.len() + 1);
    assert_eq!(r.get_value((0, 0)).unwrap().to_string(), "theme");
    let r = wb.worksheet_range("İlçeler").unwrap();
    assert_eq!(r.height(), 31);
    // Same catalogue, same bytes.
    let path2 = dir.path().join("katalog2.xlsx");
    yeep::sinks::catalogue::write_xlsx(&cat, yeep::model::lang::Lang::Tr, &path2).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&path2).unwrap());
}

#[test]
fn cli_catalogue_csv_and_table() {
    let out = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .current_dir(crate::common::root())
        .args(["catalogue", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("theme,"));
    let out = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .current_dir(crate::common::root())
        .args(["catalogue", "--format", "table", "--lang", "en"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Combating Violence against Women"), "{text}");
    // A usage error exits with 2.
    let out = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .args(["catalogue", "--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A missing pipeline file is a configuration error: exit 2, naming the file.
    let out = assert_cmd::Command::cargo_bin("yeep")
        .unwrap()
        .args(["catalogue", "/nonexistent/p.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/p.toml"));
}

#[test]
fn check_sheet_name_length() {
    let m = MiniPlan::new();
    m.write(
        "cat/theme.toml",
        &MINI_THEME.replace(
            "name_en = \"Education\"",
            "name_en = \"Education, training and lifelong learning for all\"",
        ),
    );
    let p = problems(&m);
    assert!(
        p.iter()
            .any(|p| p.entry == "theme egitim" && p.message.contains("31 characters")),
        "{p:?}"
    );
}

#[test]
fn check_alias_shared_by_two_units() {
    let m = MiniPlan::new();
    m.write(
        "cat/units.toml",
        &MINI_UNITS.replace(
            "aliases = [\"İlçe Belediyeler\"]",
            "aliases = [\"İlçe Belediyeler\", \"Sosyal Projeler Dairesi Başkanlığı\"]",
        ),
    );
    let p = problems(&m);
    assert!(p.iter().any(|p| p.message.contains("also used by unit")), "{p:?}");
}

#[test]
fn check_unknown_parent_goal_and_theme() {
    let m = MiniPlan::new();
    m.write(
        "cat/units.toml",
        &MINI_UNITS.replace("district = \"Konak\"", "district = \"Konak\"\nparent = \"olmayan\""),
    );
    let p = problems(&m);
    assert!(
        p.iter()
            .any(|p| p.entry == "unit ilce-konak" && p.message.contains("unknown parent unit \"olmayan\"")),
        "{p:?}"
    );

    let m = MiniPlan::new();
    m.write("cat/theme.toml", &MINI_THEME.replace("goal = \"1.\"", "goal = \"9.\""));
    let p = problems(&m);
    assert!(p.iter().any(|p| p.message.contains("unknown goal \"9.\"")), "{p:?}");

    let m = MiniPlan::new();
    let context = "[[context]]\nid = \"ctx-x\"\ntheme = \"yok\"\ntext = \"x\"\ntext_en = \"x\"\nkind = \"rate\"\nunit = \"%\"\nby_sex = true\nsource = \"TÜİK\"\nsource_kind = \"tuik\"\nbaseline_year = \"2020\"\n";
    m.write("cat/context.toml", context);
    m.write(
        "pipeline.toml",
        &crate::common::MINI_PIPELINE.replace("\"theme.toml\"]", "\"theme.toml\", \"context.toml\"]"),
    );
    let p = problems(&m);
    assert!(
        p.iter()
            .any(|p| p.entry == "context ctx-x" && p.message.contains("unknown theme \"yok\"")),
        "{p:?}"
    );
}

#[test]
fn city_wide_area_comes_from_the_catalogue() {
    let cat = shipped();
    assert_eq!(cat.city_wide(), "İzmir Geneli");
    assert_eq!(cat.districts_index().city_wide(), "İzmir Geneli");
    // The spellings the code used to list, and TÜİK's labels for the province.
    let idx = cat.districts_index();
    for typed in [
        "İZMİR GENELİ",
        "izmir",
        "genel",
        "tum ilceler",
        "Tümü",
        "il geneli",
        "izmir total",
        "All districts",
        "city wide",
        "Citywide",
        "TR31",
        "TR310",
    ] {
        assert_eq!(idx.find(typed), Some("İzmir Geneli"), "{typed}");
    }
    assert_eq!(idx.find("Karşıyaka"), Some("Karşıyaka"));
    // The JSON export carries it.
    let mut buf = Vec::new();
    yeep::sinks::catalogue::write_json(&cat, &mut buf).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(v["city_wide"]["name"], "İzmir Geneli");
    assert!(v["city_wide"]["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "TR310"));
}

#[test]
fn check_city_wide_area_missing_or_empty() {
    let m = MiniPlan::new();
    let districts = MINI_DISTRICTS.replace(
        "[city_wide]\nname = \"İzmir Geneli\"\naliases = [\"İzmir\", \"Tüm İlçeler\"]\n",
        "",
    );
    assert_ne!(districts, MINI_DISTRICTS);
    m.write("cat/districts.toml", &districts);
    let p = problems(&m);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].entry, "city_wide");
    assert!(p[0].message.contains("the city-wide area has no name"), "{p:?}");
    assert!(p[0].file.ends_with("cat/districts.toml"), "{p:?}");
    assert_eq!(p[0].line, None);

    let m = MiniPlan::new();
    let districts = MINI_DISTRICTS.replace("name = \"İzmir Geneli\"", "name = \" \"");
    m.write("cat/districts.toml", &districts);
    let p = problems(&m);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].message.contains("no name"), "{p:?}");
    assert_eq!(p[0].line, Some(line_of(&districts, "name = \" \"")));

    // A [city_wide] table without a name, or with an unknown key: TOML errors with the line.
    let m = MiniPlan::new();
    let districts = MINI_DISTRICTS.replace("name = \"İzmir Geneli\"\n", "");
    m.write("cat/districts.toml", &districts);
    let p = problems(&m);
    assert!(p.iter().any(|p| p.message.contains("missing field `name`")), "{p:?}");
    let m = MiniPlan::new();
    let districts = MINI_DISTRICTS.replace("name = \"İzmir Geneli\"", "name = \"İzmir Geneli\"\nkod = \"TR310\"");
    m.write("cat/districts.toml", &districts);
    let p = problems(&m);
    assert!(p[0].message.contains("kod"), "{p:?}");
    assert_eq!(p[0].line, Some(line_of(&districts, "kod = ")));
}

#[test]
fn check_city_wide_alias_clashes_with_a_district_and_second_table() {
    let m = MiniPlan::new();
    let districts = MINI_DISTRICTS
        .replace("\"Tüm İlçeler\"]", "\"Tüm İlçeler\", \"KONAK\", \"!\"]")
        .replace(
            "name = \"Karşıyaka\"",
            "name = \"Karşıyaka\"\naliases = [\"Tüm ilçeler\"]",
        );
    assert_ne!(districts, MINI_DISTRICTS);
    m.write("cat/districts.toml", &districts);
    let p = problems(&m);
    let line = Some(line_of(&districts, "name = \"İzmir Geneli\""));
    for (alias, district) in [("KONAK", "Konak"), ("Tüm İlçeler", "Karşıyaka")] {
        assert!(
            p.iter().any(|p| p.entry == "city_wide"
                && p.line == line
                && p.message
                    == format!("name or alias \"{alias}\" is also the name or an alias of district {district}")),
            "{alias}: {p:?}"
        );
    }
    assert!(p.iter().any(|p| p.message.contains("alias \"!\" is empty")), "{p:?}");
    assert_eq!(p.len(), 3, "{p:?}");

    // One city-wide area per plan.
    let m = MiniPlan::new();
    let theme = format!("{MINI_THEME}\n[city_wide]\nname = \"Kent Geneli\"\n");
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].file.ends_with("cat/theme.toml"));
    assert_eq!(p[0].line, Some(line_of(&theme, "name = \"Kent Geneli\"")));
    assert!(p[0].message.contains("a second [city_wide] table"), "{p:?}");
    assert!(p[0].message.contains("districts.toml:3"), "{p:?}");
}

/// Issue 12: `balance = true` needs a count by sex (a share of two rates or of a total
/// means nothing).
#[test]
fn issue_12_balance_needs_a_count_by_sex() {
    let m = MiniPlan::new();
    // egitim-1.1.1-a is a count of things; make it a rate and mark it balance.
    let theme = MINI_THEME.replacen("kind = \"count_things\"", "kind = \"rate\"\nbalance = true", 1);
    assert_ne!(theme, MINI_THEME);
    m.write("cat/theme.toml", &theme);
    let p = problems(&m);
    assert!(
        p.iter()
            .any(|p| p.entry == "indicator egitim-1.1.1-a" && p.message.contains("balance = true")),
        "{p:#?}"
    );
}
