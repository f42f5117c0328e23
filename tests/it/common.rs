//! Shared helpers for the integration tests.

use std::path::PathBuf;

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The city-wide name of the shipped İzmir plan and of [`MiniPlan`] (their
/// `districts.toml`, `[city_wide]`).
pub const IZMIR_GENELI: &str = "İzmir Geneli";

/// The shipped pipeline file.
pub fn shipped_pipeline() -> PathBuf {
    root().join("pipelines/izmir-2022-2024.toml")
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The shared folder: `$YEEP_SHARED_DIR`, else `../shared` beside the repository.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("YEEP_SHARED_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => root().join("../shared"),
    }
}

/// Whether a missing resource fails the test instead of skipping it: on CI (`CI` set to
/// anything but empty, `false` or `0`; `.ci/run` sets it) or with `YEEP_REQUIRE_SHARED=1`.
pub fn required() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "false" | "0"));
    ci || std::env::var("YEEP_REQUIRE_SHARED").is_ok_and(|v| v.trim() == "1")
}

/// `what` (a file, a folder or a tool) is not there: panics naming it where it is
/// [`required`]; elsewhere says "skipped: <what> not found" on stderr, and the caller returns.
pub fn require_or_skip(what: &str) {
    assert!(
        !required(),
        "{what} not found, and this test needs it (CI or YEEP_REQUIRE_SHARED=1 is set, so it \
         fails instead of skipping; YEEP_SHARED_DIR names the shared folder, .ci/run installs \
         the tools)"
    );
    eprintln!("skipped: {what} not found");
}

/// `data/<rel>` in the [`shared_dir`] (`""`: the data folder itself), when it exists;
/// otherwise [`require_or_skip`] and `None`.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let data = shared_dir().join("data");
    let p = if rel.is_empty() { data } else { data.join(rel) };
    if p.exists() {
        return Some(p);
    }
    require_or_skip(&p.display().to_string());
    None
}

/// The first of `names` found as a file on `PATH`; otherwise [`require_or_skip`] and `None`.
pub fn tool(names: &[&str]) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH").unwrap_or_default();
    let found = names
        .iter()
        .find_map(|n| std::env::split_paths(&paths).map(|d| d.join(n)).find(|p| p.is_file()));
    if found.is_none() {
        require_or_skip(&format!("{} (on PATH)", names.join(" or ")));
    }
    found
}

/// A small, valid catalogue in a temporary folder: one theme, two units, two districts.
/// Returns the folder and the pipeline path; tests overwrite files to break it.
pub struct MiniPlan {
    pub dir: tempfile::TempDir,
}

pub const MINI_UNITS: &str = r#"
[[unit]]
id = "sosyal-projeler"
name = "Sosyal Projeler Dairesi Başkanlığı"
name_en = "Department of Social Projects"
kind = "daire_baskanligi"
aliases = ["İZBB Sosyal Projeler Dairesi Başkanlığı"]

[[unit]]
id = "ilce-belediyeleri"
name = "İlçe Belediyeleri"
name_en = "District municipalities"
kind = "group"
members = "ilce_belediyesi"
aliases = ["İlçe Belediyeler"]

[[unit]]
id = "ilce-konak"
name = "Konak Belediyesi"
name_en = "Konak District Municipality"
kind = "ilce_belediyesi"
district = "Konak"

[[unit]]
id = "ilce-karsiyaka"
name = "Karşıyaka Belediyesi"
name_en = "Karşıyaka District Municipality"
kind = "ilce_belediyesi"
district = "Karşıyaka"

[[unit]]
id = "stk"
name = "STK ve Meslek Odaları"
name_en = "NGOs and professional chambers"
kind = "group"
reports = false
"#;

pub const MINI_DISTRICTS: &str = r#"
[city_wide]
name = "İzmir Geneli"
aliases = ["İzmir", "Tüm İlçeler"]

[[district]]
name = "Konak"

[[district]]
name = "Karşıyaka"
"#;

pub const MINI_THEME: &str = r#"
[theme]
id = "egitim"
order = 1
name = "Eğitim"
name_en = "Education"

[[goal]]
code = "1."
text = "Kadınların desteklenmesi"
text_en = "Supporting women"

[[sub_goal]]
goal = "1."
code = "1.1"
text = "Eğitime erişim"
text_en = "Access to education"

[[activity]]
id = "egitim-1.1.1"
sub_goal = "1.1"
code = "1.1.1."
text = "Kurslar"
text_en = "Courses"
term = "uzun"
responsible = ["Sosyal Projeler Dairesi Başkanlığı"]
collaborating = ["İlçe Belediyeler", "STK ve Meslek Odaları"]
indicators_printed = "Kurs sayısı / Katılımcı sayısı"

[[indicator]]
id = "egitim-1.1.1-a"
activity = "egitim-1.1.1"
text = "Kurs sayısı"
text_en = "Courses"
kind = "count_things"
by_sex = false
by_district = true
unit = "adet"

[[indicator]]
id = "egitim-1.1.1-b"
activity = "egitim-1.1.1"
text = "Katılımcı sayısı"
text_en = "Participants"
kind = "count_people"
by_sex = true
by_district = true
unit = "kişi"
targets = { "2024" = 100 }
"#;

pub const MINI_PIPELINE: &str = r#"
[plan]
id = "mini"
name = "Mini plan"
name_en = "Mini plan"
catalogue_version = "test"
periods = ["2023", "2024"]
baseline_year = "2022"

[catalogue]
dir = "cat"
files = ["units.toml", "districts.toml", "theme.toml"]

[folders]
input = "input"
output = "output"
"#;

impl MiniPlan {
    pub fn new() -> MiniPlan {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("cat")).unwrap();
        let m = MiniPlan { dir };
        m.write("pipeline.toml", MINI_PIPELINE);
        m.write("cat/units.toml", MINI_UNITS);
        m.write("cat/districts.toml", MINI_DISTRICTS);
        m.write("cat/theme.toml", MINI_THEME);
        m
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.dir.path().join(rel), text).unwrap();
    }

    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn pipeline(&self) -> PathBuf {
        self.dir.path().join("pipeline.toml")
    }
}

/// An accepted value that `unit` wrote into its `period` workbook (sheet `Veri`, cell
/// `D5`), for the tests that build inputs by hand; the theme is the id's first part.
pub fn observation(
    plan: &str,
    period: &str,
    ind: &str,
    unit: &str,
    district: &str,
    sex: yeep::normalise::Sex,
    value: f64,
) -> yeep::model::Observation {
    yeep::model::Observation {
        plan_id: plan.into(),
        period: period.into(),
        indicator_id: ind.into(),
        theme: ind.split('-').next().unwrap_or_default().into(),
        unit_id: unit.into(),
        district: district.into(),
        sex,
        age_group: None,
        disability: None,
        value,
        source_file: format!("submissions/{period}/{unit}.xlsx"),
        source_sheet: "Veri".into(),
        source_cell: "D5".into(),
    }
}

/// The account of `unit`'s accepted `period` workbook with `values` values, all accepted.
pub fn accepted_file(period: &str, unit: &str, values: u64) -> yeep::model::FileAccount {
    yeep::model::FileAccount {
        file: format!("submissions/{period}/{unit}.xlsx"),
        bytes: 100,
        sha256: "0".repeat(64),
        source: yeep::model::SourceKind::Submission,
        unit_id: unit.to_string(),
        period: period.into(),
        submitted: yeep::model::Date::parse(&format!("{period}-12-31")),
        received: None,
        status: yeep::model::FileStatus::Accepted,
        values_read: values,
        values_accepted: values,
        values_rejected: 0,
    }
}

/// Converts `file` to PDF in `outdir` with LibreOffice (`soffice`, from [`tool`]) and
/// asserts it worked: the workbook opens without repair.
pub fn convert_to_pdf(soffice: &std::path::Path, file: &std::path::Path, outdir: &std::path::Path) {
    let status = std::process::Command::new(soffice)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .arg(file)
        .env("HOME", outdir)
        .status()
        .unwrap();
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    assert!(status.success(), "{name}");
    let pdf = outdir.join(name.replace(".xlsx", ".pdf"));
    assert!(
        std::fs::metadata(&pdf).map(|m| m.len() > 1000).unwrap_or(false),
        "{name} converted"
    );
}

/// Where a run puts `name` of `period` under the plan folder `plan_dir`: public files (the
/// public edition, its PDF, the feed) in `kamu/<period>/`, internal ones in `<period>/`.
pub fn period_file(plan_dir: &std::path::Path, period: &str, name: &str) -> PathBuf {
    if name.contains("-kamu.") || name.starts_with("feed/") {
        plan_dir.join("kamu").join(period).join(name)
    } else {
        plan_dir.join(period).join(name)
    }
}

/// Where a run puts the plan-period workbook `name` under the plan folder `plan_dir`: the
/// public edition in `kamu/`, the internal one beside the period folders.
pub fn plan_file(plan_dir: &std::path::Path, name: impl AsRef<std::path::Path>) -> PathBuf {
    let name = name.as_ref();
    if name.to_string_lossy().contains("-kamu.") {
        plan_dir.join("kamu").join(name)
    } else {
        plan_dir.join(name)
    }
}
