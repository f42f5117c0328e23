//! `yeep demo`: deterministic synthetic submissions, written by filling the real
//! templates ([`crate::sinks::template`]) as units would. Scale 1 is the shipped example
//! set in `input/submissions/` (every reporting unit, 2022 and 2023, with the plan's
//! anchored figures and a handful of realistic mistakes).
//!
//! Scale N (N ≥ 2) is for load tests and benchmarks: N full sets of submissions. Set 1
//! is the shipped set; sets 2 … N (in `submissions/<period>/set-<k>/`) are complete,
//! distinct sets — every reporting unit, every file, the same quirks, but values drawn
//! afresh for each set — dated in December of the period, before set 1's `Tarih`.
//! yeep reads and judges every file and treats sets 2 … N as earlier submissions of the
//! same unit × period (`superseded`), so `yeep run` on a scale-N folder still gives the
//! metrics of the shipped set while doing N times the reading. Scale N also writes the
//! TÜİK tables under `tuik/`: the shipped ones and the national ADNKS tables
//! (`tuik/ulusal/`, [`crate::demo::tuik_national`], about two million cells), which the
//! benchmark pipeline (`benches/pipeline-bench.toml`) maps.

pub mod ods;
pub mod tuik_inputs;
pub mod tuik_national;

use std::path::{Path, PathBuf};

use self::ods::{ods_bytes, OdsCell, OdsSheet};
use crate::catalogue::{Catalogue, Indicator, MeasureKind, Unit};
use crate::model::form::{Col, InfoField};
use crate::model::lang::Lang;
use crate::sinks::template::{self, Entry, Fill, Input, TemplateError, TemplateRow};

/// The periods the demo writes.
pub const DEMO_PERIODS: &[&str] = &["2022", "2023"];

/// Why the demo inputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// A small deterministic generator (SplitMix64), so the demo needs no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for a seed and a label (unit, period …).
    pub fn new(seed: u64, label: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in label.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
}

/// Writes the demo submissions under `out/submissions/<period>/`. Returns the files
/// written, sorted.
///
/// # Errors
///
/// [`DemoError`] when a template cannot be built or a file written.
///
/// # Examples
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use yeep::{demo, pipeline::Pipeline};
/// let cat = Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref())?.catalogue()?;
/// let files = demo::write_demo(&cat, "demo-input".as_ref(), 1, 0)?;
/// assert!(files.len() > 100);
/// # Ok(()) }
/// ```
pub fn write_demo(cat: &Catalogue, out: &Path, scale: u32, seed: u64) -> Result<Vec<PathBuf>, DemoError> {
    let mut written = Vec::new();
    for period in DEMO_PERIODS {
        let dir = out.join("submissions").join(period);
        for k in 1..=scale.max(1) {
            let set_dir = if k == 1 {
                dir.clone()
            } else {
                dir.join(format!("set-{k}"))
            };
            // Set 1 keeps the shipped seed (scale 1 reproduces `input/` byte for byte).
            let set_seed = if k == 1 {
                seed
            } else {
                seed ^ u64::from(k).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            };
            for unit in cat.reporting_units() {
                for (name, mut fill) in unit_files(cat, unit, period, set_seed) {
                    if k > 1 {
                        // December of the period: before set 1's Tarih (January–February after).
                        fill.date = Some(Input::Date(
                            period.parse::<u16>().unwrap_or(2023),
                            12,
                            (k % 28 + 1) as u8,
                        ));
                    }
                    let bytes = if name.ends_with(".ods") {
                        ods_bytes(&ods_sheets(cat, unit, period, &fill))
                    } else {
                        template::build(cat, &unit.id, period, Lang::Tr, Some(&fill))?.0
                    };
                    written.push(write(&set_dir.join(&name), &bytes)?);
                }
            }
        }
    }
    if scale >= 2 {
        written.extend(write_tuik(cat, &out.join("tuik"), seed)?);
    }
    written.sort();
    Ok(written)
}

/// The TÜİK tables of a load test: the shipped ones and the national ADNKS tables.
fn write_tuik(cat: &Catalogue, dir: &Path, seed: u64) -> Result<Vec<PathBuf>, DemoError> {
    let mut written = Vec::new();
    let shipped = crate::demo::tuik_inputs::shipped_tuik_files().map_err(TemplateError::from)?;
    for (name, bytes) in shipped {
        written.push(write(&dir.join(name), &bytes)?);
    }
    let izmir: Vec<String> = cat.districts.iter().map(|d| d.name.clone()).collect();
    for year in crate::demo::tuik_national::NATIONAL_YEARS {
        let (name, bytes) =
            crate::demo::tuik_national::national_table(&izmir, year, seed).map_err(TemplateError::from)?;
        written.push(write(&dir.join(name), &bytes)?);
    }
    Ok(written)
}

fn write(path: &Path, bytes: &[u8]) -> Result<PathBuf, DemoError> {
    let io = |source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)?;
    Ok(path.to_path_buf())
}

/// The files one unit sends for a period: usually one; the listed mistakes add or alter.
fn unit_files(cat: &Catalogue, unit: &Unit, period: &str, seed: u64) -> Vec<(String, Fill)> {
    let mut rng = Rng::new(seed, &format!("{}/{period}", unit.id));
    let rows = template::template_rows(cat, unit);
    let year: u16 = period.parse().unwrap_or(2023);
    let mut fill = Fill {
        prepared_by: Some(Input::Text(preparer(&mut rng).to_string())),
        date: Some(Input::Date(year + 1, 1, rng.range(10, 31) as u8)),
        ..Fill::default()
    };
    fill.entries = entries(cat, unit, &rows, period, &mut rng);
    let name = template::file_name(&unit.id, period);
    let mut files = vec![];
    if period == "2023" {
        match unit.id.as_str() {
            // A text number with Turkish separators (accepted).
            "ilce-karsiyaka" => set_first(
                &mut fill,
                &rows,
                |i| i.by_sex,
                Col::Female,
                Input::Text("1.234".into()),
                Some(Col::Total),
            ),
            // The header typed over in capitals, a title row above it (accepted).
            "ilce-bornova" => {
                fill.headers.push((Col::Female, "KADIN".into()));
                fill.title_rows = 2;
            }
            // Kadın + Erkek ≠ Toplam.
            "ilce-buca" => {
                set_first(&mut fill, &rows, |i| i.by_sex, Col::Female, Input::Number(120.0), None);
                set_first(&mut fill, &rows, |i| i.by_sex, Col::Male, Input::Number(85.0), None);
                set_first(&mut fill, &rows, |i| i.by_sex, Col::Total, Input::Number(215.0), None);
            }
            // A negative count.
            "ilce-cigli" => set_first(
                &mut fill,
                &rows,
                |i| i.by_sex,
                Col::Male,
                Input::Number(-3.0),
                Some(Col::Total),
            ),
            // A neighbourhood typed as a district (the plan itself does this).
            "park-bahceler" => {
                if let Some(e) = fill.entries.iter_mut().find(|e| rows[e.row].district.is_none()) {
                    set(&mut e.values, Col::District, Input::Text("Kadifekale".into()));
                }
            }
            // Last year's workbook reused: Bilgi says 2022.
            "ilce-tire" => fill.period = Some("2022".into()),
            // A unit's own totals row and blank rows between indicators (accepted).
            "kultur-sanat" => {
                fill.totals_row = Some(99.0);
                fill.blank_row_between_indicators = true;
            }
            // Re-saved in LibreOffice as .ods (accepted).
            "izum" => return vec![(format!("{}-{period}.ods", unit.id), fill)],
            // Sent twice: a first version, then a correction with a later Tarih.
            "ilce-konak" => {
                let mut first = fill.clone();
                first.date = Some(Input::Date(year + 1, 1, 5));
                set_first(&mut first, &rows, |i| i.by_sex, Col::Total, Input::Number(1.0), None);
                files.push((name.clone(), first));
                fill.date = Some(Input::Text(format!("10.02.{}", year + 1)));
                files.push((format!("{}-duzeltme-{period}.xlsx", unit.id), fill));
                return files;
            }
            _ => {}
        }
    }
    files.push((name, fill));
    files
}

fn preparer(rng: &mut Rng) -> &'static str {
    const NAMES: &[&str] = &[
        "Ayşe Yılmaz",
        "Fatma Demir",
        "Zeynep Kaya",
        "Elif Şahin",
        "Mehmet Çelik",
        "Deniz Öztürk",
    ];
    NAMES[rng.range(0, NAMES.len() as u64 - 1) as usize]
}

fn set(values: &mut Vec<(Col, Input)>, col: Col, v: Input) {
    values.retain(|(c, _)| *c != col);
    values.push((col, v));
}

/// Sets `col` on the first filled row whose indicator passes `pick`; clears `clear`.
fn set_first(
    fill: &mut Fill,
    rows: &[TemplateRow<'_>],
    pick: impl Fn(&Indicator) -> bool,
    col: Col,
    v: Input,
    clear: Option<Col>,
) {
    if let Some(e) = fill
        .entries
        .iter_mut()
        .find(|e| pick(rows[e.row].indicator) && !e.values.is_empty())
    {
        set(&mut e.values, col, v);
        if let Some(c) = clear {
            e.values.retain(|(x, _)| *x != c);
        }
    }
}

/// One anchored row: district, women, men, total.
type AnchorRow<'a> = (&'a str, f64, Option<f64>, Option<f64>);

/// The plan's anchored figures for (unit, indicator, period).
fn anchored<'a>(unit: &str, ind: &str, period: &str, city_wide: &'a str) -> Option<Vec<AnchorRow<'a>>> {
    let rows: Vec<AnchorRow> = match (unit, ind, period) {
        // 1,210 women served by the Anahtar centre's counselling in a year; small district
        // counts for disclosure control to suppress.
        ("kadin-calismalari", "siddet-1.1.3-b", "2022") => vec![
            ("Konak", 402.0, None, Some(402.0)),
            ("Buca", 251.0, None, Some(251.0)),
            ("Karşıyaka", 215.0, None, Some(215.0)),
            ("Bornova", 188.0, None, Some(188.0)),
            ("Bayraklı", 147.0, None, Some(147.0)),
            ("Kiraz", 3.0, None, Some(3.0)),
            ("Beydağ", 2.0, None, Some(2.0)),
            ("Karaburun", 2.0, None, Some(2.0)),
        ],
        ("kadin-calismalari", "siddet-1.1.3-b", "2023") => vec![
            ("Konak", 436.0, None, Some(436.0)),
            ("Buca", 270.0, None, Some(270.0)),
            ("KARSIYAKA", 231.0, None, Some(231.0)),
            ("Bornova", 205.0, None, Some(205.0)),
            ("Çiğli", 96.0, None, Some(96.0)),
            ("Kınık", 4.0, None, Some(4.0)),
            ("Beydağ", 1.0, None, Some(1.0)),
            ("Karaburun", 3.0, None, Some(3.0)),
        ],
        // 1,079 male drivers trained in gender equality.
        ("isletme-destek", "egitim-1.2.3-b", "2022") => vec![(city_wide, 0.0, Some(1079.0), Some(1079.0))],
        // 450 women in the district trainings.
        ("ilce-kiraz", "egitim-1.2.3-b", "2022") => vec![("Kiraz", 38.0, Some(4.0), Some(42.0))],
        ("ilce-tire", "egitim-1.2.3-b", "2022") => vec![("Tire", 62.0, Some(9.0), Some(71.0))],
        ("ilce-bergama", "egitim-1.2.3-b", "2022") => vec![("Bergama", 71.0, Some(12.0), Some(83.0))],
        ("ilce-bayindir", "egitim-1.2.3-b", "2022") => vec![("Bayındır", 35.0, Some(3.0), Some(38.0))],
        ("ilce-konak", "egitim-1.2.3-b", "2022") => vec![("Konak", 84.0, Some(21.0), Some(105.0))],
        ("ilce-gaziemir", "egitim-1.2.3-b", "2022") => vec![("Gaziemir", 55.0, Some(8.0), Some(63.0))],
        ("ilce-cigli", "egitim-1.2.3-b", "2022") => vec![("Çiğli", 60.0, Some(11.0), Some(71.0))],
        ("ilce-selcuk", "egitim-1.2.3-b", "2022") => vec![("Selçuk", 45.0, Some(6.0), Some(51.0))],
        _ => return None,
    };
    Some(rows)
}

fn entries(cat: &Catalogue, unit: &Unit, rows: &[TemplateRow<'_>], period: &str, rng: &mut Rng) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let ind = rows[i].indicator;
        let block: Vec<usize> = (i..rows.len())
            .take_while(|k| rows[*k].indicator.id == ind.id)
            .collect();
        i += block.len();
        if let Some(fixed) = anchored(&unit.id, &ind.id, period, cat.city_wide()) {
            for (k, (district, f, m, t)) in block.iter().zip(fixed) {
                let mut values = Vec::new();
                if rows[*k].district.is_none() {
                    values.push((Col::District, Input::Text(district.to_string())));
                }
                if ind.by_sex {
                    values.push((Col::Female, Input::Number(f)));
                    if let Some(m) = m {
                        values.push((Col::Male, Input::Number(m)));
                    }
                }
                if let Some(t) = t {
                    values.push((Col::Total, Input::Number(t)));
                }
                out.push(Entry { row: *k, values });
            }
            continue;
        }
        // Not every unit has every figure: about one indicator in six is left empty.
        if rng.chance(16) {
            continue;
        }
        if rows[block[0]].district.is_some() {
            out.push(Entry {
                row: block[0],
                values: random_values(ind, rng),
            });
        } else {
            // A department reports city-wide, or for a few districts.
            let n = if rng.chance(50) { 1 } else { rng.range(2, 3) as usize };
            let mut used = Vec::new();
            for k in block.iter().take(n) {
                let district = if n == 1 {
                    cat.city_wide().to_string()
                } else {
                    loop {
                        let d = &cat.districts[rng.range(0, cat.districts.len() as u64 - 1) as usize].name;
                        if !used.contains(d) {
                            used.push(d.clone());
                            break d.clone();
                        }
                    }
                };
                let mut values = vec![(Col::District, Input::Text(district))];
                values.extend(random_values(ind, rng));
                out.push(Entry { row: *k, values });
            }
        }
    }
    out
}

fn random_values(ind: &Indicator, rng: &mut Rng) -> Vec<(Col, Input)> {
    if rng.chance(4) {
        return vec![(Col::Total, Input::Text("-".into()))];
    }
    if let Some(target) = ind.targets.values().next() {
        // Near the target, so progress toward it looks like a real year's.
        let t = target.round().max(1.0) as u64;
        return vec![(
            Col::Total,
            Input::Number(rng.range(t.saturating_sub(2).max(1), t + 1) as f64),
        )];
    }
    match (ind.by_sex, ind.kind) {
        (true, MeasureKind::CountPeople) => {
            let f = rng.range(8, 320) as f64;
            let m = rng.range(2, 180) as f64;
            let mut v = vec![(Col::Female, Input::Number(f)), (Col::Male, Input::Number(m))];
            // Some units leave Toplam for yeep to add up.
            if !rng.chance(20) {
                v.push((Col::Total, Input::Number(f + m)));
            }
            v
        }
        (_, MeasureKind::Rate) => vec![(Col::Total, Input::Number(rng.range(5, 95) as f64))],
        _ => vec![(Col::Total, Input::Number(rng.range(1, 40) as f64))],
    }
}

/// The filled template as plain `.ods` sheets (what LibreOffice keeps of the values).
fn ods_sheets(cat: &Catalogue, unit: &Unit, period: &str, fill: &Fill) -> Vec<OdsSheet> {
    let cell = |i: &Input| match i {
        Input::Number(v) => OdsCell::Number(*v),
        Input::Text(s) => OdsCell::Text(s.clone()),
        Input::Date(y, m, d) => OdsCell::Text(format!("{y:04}-{m:02}-{d:02}")),
    };
    let info_value = |f: InfoField| match f {
        InfoField::UnitName => OdsCell::Text(unit.name.clone()),
        InfoField::UnitId => OdsCell::Text(unit.id.clone()),
        InfoField::Period => OdsCell::Text(fill.period.clone().unwrap_or_else(|| period.to_string())),
        InfoField::PreparedBy => fill.prepared_by.as_ref().map_or(OdsCell::Empty, cell),
        InfoField::Date => fill.date.as_ref().map_or(OdsCell::Empty, cell),
        InfoField::TemplateVersion => OdsCell::Text(cat.plan.catalogue_version.clone()),
    };
    let info = InfoField::ALL
        .iter()
        .map(|f| vec![OdsCell::Text(f.label(Lang::Tr).to_string()), info_value(*f)])
        .collect();
    let cols = template::template_columns(cat, unit);
    let mut data = vec![cols
        .iter()
        .map(|c| OdsCell::Text(c.label(Lang::Tr).to_string()))
        .collect::<Vec<_>>()];
    for (i, row) in template::template_rows(cat, unit).iter().enumerate() {
        let entry = fill.entries.iter().find(|e| e.row == i);
        data.push(
            cols.iter()
                .map(
                    |c| match (c, entry.and_then(|e| e.values.iter().find(|(x, _)| x == c))) {
                        (_, Some((_, v))) => cell(v),
                        (Col::Id, None) => OdsCell::Text(row.indicator.id.clone()),
                        (Col::Name, None) => OdsCell::Text(row.indicator.text.clone()),
                        (Col::District, None) => row.district.clone().map_or(OdsCell::Empty, OdsCell::Text),
                        _ => OdsCell::Empty,
                    },
                )
                .collect(),
        );
    }
    vec![("Bilgi".into(), info), ("Veri".into(), data)]
}
