//! Metrics computed by polars, checked against numbers computed by hand (issue 5).

use polars::prelude::*;
use yeep::metrics::{compute, public, MetricsConfig};
use yeep::normalise::Sex;
use yeep::pipeline::Pipeline;
use yeep::{metrics::frame::to_dataframe, model::Observation};

use crate::common::{observation, MiniPlan, IZMIR_GENELI, MINI_THEME};

/// The mini plan with more indicators: a sensitive count by district, a rate and a count
/// with two targets.
fn plan() -> yeep::catalogue::Catalogue {
    let m = MiniPlan::new();
    let theme = format!(
        "{MINI_THEME}
[[indicator]]
id = \"egitim-1.1.1-s\"
activity = \"egitim-1.1.1\"
text = \"Danışmanlık alan kadın\"
text_en = \"Women counselled\"
kind = \"count_people\"
by_sex = true
by_district = true
unit = \"kişi\"
sensitive = true

[[indicator]]
id = \"egitim-1.1.1-r\"
activity = \"egitim-1.1.1\"
text = \"Oran\"
text_en = \"Rate\"
kind = \"rate\"
by_sex = true
by_district = true
unit = \"%\"

[[indicator]]
id = \"egitim-1.1.1-t\"
activity = \"egitim-1.1.1\"
text = \"İki hedefli sayı\"
text_en = \"Count with two targets\"
kind = \"count_people\"
by_sex = true
by_district = true
unit = \"kişi\"
targets = {{ \"2023\" = 10, \"2024\" = 50 }}

[[indicator]]
id = \"egitim-1.1.1-d\"
activity = \"egitim-1.1.1\"
text = \"Okuma yazma bilmeyenlerin oranı\"
text_en = \"Illiteracy rate\"
kind = \"rate\"
by_sex = true
by_district = true
unit = \"%\"
direction = \"decrease\"

[[indicator]]
id = \"egitim-1.1.1-n\"
activity = \"egitim-1.1.1\"
text = \"Yönü olmayan oran\"
text_en = \"Rate without a direction\"
kind = \"rate\"
by_sex = true
by_district = true
unit = \"%\"

[[indicator]]
id = \"egitim-1.1.1-g\"
activity = \"egitim-1.1.1\"
text = \"Hedefi 8 olan sayı\"
text_en = \"Count with a target of 8\"
kind = \"count_people\"
by_sex = true
by_district = true
unit = \"kişi\"
targets = {{ \"2024\" = 8 }}

[[indicator]]
id = \"egitim-1.1.1-p\"
activity = \"egitim-1.1.1\"
text = \"Meclis üyesi\"
text_en = \"Council members\"
kind = \"count_people\"
by_sex = true
by_district = true
unit = \"kişi\"
balance = true
"
    );
    m.write("cat/theme.toml", &theme);
    let mut units = crate::common::MINI_UNITS.to_string();
    for (id, d) in [("ilce-buca", "Buca"), ("ilce-bornova", "Bornova")] {
        units.push_str(&format!("\n[[unit]]\nid = \"{id}\"\nname = \"{d} Belediyesi\"\nname_en = \"{d}\"\nkind = \"ilce_belediyesi\"\ndistrict = \"{d}\"\n"));
    }
    m.write("cat/units.toml", &units);
    m.write(
        "cat/districts.toml",
        &format!(
            "{}\n[[district]]\nname = \"Buca\"\n\n[[district]]\nname = \"Bornova\"\n",
            crate::common::MINI_DISTRICTS
        ),
    );
    Pipeline::load(&m.pipeline()).unwrap().catalogue().unwrap()
}

fn ob(period: &str, ind: &str, unit: &str, district: &str, sex: Sex, value: f64) -> Observation {
    Observation {
        theme: "egitim".into(),
        ..observation("mini", period, ind, unit, district, sex, value)
    }
}

fn row(df: &DataFrame, period: &str, ind: &str, district: &str) -> usize {
    let p = df.column("period").unwrap().str().unwrap();
    let i = df.column("indicator_id").unwrap().str().unwrap();
    let d = df.column("district").unwrap().str().unwrap();
    (0..df.height())
        .find(|&r| p.get(r) == Some(period) && i.get(r) == Some(ind) && d.get(r) == Some(district))
        .unwrap_or_else(|| panic!("no row {period} {ind} {district}"))
}

fn f(df: &DataFrame, col: &str, r: usize) -> Option<f64> {
    df.column(col).unwrap().f64().unwrap().get(r)
}

fn observations() -> Vec<Observation> {
    use Sex::*;
    let p = "egitim-1.1.1-b";
    vec![
        // 2023: Konak reports by district; Karşıyaka reports its district and its own city-wide
        // total (its İzmir Geneli row wins for its city-wide contribution).
        ob("2023", p, "ilce-konak", "Konak", Female, 30.0),
        ob("2023", p, "ilce-konak", "Konak", Male, 10.0),
        ob("2024", p, "ilce-konak", "Konak", Female, 45.0),
        ob("2024", p, "ilce-konak", "Konak", Male, 15.0),
        ob("2024", p, "ilce-karsiyaka", "Karşıyaka", Female, 5.0),
        ob("2024", p, "ilce-karsiyaka", "Karşıyaka", Male, 5.0),
        ob("2024", p, "ilce-karsiyaka", IZMIR_GENELI, Female, 100.0),
        ob("2024", p, "ilce-karsiyaka", IZMIR_GENELI, Male, 50.0),
        ob("2024", p, "ilce-karsiyaka", IZMIR_GENELI, Total, 150.0),
        // Sensitive: Konak 3 (primary), Bornova 12 (secondary), Buca 20 (published).
        ob("2024", "egitim-1.1.1-s", "ilce-konak", "Konak", Female, 3.0),
        ob("2024", "egitim-1.1.1-s", "ilce-bornova", "Bornova", Female, 12.0),
        ob("2024", "egitim-1.1.1-s", "ilce-buca", "Buca", Female, 20.0),
        // A rate reported by two units for the same district is not aggregated.
        ob("2024", "egitim-1.1.1-r", "ilce-konak", "Konak", Female, 40.0),
        ob("2024", "egitim-1.1.1-r", "ilce-karsiyaka", "Konak", Female, 60.0),
        ob("2024", "egitim-1.1.1-r", "ilce-buca", "Buca", Female, 30.0),
        ob("2024", "egitim-1.1.1-r", "ilce-buca", "Buca", Male, 20.0),
    ]
}

fn metrics() -> DataFrame {
    metrics_of(&observations())
}

fn metrics_of(obs: &[Observation]) -> DataFrame {
    let cat = plan();
    let df = to_dataframe(obs).unwrap();
    compute(
        &cat,
        &df,
        &MetricsConfig {
            plan_id: "mini".into(),
            baseline_year: "2022".into(),
            disclosure: yeep::metrics::disclosure::Rules::default(),
            min_coverage: yeep::metrics::DEFAULT_MIN_COVERAGE,
        },
    )
    .unwrap()
}

#[test]
fn counts_share_parity_change_and_target() {
    let m = metrics();
    let p = "egitim-1.1.1-b";
    // City-wide 2024: Konak 45/15 + Karşıyaka's own İzmir Geneli 100/50 (not its district row).
    let r = row(&m, "2024", p, IZMIR_GENELI);
    assert_eq!(f(&m, "women", r), Some(145.0));
    assert_eq!(f(&m, "men", r), Some(65.0));
    // Konak has no total: women + men = 60; Karşıyaka's total 150 → 210.
    assert_eq!(f(&m, "total", r), Some(210.0));
    assert!((f(&m, "female_share", r).unwrap() - 145.0 / 210.0).abs() < 1e-12);
    assert!((f(&m, "parity_index", r).unwrap() - 145.0 / 65.0).abs() < 1e-12);
    assert_eq!(f(&m, "gap", r), Some(80.0));
    // 2023 city-wide: Konak alone, 40; baseline (first period ≥ 2022 with data) is 2023.
    // Like for like (issue 12): the change is over the units in both periods — Konak,
    // 40 → 60 — not 210 − 40 (Karşıyaka did not report in 2023).
    assert_eq!(f(&m, "change_from_previous", r), Some(20.0));
    assert_eq!(f(&m, "change_from_baseline", r), Some(20.0));
    assert_eq!(f(&m, "units_reporting", r), Some(2.0));
    assert_eq!(f(&m, "baseline_units", r), Some(1.0));
    assert_eq!(f(&m, "common_units", r), Some(1.0));
    assert_eq!(f(&m, "previous_units", r), Some(1.0));
    assert_eq!(f(&m, "previous_common_units", r), Some(1.0));
    assert_eq!(f(&m, "baseline_total", r), Some(40.0));
    assert_eq!(m.column("baseline_period").unwrap().str().unwrap().get(r), Some("2023"));
    // Target 100 for 2024: reached.
    assert_eq!(f(&m, "target", r), Some(100.0));
    assert_eq!(
        m.column("status").unwrap().str().unwrap().get(r),
        Some("target_achieved")
    );
    // 210 of 100: 2.1 times the target.
    assert!((f(&m, "target_progress", r).unwrap() - 2.1).abs() < 1e-12);
    // District rows: Konak 2024 45/15.
    let k = row(&m, "2024", p, "Konak");
    assert_eq!(f(&m, "total", k), Some(60.0));
    assert_eq!(f(&m, "female_share", k), Some(0.75));
    assert_eq!(f(&m, "parity_index", k), Some(3.0));
    assert_eq!(f(&m, "change_from_previous", k), Some(20.0));
    // Targets apply to the city-wide row only.
    assert_eq!(f(&m, "target", k), None);
}

#[test]
fn rates_are_never_summed() {
    let m = metrics();
    let r = "egitim-1.1.1-r";
    // Two units gave Konak a rate: no value rather than 100 %.
    assert_eq!(f(&m, "women", row(&m, "2024", r, "Konak")), None);
    // One unit gave Buca a rate: kept.
    let b = row(&m, "2024", r, "Buca");
    assert_eq!(f(&m, "women", b), Some(30.0));
    assert_eq!(f(&m, "gap", b), Some(10.0));
    // No unit wrote an İzmir Geneli rate and rates are not aggregated: empty city-wide.
    let cw = row(&m, "2024", r, IZMIR_GENELI);
    assert_eq!(f(&m, "women", cw), None);
}

#[test]
fn primary_and_secondary_suppression() {
    let m = metrics();
    let s = "egitim-1.1.1-s";
    let sup = |d: &str| {
        m.column("suppressed")
            .unwrap()
            .bool()
            .unwrap()
            .get(row(&m, "2024", s, d))
            .unwrap()
    };
    assert!(sup("Konak"), "3 < 5: primary");
    assert!(
        sup("Bornova"),
        "the next smallest: secondary, so Konak cannot be recovered from the city total"
    );
    assert!(!sup("Buca"));
    assert!(!sup(IZMIR_GENELI));
    // Non-sensitive indicators are never suppressed, however small.
    assert!(!m
        .column("suppressed")
        .unwrap()
        .bool()
        .unwrap()
        .get(row(&m, "2024", "egitim-1.1.1-b", "Karşıyaka"))
        .unwrap());
    // The public copy hides the values of suppressed rows and keeps the others.
    let p = public(&m).unwrap();
    assert_eq!(f(&p, "women", row(&p, "2024", s, "Konak")), None);
    assert_eq!(f(&p, "women", row(&p, "2024", s, "Bornova")), None);
    assert_eq!(f(&p, "women", row(&p, "2024", s, "Buca")), Some(20.0));
    assert_eq!(f(&p, "women", row(&p, "2024", s, IZMIR_GENELI)), Some(35.0));
    assert_eq!(p.height(), m.height());
}

#[test]
fn sorted_with_city_wide_first() {
    let m = metrics();
    let d = m.column("district").unwrap().str().unwrap();
    let i = m.column("indicator_id").unwrap().str().unwrap();
    let first = (0..m.height())
        .find(|&r| {
            i.get(r) == Some("egitim-1.1.1-b") && m.column("period").unwrap().str().unwrap().get(r) == Some("2024")
        })
        .unwrap();
    assert_eq!(d.get(first), Some(IZMIR_GENELI));
    for c in yeep::metrics::column_names() {
        assert!(m.column(c).is_ok(), "{c}");
    }
}

fn status_of(m: &DataFrame, period: &str, ind: &str, district: &str) -> String {
    let r = row(m, period, ind, district);
    m.column("status").unwrap().str().unwrap().get(r).unwrap().to_string()
}

fn text(m: &DataFrame, col: &str, r: usize) -> Option<String> {
    m.column(col).unwrap().str().unwrap().get(r).map(str::to_string)
}

/// Issue 12 (wrong number 3): a rate's total is never women + men — labour-force
/// participation 10.6 % (women) and 35.1 % (men) with TÜİK's `..` for the total stays
/// without a total, and without a women's "share" of two rates.
#[test]
fn issue_12_a_rate_without_a_total_never_gets_women_plus_men() {
    use Sex::*;
    let r = "egitim-1.1.1-n";
    let m = metrics_of(&[
        ob("2024", r, "ilce-buca", "Buca", Female, 10.6),
        ob("2024", r, "ilce-buca", "Buca", Male, 35.1),
        ob("2024", r, "ilce-buca", IZMIR_GENELI, Female, 10.6),
        ob("2024", r, "ilce-buca", IZMIR_GENELI, Male, 35.1),
    ]);
    for d in ["Buca", IZMIR_GENELI] {
        let b = row(&m, "2024", r, d);
        assert_eq!(f(&m, "total", b), None, "{d}");
        assert_eq!(f(&m, "female_share", b), None, "{d}: no share of two rates");
        // The women/men ratio and the gap in points are what a rate has.
        assert!((f(&m, "parity_index", b).unwrap() - 10.6 / 35.1).abs() < 1e-12);
        assert!((f(&m, "gap", b).unwrap() - (10.6 - 35.1)).abs() < 1e-12);
        assert_eq!(text(&m, "sex_split", b).as_deref(), Some("complete"));
    }
}

/// Issue 12 (wrong number 4): a row whose units did not all give both sexes says so, and
/// its share, parity and gap are over the units that did. Hand-computed: Konak 60 + 40,
/// Buca a total of 50 only, Bornova 30 women (its men rejected, so no total): women 90, men
/// 40, total 150 (100 + 50); share over Konak alone 60 / 100.
#[test]
fn issue_12_a_partial_row_says_so_and_its_share_is_over_complete_rows() {
    use Sex::*;
    let p = "egitim-1.1.1-b";
    let m = metrics_of(&[
        ob("2024", p, "ilce-konak", "Konak", Female, 60.0),
        ob("2024", p, "ilce-konak", "Konak", Male, 40.0),
        ob("2024", p, "ilce-buca", "Buca", Total, 50.0),
        ob("2024", p, "ilce-bornova", "Bornova", Female, 30.0),
    ]);
    let r = row(&m, "2024", p, IZMIR_GENELI);
    assert_eq!(f(&m, "women", r), Some(90.0));
    assert_eq!(f(&m, "men", r), Some(40.0));
    assert_eq!(f(&m, "total", r), Some(150.0));
    assert_eq!(text(&m, "sex_split", r).as_deref(), Some("partial"));
    assert_eq!(f(&m, "female_share", r), Some(0.6));
    assert_eq!(f(&m, "parity_index", r), Some(1.5));
    assert_eq!(f(&m, "gap", r), Some(20.0));
    // The districts: Konak complete, Buca and Bornova without a split.
    let k = row(&m, "2024", p, "Konak");
    assert_eq!(text(&m, "sex_split", k).as_deref(), Some("complete"));
    for d in ["Buca", "Bornova"] {
        let b = row(&m, "2024", p, d);
        assert_eq!(text(&m, "sex_split", b).as_deref(), Some("none"), "{d}");
        assert_eq!(f(&m, "female_share", b), None, "{d}");
    }
    // Bornova's women are still counted; its total is unknown, not invented.
    let b = row(&m, "2024", p, "Bornova");
    assert_eq!(f(&m, "women", b), Some(30.0));
    assert_eq!(f(&m, "total", b), None);
}

/// Issue 12 (wrong number 1): `direction = "decrease"` drives the status — illiteracy
/// 1.24 → 1.21 is progress; the same fall of a rate without a direction is a neutral
/// "decrease".
#[test]
fn issue_12_a_decrease_is_progress_when_the_direction_is_decrease() {
    use Sex::*;
    let m = metrics_of(&[
        ob("2022", "egitim-1.1.1-d", "ilce-buca", "Buca", Total, 1.24),
        ob("2023", "egitim-1.1.1-d", "ilce-buca", "Buca", Total, 1.21),
        ob("2022", "egitim-1.1.1-n", "ilce-buca", "Buca", Total, 1.24),
        ob("2023", "egitim-1.1.1-n", "ilce-buca", "Buca", Total, 1.21),
    ]);
    assert_eq!(status_of(&m, "2023", "egitim-1.1.1-d", "Buca"), "substantial_progress");
    assert_eq!(status_of(&m, "2023", "egitim-1.1.1-n", "Buca"), "decrease");
}

/// Issue 12 (wrong number 2): with a target the ratio keeps sdg-build's sign — 5 → 3
/// against a target of 8 is deterioration, never progress.
#[test]
fn issue_12_a_fall_away_from_the_target_is_deterioration() {
    use Sex::*;
    let g = "egitim-1.1.1-g";
    let m = metrics_of(&[
        ob("2022", g, "ilce-buca", IZMIR_GENELI, Total, 5.0),
        ob("2023", g, "ilce-buca", IZMIR_GENELI, Total, 3.0),
    ]);
    assert_eq!(status_of(&m, "2023", g, IZMIR_GENELI), "deterioration");
}

/// Issue 12 (point 8): an output count without a target or a direction gets neutral
/// words, and ±1 on a count of 12 is no change.
#[test]
fn issue_12_output_counts_get_neutral_words_and_one_more_is_no_change() {
    use Sex::*;
    let p = "egitim-1.1.1-b";
    let m = metrics_of(&[
        ob("2022", p, "ilce-konak", "Konak", Total, 12.0),
        ob("2023", p, "ilce-konak", "Konak", Total, 11.0),
        ob("2022", p, "ilce-buca", "Buca", Total, 120.0),
        ob("2023", p, "ilce-buca", "Buca", Total, 80.0),
        ob("2022", p, "ilce-bornova", "Bornova", Total, 80.0),
        ob("2023", p, "ilce-bornova", "Bornova", Total, 120.0),
    ]);
    assert_eq!(status_of(&m, "2023", p, "Konak"), "no_change");
    assert_eq!(status_of(&m, "2023", p, "Buca"), "decrease");
    assert_eq!(status_of(&m, "2023", p, "Bornova"), "increase");
    let statuses: Vec<String> = m
        .column("status")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    assert!(!statuses.iter().any(|s| s == "deterioration"), "{statuses:?}");
}

/// Issue 12 (point 6): changes compare the units that reported in both periods, with the
/// coverage published; below `min_coverage` the status is "not comparable". Hand-computed:
/// 2022 Konak 1,000 + Buca 500 + Bornova 300 = 1,800; 2023 Konak 1,200 + Buca 600 = 1,800.
/// The totals did not move, but the same two units rose from 1,500 to 1,800.
#[test]
fn issue_12_changes_compare_the_same_units_and_low_coverage_is_not_comparable() {
    use Sex::*;
    let p = "egitim-1.1.1-a"; // a count without a target
    let m = metrics_of(&[
        ob("2022", p, "ilce-konak", "Konak", Total, 1000.0),
        ob("2022", p, "ilce-buca", "Buca", Total, 500.0),
        ob("2022", p, "ilce-bornova", "Bornova", Total, 300.0),
        ob("2023", p, "ilce-konak", "Konak", Total, 1200.0),
        ob("2023", p, "ilce-buca", "Buca", Total, 600.0),
        // Karşıyaka: another unit reports Karşıyaka in each year.
        ob("2022", p, "ilce-konak", "Karşıyaka", Total, 40.0),
        ob("2023", p, "ilce-buca", "Karşıyaka", Total, 90.0),
    ]);
    let r = row(&m, "2023", p, IZMIR_GENELI);
    assert_eq!(f(&m, "total", r), Some(1890.0));
    assert_eq!(f(&m, "baseline_total", r), Some(1840.0));
    // Konak and Buca are in both years (the Karşıyaka rows are part of their
    // contributions): Konak 1,040 + Buca 500 = 1,540 → Konak 1,200 + Buca 690 = 1,890.
    assert_eq!(f(&m, "common_units", r), Some(2.0));
    assert_eq!(f(&m, "baseline_units", r), Some(3.0));
    assert_eq!(f(&m, "change_from_baseline", r), Some(350.0));
    assert_eq!(status_of(&m, "2023", p, IZMIR_GENELI), "increase");
    // Karşıyaka: a different unit each year — no unit in both: no change, not comparable.
    let k = row(&m, "2023", p, "Karşıyaka");
    assert_eq!(f(&m, "common_units", k), Some(0.0));
    assert_eq!(f(&m, "change_from_baseline", k), None);
    assert_eq!(f(&m, "change_from_previous", k), None);
    assert_eq!(status_of(&m, "2023", p, "Karşıyaka"), "not_comparable");
    // Konak: the same unit; 1,000 → 1,200.
    assert_eq!(f(&m, "change_from_baseline", row(&m, "2023", p, "Konak")), Some(200.0));
}

/// Issue 12 (wrong number 5): a unit that sends its all-ages row and two age-group rows of
/// the same people is counted once — the totals are the all-ages rows'.
#[test]
fn issue_12_breakdown_rows_are_never_added_to_the_total() {
    use Sex::*;
    let p = "egitim-1.1.1-a";
    let aged = |age: &str, v: f64| Observation {
        age_group: Some(age.into()),
        ..ob("2024", p, "ilce-konak", "Konak", Total, v)
    };
    let m = metrics_of(&[
        ob("2024", p, "ilce-konak", "Konak", Total, 50.0),
        aged("15-24", 20.0),
        aged("25-44", 30.0),
    ]);
    assert_eq!(f(&m, "total", row(&m, "2024", p, "Konak")), Some(50.0));
    assert_eq!(f(&m, "total", row(&m, "2024", p, IZMIR_GENELI)), Some(50.0));
}

/// Issue 12 (point 5): a second status on the women's share toward balanced
/// participation (each sex at least 40 %) for indicators marked `balance = true`.
/// Hand-computed shares: Konak 20 % → 30 % (toward), Buca 30 % → 20 % (away), Bornova
/// 30 % → 31 % (no change), Karşıyaka 45 % (balanced).
#[test]
fn issue_12_the_womens_share_gets_a_status_toward_balance() {
    use Sex::*;
    let p = "egitim-1.1.1-p";
    let two = |period: &str, unit: &str, d: &str, w: f64, m: f64| {
        [ob(period, p, unit, d, Female, w), ob(period, p, unit, d, Male, m)]
    };
    let mut obs = Vec::new();
    for x in [
        two("2022", "ilce-konak", "Konak", 20.0, 80.0),
        two("2023", "ilce-konak", "Konak", 30.0, 70.0),
        two("2022", "ilce-buca", "Buca", 30.0, 70.0),
        two("2023", "ilce-buca", "Buca", 20.0, 80.0),
        two("2022", "ilce-bornova", "Bornova", 30.0, 70.0),
        two("2023", "ilce-bornova", "Bornova", 31.0, 69.0),
        two("2023", "ilce-karsiyaka", "Karşıyaka", 45.0, 55.0),
    ] {
        obs.extend(x);
    }
    // A count without `balance`: no balance status.
    obs.push(ob("2023", "egitim-1.1.1-a", "ilce-konak", "Konak", Female, 1.0));
    obs.push(ob("2023", "egitim-1.1.1-a", "ilce-konak", "Konak", Male, 9.0));
    let m = metrics_of(&obs);
    let b = |d: &str, ind: &str| text(&m, "balance_status", row(&m, "2023", ind, d));
    assert_eq!(b("Konak", p).as_deref(), Some("toward_balance"));
    assert_eq!(b("Buca", p).as_deref(), Some("away_from_balance"));
    assert_eq!(b("Bornova", p).as_deref(), Some("no_change"));
    assert_eq!(b("Karşıyaka", p).as_deref(), Some("balanced"));
    assert_eq!(b("Konak", "egitim-1.1.1-a"), None);
    // The first period has nothing to compare with, unless it is balanced.
    assert_eq!(text(&m, "balance_status", row(&m, "2022", p, "Konak")), None);
}

/// The period logic (previous period, baseline, target, progress, status) recomputed from
/// the metrics' own rows with plain loops, on random histories with gaps and missing sexes.
mod period_logic {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use yeep::metrics::status;

    use super::*;

    const PERIODS: [&str; 5] = ["2021", "2022", "2023", "2024", "2025"];
    const UNITS: [(&str, &str); 4] = [
        ("ilce-konak", "Konak"),
        ("ilce-buca", "Buca"),
        ("ilce-bornova", "Bornova"),
        ("ilce-karsiyaka", IZMIR_GENELI),
    ];
    const INDICATORS: [&str; 2] = ["egitim-1.1.1-b", "egitim-1.1.1-t"];

    fn s(df: &DataFrame, c: &str, r: usize) -> Option<String> {
        df.column(c).unwrap().str().unwrap().get(r).map(str::to_string)
    }

    fn year(p: &str) -> i32 {
        p[..4].parse().unwrap()
    }

    /// One optional women / men count per indicator × unit × period.
    fn histories() -> impl Strategy<Value = Vec<(Option<u8>, Option<u8>)>> {
        prop::collection::vec(
            (
                prop::option::weighted(0.6, 0u8..40),
                prop::option::weighted(0.6, 0u8..40),
            ),
            INDICATORS.len() * UNITS.len() * PERIODS.len(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn matches_a_loop_over_each_cell(h in histories()) {
            let cat = plan();
            let mut obs = Vec::new();
            let mut k = 0;
            for ind in INDICATORS {
                for (unit, district) in UNITS {
                    for period in PERIODS {
                        let (w, m) = h[k];
                        k += 1;
                        if let Some(w) = w {
                            obs.push(ob(period, ind, unit, district, Sex::Female, f64::from(w)));
                        }
                        if let Some(m) = m {
                            obs.push(ob(period, ind, unit, district, Sex::Male, f64::from(m)));
                        }
                    }
                }
            }
            prop_assume!(!obs.is_empty());
            // Each unit's total in each row it makes up: its district's row, and the
            // city-wide row (Karşıyaka's own city-wide row; the others' district rows).
            let mut by_unit: BTreeMap<(String, String, String), BTreeMap<String, f64>> = BTreeMap::new();
            let mut k = 0;
            for ind in INDICATORS {
                for (unit, district) in UNITS {
                    for period in PERIODS {
                        if let (Some(w), Some(m)) = h[k] {
                            let t = f64::from(w) + f64::from(m);
                            for d in [district, IZMIR_GENELI] {
                                by_unit
                                    .entry((ind.to_string(), d.to_string(), period.to_string()))
                                    .or_default()
                                    .insert(unit.to_string(), t);
                            }
                        }
                        k += 1;
                    }
                }
            }
            // The like-for-like totals (now, then) over the units in both periods.
            let common = |ind: &str, d: &str, now: &str, then: &str| -> Option<(f64, f64)> {
                let key = |p: &str| (ind.to_string(), d.to_string(), p.to_string());
                let (a, b) = (by_unit.get(&key(now))?, by_unit.get(&key(then))?);
                let both: Vec<&String> = a.keys().filter(|u| b.contains_key(*u)).collect();
                (!both.is_empty()).then(|| {
                    (both.iter().map(|u| a[*u]).sum(), both.iter().map(|u| b[*u]).sum())
                })
            };
            let cfg = MetricsConfig { plan_id: "mini".into(), baseline_year: "2022".into(), disclosure: yeep::metrics::disclosure::Rules::default(), min_coverage: 0.0 };
            let m = compute(&cat, &to_dataframe(&obs).unwrap(), &cfg).unwrap();
            prop_assert!(m.height() > 0);
            // Each indicator × district's rows by period, with their totals.
            let mut cells: BTreeMap<(String, String), BTreeMap<String, Option<f64>>> = BTreeMap::new();
            for r in 0..m.height() {
                let previous = cells
                    .entry((s(&m, "indicator_id", r).unwrap(), s(&m, "district", r).unwrap()))
                    .or_default()
                    .insert(s(&m, "period", r).unwrap(), f(&m, "total", r));
                prop_assert!(previous.is_none(), "one row per indicator × district × period");
            }
            for r in 0..m.height() {
                let (ind, dist, per) = (
                    s(&m, "indicator_id", r).unwrap(),
                    s(&m, "district", r).unwrap(),
                    s(&m, "period", r).unwrap(),
                );
                let total = f(&m, "total", r);
                let cell = &cells[&(ind.clone(), dist.clone())];
                let prev = cell.range(..per.clone()).next_back();
                prop_assert_eq!(s(&m, "previous_period", r), prev.map(|(p, _)| p.clone()), "{} {} {}", ind, dist, per);
                prop_assert_eq!(
                    f(&m, "change_from_previous", r),
                    prev.and_then(|(p, _)| common(&ind, &dist, &per, p)).map(|(a, b)| a - b)
                );
                let base = cell
                    .range("2022".to_string()..)
                    .find_map(|(p, t)| t.map(|t| (p.clone(), t)));
                prop_assert_eq!(s(&m, "baseline_period", r), base.as_ref().map(|(p, _)| p.clone()));
                prop_assert_eq!(f(&m, "baseline_total", r), base.as_ref().map(|(_, t)| *t));
                let base_common = base.as_ref().and_then(|(p, _)| common(&ind, &dist, &per, p));
                prop_assert_eq!(
                    f(&m, "change_from_baseline", r),
                    base_common.map(|(a, b)| a - b)
                );
                let targets = &cat.indicators.iter().find(|i| i.id == ind).unwrap().targets;
                let target = if dist == IZMIR_GENELI {
                    targets.range(per.clone()..).next().map(|(p, v)| (p.clone(), *v))
                } else {
                    None
                };
                prop_assert_eq!(f(&m, "target", r), target.as_ref().map(|(_, v)| *v));
                prop_assert_eq!(s(&m, "target_period", r), target.as_ref().map(|(p, _)| p.clone()));
                prop_assert_eq!(
                    f(&m, "target_progress", r),
                    total.zip(target.as_ref()).filter(|(_, (_, v))| *v != 0.0).map(|(a, (_, v))| a / v)
                );
                // Like for like without a target, the whole totals with one.
                let (now_v, base_v) = match (&target, base_common, total, &base) {
                    (None, Some((a, b)), _, _) => (Some(a), Some(b)),
                    (_, _, t, b) => (t, b.as_ref().map(|(_, v)| *v)),
                };
                let status = match (total, &base) {
                    (Some(_), Some((bp, _))) => status::status(&status::ProgressInput {
                        base_year: year(bp),
                        base_value: base_v.unwrap(),
                        current_year: year(&per),
                        current_value: now_v.unwrap(),
                        target: target.as_ref().map(|(p, v)| (*v, year(p))),
                        direction: cat.indicators.iter().find(|i| i.id == ind).unwrap().direction,
                        is_count: cat.indicators.iter().find(|i| i.id == ind).unwrap().kind.is_count(),
                    }),
                    _ => status::Status::NoData,
                };
                prop_assert_eq!(s(&m, "status", r), Some(status.as_str().to_string()));
                prop_assert_eq!(s(&m, "plan_id", r), Some("mini".to_string()));
            }
        }
    }
}
