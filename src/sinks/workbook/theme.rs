//! One sheet per theme: goal → sub-goal → activity → indicators, with traffic-light status.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::metrics::status::Status;
use crate::sinks::print::{apply, fit_row, Orientation, PrintSetup, BOLD_WIDTH};
use crate::sinks::xlsx::header_format;

use super::{
    city_rows, l, markers_note, page_title, public_mark, traffic_lights, write_marked, Formats, MonitoringData,
};

/// Column widths (characters): code, text, unit, the ten figures, status.
const WIDTHS: [f64; 13] = [
    16.0, 70.0, 15.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 24.0,
];

pub(super) fn theme_sheet(wb: &mut Workbook, data: &MonitoringData, f: &Formats, theme: &str) -> Result<(), XlsxError> {
    let cat = data.cat;
    let t = cat.theme(theme).expect("theme exists");
    let ws = wb.add_worksheet();
    let sheet_name = data.lang.pick(&t.short_name, &t.short_name_en);
    ws.set_name(sheet_name)?;
    let headers = [
        l(data, "Kod", "Code"),
        l(data, "Hedef / Faaliyet / Gösterge", "Goal / Activity / Indicator"),
        l(data, "Birim", "Unit"),
        l(data, "Kadın", "Women"),
        l(data, "Erkek", "Men"),
        l(data, "Toplam", "Total"),
        l(data, "Kadın payı", "Women's share"),
        l(data, "Parite (K/E)", "Parity (W/M)"),
        l(data, "Önceki döneme göre değişim", "Change from previous"),
        l(
            data,
            "İlk izleme dönemine göre değişim",
            "Change since the first monitored period",
        ),
        l(data, "Hedef", "Target"),
        l(data, "Hedefe ilerleme", "Progress to target"),
        l(data, "Durum", "Status"),
    ];
    let hdr = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &hdr)?;
    }
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let header_cells: Vec<(&str, f64)> = headers.iter().copied().zip(WIDTHS.map(|w| w * BOLD_WIDTH)).collect();
    fit_row(ws, 0, &header_cells)?;
    // The wrapped text of the second column sets a row's height (codes fit the first);
    // goals and sub-goals are bold.
    let text_row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, text: &str| fit_row(ws, r, &[(text, WIDTHS[1])]);
    let bold_row =
        |ws: &mut rust_xlsxwriter::Worksheet, r: u32, text: &str| fit_row(ws, r, &[(text, WIDTHS[1] * BOLD_WIDTH)]);
    ws.set_freeze_panes(1, 2)?;
    let rows = city_rows(data, data.period);
    let mut r = 0u32;
    let mut markers = false;
    for g in cat.goals.iter().filter(|g| g.theme == theme) {
        r += 1;
        ws.write_string_with_format(r, 0, &g.code, &f.goal)?;
        ws.write_string_with_format(r, 1, data.lang.pick(&g.text, &g.text_en), &f.goal)?;
        bold_row(ws, r, data.lang.pick(&g.text, &g.text_en))?;
        for s in cat.sub_goals.iter().filter(|s| s.theme == theme && s.goal == g.code) {
            r += 1;
            ws.write_string_with_format(r, 0, &s.code, &f.sub_goal)?;
            ws.write_string_with_format(r, 1, data.lang.pick(&s.text, &s.text_en), &f.sub_goal)?;
            bold_row(ws, r, data.lang.pick(&s.text, &s.text_en))?;
            for a in cat
                .activities
                .iter()
                .filter(|a| a.theme == theme && a.sub_goal == s.code)
            {
                r += 1;
                ws.write_string_with_format(r, 0, &a.code, &f.activity)?;
                let text = format!(
                    "{} ({})",
                    data.lang.pick(&a.text, &a.text_en),
                    data.lang.pick(a.term.label_tr(), a.term.label_en())
                );
                ws.write_string_with_format(r, 1, &text, &f.activity)?;
                text_row(ws, r, &text)?;
                for i in cat.indicators.iter().filter(|i| i.activity == a.id) {
                    r += 1;
                    ws.write_string(r, 0, &i.id)?;
                    ws.write_string_with_format(r, 1, data.lang.pick(&i.text, &i.text_en), &f.wrap)?;
                    text_row(ws, r, data.lang.pick(&i.text, &i.text_en))?;
                    ws.write_string(r, 2, i.unit_label(data.lang))?;
                    let m = rows.get(i.id.as_str()).copied();
                    let has_target = m.is_some_and(|m| m.target.is_some());
                    let figures: [(&str, u16, Option<f64>, &rust_xlsxwriter::Format, bool); 9] = [
                        ("women", 3, m.and_then(|m| m.women), &f.count, i.by_sex),
                        ("men", 4, m.and_then(|m| m.men), &f.count, i.by_sex),
                        ("total", 5, m.and_then(|m| m.total), &f.count, true),
                        ("female_share", 6, m.and_then(|m| m.female_share), &f.share, i.by_sex),
                        ("parity_index", 7, m.and_then(|m| m.parity_index), &f.ratio, i.by_sex),
                        (
                            "change_from_previous",
                            8,
                            m.and_then(|m| m.change_from_previous),
                            &f.count,
                            true,
                        ),
                        (
                            "change_from_baseline",
                            9,
                            m.and_then(|m| m.change_from_baseline),
                            &f.count,
                            true,
                        ),
                        ("target", 10, m.and_then(|m| m.target), &f.count, has_target),
                        (
                            "target_progress",
                            11,
                            m.and_then(|m| m.target_progress),
                            &f.share,
                            has_target,
                        ),
                    ];
                    for (name, c, v, fmt, applicable) in figures {
                        if !i.by_sex && (c == 3 || c == 4) && !data.public {
                            ws.write_blank(r, c, &f.grey)?;
                            continue;
                        }
                        let mark = public_mark(data.public, m, name, applicable);
                        markers |= write_marked(ws, r, c, v, mark, fmt, f)?;
                    }
                    let status = m.map_or(Status::NoData, |m| Status::from_code(&m.status));
                    let label = if m.is_some_and(|m| m.mark("status").is_some()) && data.public {
                        l(data, "Gizlendi (gizlilik)", "Suppressed (confidentiality)").to_string()
                    } else {
                        status.label(data.lang).to_string()
                    };
                    ws.write_string(r, 12, label)?;
                }
            }
        }
    }
    traffic_lights(ws, data, f, 1, r, 12)?;
    ws.autofilter(0, 0, r.max(1), 12)?;
    if markers {
        r += 2;
        ws.write_string(r, 1, markers_note(data.lang))?;
    }
    let title = page_title(data);
    apply(
        ws,
        &PrintSetup::new(&title, Orientation::Landscape, r.max(1), 12).with_header_row(0),
    )
}
