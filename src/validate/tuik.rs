//! Consistency checks between stated rates and counts for the context indicators: a
//! share the plan states beside counts (`stated_female_share`), and rates printed as `%`
//! where per thousand (‰) is meant. Each disagreement is a `rate-count-mismatch` warning;
//! yeep reports both figures and picks neither.

use crate::catalogue::{Catalogue, ContextIndicator};
use crate::normalise::{fold, Sex};
use crate::observations::Observation;
use crate::validate::{Diagnostic, Reason};

/// How far (percentage points) a stated share may be from the computed one.
pub const SHARE_TOLERANCE_PP: f64 = 0.15;

/// The location used for problems found in the plan's own figures.
pub const CATALOGUE: &str = "catalogue";

/// The plan's own disagreements: a stated women's share against its baseline counts, and a
/// `‰` rate printed with `%`. Located at [`CATALOGUE`].
///
/// # Examples
///
/// ```no_run
/// let p = yeep::pipeline::Pipeline::load("pipelines/izmir-2022-2024.toml".as_ref()).unwrap();
/// let cat = p.catalogue().unwrap();
/// assert!(!yeep::validate::tuik::check_catalogue(&cat).is_empty());
/// ```
pub fn check_catalogue(cat: &Catalogue) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &cat.context {
        if let (Some(stated), Some(f), Some(m)) = (c.stated_female_share, c.baseline.female, c.baseline.male) {
            if let Some(note) = share_note(stated, f, m) {
                out.push(
                    Diagnostic::file(Reason::RateCountMismatch, CATALOGUE, note)
                        .with_indicator(&c.id)
                        .with_unit_period("", &c.baseline_year),
                );
            }
        }
        if c.unit == "‰" && c.printed.contains('%') && !fold(&c.printed).contains("binde") {
            out.push(
                Diagnostic::file(
                    Reason::RateCountMismatch,
                    CATALOGUE,
                    format!("printed with \"%\" but the rate is per thousand (‰): {}", c.printed),
                )
                .with_indicator(&c.id)
                .with_unit_period("", &c.baseline_year),
            );
        }
    }
    out
}

/// Stated shares against the counts read from tables, for the baseline year: located at
/// the women's cell.
pub fn check_observations(cat: &Catalogue, obs: &[Observation]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &cat.context {
        let Some(stated) = c.stated_female_share else { continue };
        let find = |sex: Sex| {
            obs.iter()
                .find(|o| o.indicator_id == c.id && o.period == c.baseline_year && o.sex == sex)
        };
        if let (Some(f), Some(m)) = (find(Sex::Female), find(Sex::Male)) {
            if let Some(note) = share_note(stated, f.value, m.value) {
                out.push(
                    Diagnostic::cell(
                        Reason::RateCountMismatch,
                        &f.source_file,
                        &f.source_sheet,
                        &f.source_cell,
                        f.value.to_string(),
                    )
                    .with_note(note)
                    .with_indicator(&c.id)
                    .with_unit_period(&f.unit_id, &f.period),
                );
            }
        }
    }
    out
}

fn share_note(stated: f64, women: f64, men: f64) -> Option<String> {
    if women + men <= 0.0 {
        return None;
    }
    let computed = 100.0 * women / (women + men);
    ((computed - stated).abs() > SHARE_TOLERANCE_PP)
        .then(|| format!("stated women's share {stated} % but {women} / ({women} + {men}) = {computed:.1} %"))
}

/// The unit a label declares: `‰`/`binde` → per thousand, `%`/`yüzde` → percent.
fn declared_unit(label: &str) -> Option<&'static str> {
    let f = fold(label);
    if label.contains('‰') || f.contains("binde") || f.contains("per thousand") || f.contains("per 1000") {
        Some("‰")
    } else if label.contains('%') || f.contains("yuzde") || f.contains("percent") {
        Some("%")
    } else {
        None
    }
}

/// A rate whose table label declares `‰` while the catalogue (the plan) says `%`, or the
/// reverse: located at the label's cell.
pub fn check_unit(
    ctx: &ContextIndicator,
    labels: &[(usize, usize, String)],
    file: &str,
    sheet: &str,
) -> Option<Diagnostic> {
    if ctx.unit != "%" && ctx.unit != "‰" {
        return None;
    }
    let (r, c, label, unit) = labels
        .iter()
        .find_map(|(r, c, l)| declared_unit(l).map(|u| (*r, *c, l, u)))?;
    (unit != ctx.unit).then(|| {
        Diagnostic::cell(
            Reason::RateCountMismatch,
            file,
            sheet,
            crate::sources::tuik::cell_ref(r, c),
            label.clone(),
        )
        .with_note(format!(
            "the table gives this rate in {unit}, the plan prints it in {} ({})",
            ctx.unit, ctx.printed
        ))
        .with_indicator(&ctx.id)
    })
}
