//! The `Bağlam` sheet: context indicators (TÜİK and the plan's baselines) and the equality score.

use std::collections::HashMap;

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::sinks::print::{apply, fit_row, Orientation, PrintSetup};
use crate::sinks::xlsx::{write_table, Cell};

use super::{l, page_title, Formats, MonitoringData};

/// Column widths (characters), as the headers.
const WIDTHS: [f64; 16] = [
    10.0, 22.0, 50.0, 8.0, 36.0, 10.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 40.0, 50.0,
];

/// A stated share and one computed from the counts differ when they are further apart than
/// the plan's rounding (one decimal of a percentage) allows.
const SHARE_TOLERANCE: f64 = 0.0006;

pub(super) fn context_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(l(data, "Bağlam", "Context"))?;
    let cat = data.cat;
    // TÜİK observations (any period), city-wide, by indicator × period × sex.
    let mut tuik: HashMap<(&str, &str, &str), f64> = HashMap::new();
    for m in data
        .metrics
        .iter()
        .filter(|m| m.district == cat.city_wide() && cat.context_indicator(&m.indicator_id).is_some())
    {
        for (sex, v) in [("female", m.women), ("male", m.men), ("total", m.total)] {
            if let Some(v) = v {
                tuik.insert((m.indicator_id.as_str(), m.period.as_str(), sex), v);
            }
        }
    }
    let headers = [
        "theme",
        l(data, "Gösterge kodu", "Indicator id"),
        l(data, "Gösterge", "Indicator"),
        l(data, "Birim", "Unit"),
        l(data, "Kaynak", "Source"),
        l(data, "Yıl", "Year"),
        l(data, "Plan: kadın", "Plan: women"),
        l(data, "Plan: erkek", "Plan: men"),
        l(data, "Plan: toplam", "Plan: total"),
        l(data, "Tablo: kadın", "Table: women"),
        l(data, "Tablo: erkek", "Table: men"),
        l(data, "Tablo: toplam", "Table: total"),
        l(data, "Kadın payı", "Women's share"),
        l(data, "Plan: kadın payı", "Plan: women's share"),
        l(data, "Kontrol", "Check"),
        l(data, "Not", "Note"),
    ];
    let mut any_hidden = false;
    let rows: Vec<Vec<Cell>> = cat
        .context
        .iter()
        .map(|c| {
            let get = |sex: &str| tuik.get(&(c.id.as_str(), c.baseline_year.as_str(), sex)).copied();
            let (tw, tm) = (get("female").or(c.baseline.female), get("male").or(c.baseline.male));
            let share = match (tw, tm) {
                (Some(w), Some(m)) if c.kind.is_count() && w + m > 0.0 => Some(w / (w + m)),
                _ => None,
            };
            let hidden = data.public
                && c.sensitive
                && [get("female"), get("male"), get("total")]
                    .iter()
                    .any(|v| crate::metrics::disclosure::is_small(*v, data.threshold));
            any_hidden |= hidden;
            let table = |v: Option<f64>| if hidden { Cell::Text("..".into()) } else { v.into() };
            let stated = c.stated_female_share.map(|p| p / 100.0);
            let check = checks(data, c, share, stated, hidden);
            vec![
                c.theme.clone().into(),
                c.id.clone().into(),
                data.lang.pick(&c.text, &c.text_en).to_string().into(),
                c.unit.clone().into(),
                c.source.clone().into(),
                c.baseline_year.clone().into(),
                c.baseline.female.into(),
                c.baseline.male.into(),
                c.baseline.total.into(),
                table(get("female")),
                table(get("male")),
                table(get("total")),
                table(share),
                stated.into(),
                check.into(),
                c.note.clone().into(),
            ]
        })
        .collect();
    write_table(ws, "Context", &headers, &rows, &WIDTHS)?;
    // Top-aligned like the rows' wrapped texts.
    let share = f.share.clone().set_align(rust_xlsxwriter::FormatAlign::Top);
    for r in 1..=rows.len() as u32 {
        ws.set_cell_format(r, 12, &share)?;
        ws.set_cell_format(r, 13, &share)?;
    }
    // EIGE-style scores below the table.
    let mut r = rows.len() as u32 + 3;
    ws.write_string_with_format(
        r,
        0,
        l(
            data,
            "Eşitlik puanı (EIGE Toplumsal Cinsiyet Eşitliği Endeksi yöntemi, 1–100)",
            "Equality score (EIGE Gender Equality Index method, 1–100)",
        ),
        &f.bold,
    )?;
    for t in &data.eige.0 {
        r += 1;
        let name = cat
            .theme(&t.theme)
            .map_or(t.theme.as_str(), |x| data.lang.pick(&x.name, &x.name_en));
        ws.write_string_with_format(r, 0, name, &f.wrap)?;
        ws.write_number_with_format(r, 1, t.score, &f.ratio)?;
        let scores = t
            .indicators
            .iter()
            .map(|(i, s)| format!("{i}: {s:.1}"))
            .collect::<Vec<_>>()
            .join("; ");
        // The scores wrap in the indicator and unit columns, merged for them.
        let (scores_first, scores_last) = (2u16, 4u16);
        let scores_width: f64 = WIDTHS[scores_first as usize..=scores_last as usize].iter().sum();
        ws.merge_range(r, scores_first, r, scores_last, &scores, &f.wrap)?;
        fit_row(ws, r, &[(name, WIDTHS[0]), (&scores, scores_width)])?;
    }
    if let Some(ix) = data.eige.1 {
        r += 1;
        ws.write_string_with_format(r, 0, l(data, "Genel", "Overall"), &f.bold)?;
        ws.write_number_with_format(r, 1, ix, &f.ratio)?;
    }
    if any_hidden {
        r += 2;
        ws.write_string(r, 0, super::markers_note(data.lang))?;
    }
    let title = page_title(data);
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r, WIDTHS.len() as u16 - 1).with_header_row(0),
    )
}

/// The `Kontrol` column of a context row: the plan's figures that are derived, not printed
/// (`baseline.derived`), and a stated women's share that the counts do not give.
fn checks(
    data: &MonitoringData,
    c: &crate::catalogue::ContextIndicator,
    computed: Option<f64>,
    stated: Option<f64>,
    hidden: bool,
) -> String {
    let mut out = Vec::new();
    for d in &c.baseline.derived {
        let (tr, en) = match d.as_str() {
            "female" => (
                "Plan: kadın basılı değil, türetildi",
                "Plan: women not printed, derived",
            ),
            "male" => ("Plan: erkek basılı değil, türetildi", "Plan: men not printed, derived"),
            _ => (
                "Plan: toplam basılı değil, türetildi",
                "Plan: total not printed, derived",
            ),
        };
        out.push(data.lang.pick(tr, en).to_string());
    }
    if let (Some(s), Some(k), false) = (stated, computed, hidden) {
        if (s - k).abs() > SHARE_TOLERANCE {
            let pct = |x: f64| data.lang.number((x * 1000.0).round() / 10.0);
            out.push(match data.lang {
                crate::model::lang::Lang::Tr => format!("UYUŞMUYOR: planın payı %{}, sayılardan %{}", pct(s), pct(k)),
                crate::model::lang::Lang::En => {
                    format!("MISMATCH: the plan states {} %, the counts give {} %", pct(s), pct(k))
                }
            });
        }
    }
    out.join("; ")
}
