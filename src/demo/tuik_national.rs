//! National-size TÜİK-style tables for load tests (`yeep demo --scale N`, N ≥ 2): the
//! ADNKS table of population by district, single year of age and sex — 81 provinces,
//! 973 districts, ages 0 … 89 and 90+, `Toplam / Erkek / Kadın` under each age group —
//! one workbook per year. The all-ages group is headed `Toplam nüfus`. About 292,000 cells a table; the seven years 2013–2019 give
//! about two million cells.
//!
//! İzmir's 30 districts carry their real names (from the catalogue); the other
//! provinces' districts are named `<İl> ilçe <k>` (synthetic, so no real district's
//! figures are invented). Values are deterministic for a seed; each province row is the
//! sum of its districts and every `Toplam` is `Erkek + Kadın`.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, XlsxError};

use super::tuik_inputs::PROVINCES;
use crate::demo::Rng;
use crate::sinks::xlsx::deterministic_workbook;

/// The data years of the national tables.
pub const NATIONAL_YEARS: std::ops::RangeInclusive<u16> = 2013..=2019;

/// Districts in Türkiye (2013 onwards).
pub const DISTRICTS: usize = 973;

/// Single years of age 0 … 89, then `90+`.
const AGES: usize = 91;

/// The file name of the national table of `year` (under `tuik/`).
pub fn national_file_name(year: u16) -> String {
    format!("ulusal/nufus_ilce_yas_cinsiyet_{year}.xlsx")
}

/// `(province, districts)` with 973 districts in all; İzmir's are `izmir_districts`.
fn provinces(izmir_districts: &[String]) -> Vec<(&'static str, Vec<String>)> {
    let others = DISTRICTS - izmir_districts.len();
    let n_other = PROVINCES.len() - 1;
    let (base, extra) = (others / n_other, others % n_other);
    let mut k = 0;
    PROVINCES
        .iter()
        .map(|&p| {
            if p == "İzmir" {
                return (p, izmir_districts.to_vec());
            }
            let n = base + usize::from(k < extra);
            k += 1;
            (p, (1..=n).map(|i| format!("{p} ilçe {i}")).collect())
        })
        .collect()
}

/// One year's table: `(file name, xlsx bytes)`.
///
/// # Errors
///
/// [`XlsxError`] if the workbook cannot be built.
pub fn national_table(izmir_districts: &[String], year: u16, seed: u64) -> Result<(String, Vec<u8>), XlsxError> {
    let title = format!("İl, ilçe, yaş ve cinsiyete göre nüfus, {year}");
    let mut wb = deterministic_workbook(&title, year)?;
    let ws = wb.add_worksheet();
    ws.set_name("nufus")?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border_bottom(FormatBorder::Thin);
    let num = Format::new().set_num_format("#,##0");
    ws.write_string_with_format(0, 0, &title, &bold)?;
    ws.write_string_with_format(
        1,
        0,
        format!("Population by province, district, age and sex, {year}"),
        &bold,
    )?;
    // Two header rows: age groups (merged over three columns), then sex.
    let (h0, h1) = (3u32, 4u32);
    ws.merge_range(h0, 0, h1, 0, "İl / İlçe\nProvince / District", &head)?;
    let groups = std::iter::once("Toplam nüfus\nTotal population".to_string())
        .chain((0..AGES - 1).map(|a| format!("{a} yaş")))
        .chain(std::iter::once("90+ yaş".to_string()));
    for (g, label) in groups.enumerate() {
        let c = 1 + 3 * g as u16;
        ws.merge_range(h0, c, h0, c + 2, &label, &head)?;
        for (i, s) in ["Toplam\nTotal", "Erkek\nMale", "Kadın\nFemale"].iter().enumerate() {
            ws.write_string_with_format(h1, c + i as u16, *s, &head)?;
        }
    }
    let mut r = h1 + 1;
    for (province, districts) in provinces(izmir_districts) {
        let rows: Vec<[Vec<f64>; 2]> = districts.iter().map(|d| district_counts(seed, year, d)).collect();
        let mut sum = [vec![0.0; AGES], vec![0.0; AGES]];
        for row in &rows {
            for (total, part) in sum.iter_mut().zip(row) {
                for (t, p) in total.iter_mut().zip(part) {
                    *t += p;
                }
            }
        }
        write_row(ws, r, province, &sum, &num)?;
        r += 1;
        for (d, row) in districts.iter().zip(&rows) {
            write_row(ws, r, d, row, &num)?;
            r += 1;
        }
    }
    r += 1;
    ws.write_string(
        r,
        0,
        "Kaynak: TÜİK, Adrese Dayalı Nüfus Kayıt Sistemi (sentetik, yük testi için)",
    )?;
    ws.write_string(
        r + 1,
        0,
        "Source: TurkStat, Address Based Population Registration System (synthetic)",
    )?;
    ws.set_column_width(0, 28)?;
    Ok((national_file_name(year), wb.save_to_buffer()?))
}

/// Men and women by single year of age in one district and year: a population of
/// 4,000 – 400,000 with a realistic pyramid, drifting a little from year to year.
fn district_counts(seed: u64, year: u16, district: &str) -> [Vec<f64>; 2] {
    let mut base = Rng::new(seed, district);
    let size = base.range(4_000, 400_000) as f64;
    let mut rng = Rng::new(seed, &format!("{district}/{year}"));
    let growth = 1.0 + (f64::from(year) - 2013.0) * 0.012;
    let [mut men, mut women_by_age] = [vec![0.0; AGES], vec![0.0; AGES]];
    for a in 0..AGES {
        // A pyramid: flat to 40, then declining; 90+ collects the tail.
        let age = a as f64;
        let w = if a == AGES - 1 {
            0.004
        } else if age < 40.0 {
            0.016
        } else {
            0.016 * (1.0 - (age - 40.0) / 55.0).max(0.02)
        };
        let jitter = 0.9 + rng.range(0, 200) as f64 / 1000.0;
        let people = (size * growth * w * jitter).round();
        // Women outnumber men from the late sixties.
        let women_share = if age < 65.0 { 0.495 } else { 0.56 };
        let women = (people * women_share).round();
        men[a] = people - women;
        women_by_age[a] = women;
    }
    [men, women_by_age]
}

fn write_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    label: &str,
    counts: &[Vec<f64>; 2],
    num: &Format,
) -> Result<(), XlsxError> {
    ws.write_string(r, 0, label)?;
    let (men, women): (f64, f64) = (counts[0].iter().sum(), counts[1].iter().sum());
    let mut c = 1u16;
    for (m, w) in std::iter::once((men, women)).chain((0..AGES).map(|a| (counts[0][a], counts[1][a]))) {
        ws.write_number_with_format(r, c, m + w, num)?;
        ws.write_number_with_format(r, c + 1, m, num)?;
        ws.write_number_with_format(r, c + 2, w, num)?;
        c += 3;
    }
    Ok(())
}
