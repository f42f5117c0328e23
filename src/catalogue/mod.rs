//! The plan's catalogue: themes → goals → sub-goals → activities → indicators, the context
//! indicators with their baselines, the registry of units, the districts and the
//! city-wide area.
//!
//! The catalogue is data (`pipelines/<plan>/*.toml`, see `docs/catalogue-format.md`);
//! [`load`] reads it, resolves unit names and checks it ([`check`]).

mod check;
mod load;
mod problem;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::normalise::{fold_words, DistrictIndex};

pub use check::check;
pub use load::load;
pub use problem::{CatalogueError, CatalogueProblem};

/// How an indicator is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// A number of people (participants, beneficiaries, employees …).
    CountPeople,
    /// A number of things (trainings, posters, parks …).
    CountThings,
    /// A rate or percentage: never summed, recomputed or not aggregated.
    Rate,
    /// A ratio of two quantities: never summed.
    Ratio,
}

impl MeasureKind {
    /// The snake_case label used in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::CountPeople => "count_people",
            MeasureKind::CountThings => "count_things",
            MeasureKind::Rate => "rate",
            MeasureKind::Ratio => "ratio",
        }
    }

    /// Counts are additive across districts and units; rates and ratios are not.
    pub fn is_count(self) -> bool {
        matches!(self, MeasureKind::CountPeople | MeasureKind::CountThings)
    }
}

/// Kısa / Orta / Uzun Vade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    Kisa,
    Orta,
    Uzun,
}

impl Term {
    /// The plan's own wording.
    pub fn label_tr(self) -> &'static str {
        match self {
            Term::Kisa => "Kısa Vade",
            Term::Orta => "Orta Vade",
            Term::Uzun => "Uzun Vade",
        }
    }

    /// English wording.
    pub fn label_en(self) -> &'static str {
        match self {
            Term::Kisa => "Short term",
            Term::Orta => "Medium term",
            Term::Uzun => "Long term",
        }
    }

    /// snake_case id.
    pub fn as_str(self) -> &'static str {
        match self {
            Term::Kisa => "kisa",
            Term::Orta => "orta",
            Term::Uzun => "uzun",
        }
    }
}

/// What kind of organisation a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    DaireBaskanligi,
    SubeMudurlugu,
    IlceBelediyesi,
    Company,
    Hospital,
    University,
    Ngo,
    PublicAgency,
    Project,
    Group,
}

impl UnitKind {
    /// snake_case id.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::DaireBaskanligi => "daire_baskanligi",
            UnitKind::SubeMudurlugu => "sube_mudurlugu",
            UnitKind::IlceBelediyesi => "ilce_belediyesi",
            UnitKind::Company => "company",
            UnitKind::Hospital => "hospital",
            UnitKind::University => "university",
            UnitKind::Ngo => "ngo",
            UnitKind::PublicAgency => "public_agency",
            UnitKind::Project => "project",
            UnitKind::Group => "group",
        }
    }

    /// Whether units of this kind report by default: the municipality's own units.
    pub fn reports_by_default(self) -> bool {
        matches!(
            self,
            UnitKind::DaireBaskanligi
                | UnitKind::SubeMudurlugu
                | UnitKind::IlceBelediyesi
                | UnitKind::Company
                | UnitKind::Hospital
        )
    }
}

/// An optional breakdown column of the submission template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    AgeGroup,
    Disability,
}

impl Breakdown {
    /// snake_case id (the BI contract's column name).
    pub fn as_str(self) -> &'static str {
        match self {
            Breakdown::AgeGroup => "age_group",
            Breakdown::Disability => "disability",
        }
    }
}

/// Plan identity, from the pipeline file.
#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub catalogue_version: String,
    pub periods: Vec<String>,
    pub baseline_year: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: String,
    pub order: u32,
    pub name: String,
    pub name_en: String,
    /// A name of at most 31 characters, for sheet names.
    pub short_name: String,
    pub short_name_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    pub theme: String,
    pub code: String,
    pub text: String,
    pub text_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubGoal {
    pub theme: String,
    pub goal: String,
    pub code: String,
    pub text: String,
    pub text_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: String,
    pub theme: String,
    pub goal: String,
    pub sub_goal: String,
    /// The code exactly as printed in the plan (may be empty or wrong).
    pub code: String,
    pub text: String,
    pub text_en: String,
    pub term: Term,
    /// Unit ids.
    pub responsible: Vec<String>,
    /// Unit ids.
    pub collaborating: Vec<String>,
    pub indicators_printed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub id: String,
    pub theme: String,
    pub activity: String,
    pub text: String,
    pub text_en: String,
    pub kind: MeasureKind,
    pub by_sex: bool,
    pub by_district: bool,
    pub unit: String,
    pub sensitive: bool,
    pub breakdowns: Vec<Breakdown>,
    /// Unit ids, resolved (explicit or by the default rule).
    pub reporting_units: Vec<String>,
    /// Target value per period.
    pub targets: BTreeMap<String, f64>,
    /// The desired direction (`direction = "increase"` / `"decrease"`), when the plan
    /// implies one; none for output counts (progress status, `docs/metrics.md`).
    pub direction: Option<Direction>,
    /// Balanced participation applies (`balance = true`): decision-making, employment —
    /// the women's share gets a status toward the 40–60 % band (`docs/metrics.md`).
    pub balance: bool,
    /// The count is of contacts — participations, services — not of distinct people
    /// (`contacts = true`): one person can be counted by several units or trainings.
    pub contacts: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
    pub parent: Option<String>,
    pub district: Option<String>,
    pub reports: bool,
    pub members: Option<UnitKind>,
}

#[derive(Debug, Clone, Serialize)]
pub struct District {
    pub name: String,
    pub aliases: Vec<String>,
    pub tuik_code: Option<u32>,
}

/// The area of the whole municipality (`[city_wide]` in `districts.toml`): the name of the
/// city-wide aggregate row (`İzmir Geneli` in the İzmir plan) and the other ways people and
/// TÜİK tables write it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CityWide {
    pub name: String,
    pub aliases: Vec<String>,
}

/// Baseline values of a context indicator as printed in the plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub female: Option<f64>,
    pub male: Option<f64>,
    pub total: Option<f64>,
    /// The values the plan does not print but implies (`["male"]`: total − women), so
    /// that no sheet shows them as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContextIndicator {
    pub id: String,
    pub theme: String,
    pub text: String,
    pub text_en: String,
    pub kind: MeasureKind,
    pub unit: String,
    pub by_sex: bool,
    pub sensitive: bool,
    pub source: String,
    pub source_kind: String,
    pub baseline_year: String,
    pub baseline: Baseline,
    pub printed: String,
    pub stated_female_share: Option<f64>,
    pub note: String,
    /// The desired direction, when the plan implies one (progress status, EIGE score):
    /// none is a neutral indicator (population, births).
    pub direction: Option<Direction>,
    /// Balanced participation applies (see [`Indicator::balance`]).
    pub balance: bool,
}

/// The desired direction of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Increase,
    Decrease,
}

/// The whole catalogue, resolved and checked.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    pub plan: PlanInfo,
    pub themes: Vec<Theme>,
    pub goals: Vec<Goal>,
    pub sub_goals: Vec<SubGoal>,
    pub activities: Vec<Activity>,
    pub indicators: Vec<Indicator>,
    pub context: Vec<ContextIndicator>,
    pub units: Vec<Unit>,
    pub districts: Vec<District>,
    pub city_wide: CityWide,
    /// The catalogue files read, relative to the pipeline file.
    #[serde(skip)]
    pub files: Vec<PathBuf>,
    #[serde(skip)]
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    indicator: HashMap<String, usize>,
    activity: HashMap<String, usize>,
    unit: HashMap<String, usize>,
    unit_by_name: HashMap<String, usize>,
    context: HashMap<String, usize>,
    theme: HashMap<String, usize>,
    districts: DistrictIndex,
}

impl Indicator {
    /// The unit as the workbooks label it: a count of contacts says so, since its people
    /// are not distinct (`kişi (katılım)`, "persons (contacts)").
    pub fn unit_label(&self, lang: crate::model::lang::Lang) -> String {
        if self.contacts {
            format!("{} ({})", self.unit, lang.pick("katılım", "contacts"))
        } else {
            self.unit.clone()
        }
    }
}

impl Catalogue {
    fn build_index(&mut self) {
        let mut ix = Index::default();
        for (i, x) in self.indicators.iter().enumerate() {
            ix.indicator.insert(x.id.clone(), i);
        }
        for (i, x) in self.activities.iter().enumerate() {
            ix.activity.insert(x.id.clone(), i);
        }
        for (i, u) in self.units.iter().enumerate() {
            ix.unit.insert(u.id.clone(), i);
            ix.unit_by_name.insert(fold_words(&u.id), i);
            ix.unit_by_name.insert(fold_words(&u.name), i);
            for a in &u.aliases {
                ix.unit_by_name.insert(fold_words(a), i);
            }
        }
        for (i, x) in self.context.iter().enumerate() {
            ix.context.insert(x.id.clone(), i);
        }
        for (i, x) in self.themes.iter().enumerate() {
            ix.theme.insert(x.id.clone(), i);
        }
        ix.districts = DistrictIndex::new(
            &self.city_wide.name,
            &self.city_wide.aliases,
            self.districts.iter().map(|d| (d.name.as_str(), d.aliases.as_slice())),
        );
        self.index = ix;
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.index.indicator.get(id).map(|&i| &self.indicators[i])
    }

    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.index.activity.get(id).map(|&i| &self.activities[i])
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.index.unit.get(id).map(|&i| &self.units[i])
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.index.theme.get(id).map(|&i| &self.themes[i])
    }

    pub fn context_indicator(&self, id: &str) -> Option<&ContextIndicator> {
        self.index.context.get(id).map(|&i| &self.context[i])
    }

    /// Finds a unit by id, name or alias (Turkish folding, punctuation ignored).
    pub fn find_unit(&self, name: &str) -> Option<&Unit> {
        self.index
            .unit
            .get(name)
            .or_else(|| self.index.unit_by_name.get(&fold_words(name)))
            .map(|&i| &self.units[i])
    }

    /// The district index (canonical names, aliases, the city-wide name).
    pub fn districts_index(&self) -> &DistrictIndex {
        &self.index.districts
    }

    /// The name of the city-wide aggregate row (`[city_wide]` name).
    pub fn city_wide(&self) -> &str {
        &self.city_wide.name
    }

    pub fn sub_goal(&self, theme: &str, code: &str) -> Option<&SubGoal> {
        self.sub_goals.iter().find(|s| s.theme == theme && s.code == code)
    }

    pub fn goal(&self, theme: &str, code: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.theme == theme && g.code == code)
    }

    /// The indicators a unit reports, in catalogue order.
    pub fn indicators_for_unit<'a>(&'a self, unit_id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators
            .iter()
            .filter(move |i| i.reporting_units.iter().any(|u| u == unit_id))
    }

    /// The units that report at least one indicator, in registry order.
    pub fn reporting_units(&self) -> Vec<&Unit> {
        self.units
            .iter()
            .filter(|u| self.indicators.iter().any(|i| i.reporting_units.contains(&u.id)))
            .collect()
    }
}
