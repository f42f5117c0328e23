//! The shipped TÜİK-style inputs (`input/tuik/`): tables laid out like the real TÜİK,
//! ministry and municipal tables, holding the plan's baseline figures. Generated here so
//! they are reproducible byte for byte; a test regenerates them and compares.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, XlsxError};

use crate::sinks::xlsx::deterministic_workbook;

/// Why the shipped inputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TuikInputsError {
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// A cell of a generated table.
#[derive(Debug, Clone, Copy)]
enum V {
    /// Text.
    T(&'static str),
    /// A number.
    N(f64),
    /// Nothing (or covered by a merge).
    E,
}
use V::{E, N, T};

/// A bulletin-style table: titles, a scope/unit line, header rows with merges, data rows,
/// footer lines.
struct Table {
    sheet: &'static str,
    year: u16,
    titles: Vec<&'static str>,
    /// (column, text) on the line under the titles: `(%)`, `[15+ yaş - age]`.
    unit_line: Vec<(u16, &'static str)>,
    header: Vec<Vec<V>>,
    /// Merges inside the header, (first row, first col, last row, last col), header-relative.
    merges: Vec<(u32, u16, u32, u16)>,
    rows: Vec<Vec<V>>,
    footer: Vec<&'static str>,
    num_format: &'static str,
}

/// The 81 provinces in plate order.
pub(crate) const PROVINCES: [&str; 81] = [
    "Adana",
    "Adıyaman",
    "Afyonkarahisar",
    "Ağrı",
    "Amasya",
    "Ankara",
    "Antalya",
    "Artvin",
    "Aydın",
    "Balıkesir",
    "Bilecik",
    "Bingöl",
    "Bitlis",
    "Bolu",
    "Burdur",
    "Bursa",
    "Çanakkale",
    "Çankırı",
    "Çorum",
    "Denizli",
    "Diyarbakır",
    "Edirne",
    "Elazığ",
    "Erzincan",
    "Erzurum",
    "Eskişehir",
    "Gaziantep",
    "Giresun",
    "Gümüşhane",
    "Hakkari",
    "Hatay",
    "Isparta",
    "Mersin",
    "İstanbul",
    "İzmir",
    "Kars",
    "Kastamonu",
    "Kayseri",
    "Kırklareli",
    "Kırşehir",
    "Kocaeli",
    "Konya",
    "Kütahya",
    "Malatya",
    "Manisa",
    "Kahramanmaraş",
    "Mardin",
    "Muğla",
    "Muş",
    "Nevşehir",
    "Niğde",
    "Ordu",
    "Rize",
    "Sakarya",
    "Samsun",
    "Siirt",
    "Sinop",
    "Sivas",
    "Tekirdağ",
    "Tokat",
    "Trabzon",
    "Tunceli",
    "Şanlıurfa",
    "Uşak",
    "Van",
    "Yozgat",
    "Zonguldak",
    "Aksaray",
    "Bayburt",
    "Karaman",
    "Kırıkkale",
    "Batman",
    "Şırnak",
    "Bartın",
    "Ardahan",
    "Iğdır",
    "Yalova",
    "Karabük",
    "Kilis",
    "Osmaniye",
    "Düzce",
];

/// A plausible, deterministic figure for a province that is not İzmir.
fn filler(i: usize, k: usize, base: f64, spread: u32) -> f64 {
    let step = ((i * 37 + k * 11 + 7) % (spread as usize + 1)) as f64;
    ((base + step / 10.0) * 10.0).round() / 10.0
}

/// Province rows: İzmir's given values, the others filled in.
fn provinces(izmir: &[V], fill: impl Fn(usize, usize) -> V) -> Vec<Vec<V>> {
    PROVINCES
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![T(p)];
            if *p == "İzmir" {
                row.extend_from_slice(izmir);
            } else {
                row.extend((0..izmir.len()).map(|k| fill(i, k)));
            }
            row
        })
        .collect()
}

fn write_table(t: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut wb = deterministic_workbook(t.titles[0], t.year)?;
    let ws = wb.add_worksheet();
    ws.set_name(t.sheet)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border_bottom(FormatBorder::Thin);
    let num = Format::new().set_num_format(t.num_format);
    let mut r: u32 = 0;
    for title in &t.titles {
        ws.write_string_with_format(r, 0, *title, &bold)?;
        r += 1;
    }
    if !t.unit_line.is_empty() {
        for (c, s) in &t.unit_line {
            ws.write_string(r, *c, *s)?;
        }
        r += 1;
    }
    let h0 = r;
    for (hr, row) in t.header.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (hr, c) = (hr as u32, c as u16);
            let merge = t
                .merges
                .iter()
                .find(|m| (m.0..=m.2).contains(&hr) && (m.1..=m.3).contains(&c));
            match merge {
                Some(m) if (m.0, m.1) == (hr, c) => {
                    let text = match v {
                        T(s) => s.to_string(),
                        N(n) => n.to_string(),
                        E => String::new(),
                    };
                    ws.merge_range(h0 + m.0, m.1, h0 + m.2, m.3, &text, &head)?;
                }
                Some(_) => {}
                None => match v {
                    T(s) => {
                        ws.write_string_with_format(h0 + hr, c, *s, &head)?;
                    }
                    N(n) => {
                        ws.write_number_with_format(h0 + hr, c, *n, &head)?;
                    }
                    E => {}
                },
            }
        }
    }
    r = h0 + t.header.len() as u32;
    for row in &t.rows {
        for (c, v) in row.iter().enumerate() {
            match v {
                T(s) => {
                    ws.write_string(r, c as u16, *s)?;
                }
                N(n) => {
                    ws.write_number_with_format(r, c as u16, *n, &num)?;
                }
                E => {}
            }
        }
        r += 1;
    }
    r += 1;
    for line in &t.footer {
        ws.write_string(r, 0, *line)?;
        r += 1;
    }
    ws.set_column_width(0, 42)?;
    wb.save_to_buffer()
}

const SEX_HEADER: [V; 3] = [T("Toplam\nTotal"), T("Erkek\nMale"), T("Kadın\nFemale")];

fn tables() -> Vec<(&'static str, Table)> {
    let mut out = Vec::new();

    // Shape 1, provinces down, sex as columns under two merged measure groups.
    let mut header0 = vec![
        T("İl\nProvince"),
        T("İşgücüne katılma oranı\nLabour force participation rate"),
        E,
        E,
        E,
    ];
    header0.extend([T("İstihdam oranı\nEmployment rate"), E, E]);
    let mut header1 = vec![E];
    header1.extend(SEX_HEADER);
    header1.push(E);
    header1.extend(SEX_HEADER);
    let mut rows = vec![vec![
        T("Türkiye"),
        N(49.3),
        N(70.3),
        N(28.7),
        E,
        N(42.9),
        N(60.9),
        N(25.3),
    ]];
    rows.extend(provinces(
        &[N(51.6), N(69.0), N(34.7), E, N(42.8), N(58.9), N(27.2)],
        |i, k| match k {
            3 => E,
            0 | 4 => N(filler(i, k, 44.0, 90)),
            1 | 5 => N(filler(i, k, 60.0, 120)),
            _ => N(filler(i, k, 20.0, 150)),
        },
    ));
    out.push((
        "isgucu_il_2020.xlsx",
        Table {
            sheet: "t12",
            year: 2020,
            titles: vec![
                "İllere göre temel işgücü göstergeleri, 2020",
                "Main labour force indicators by province, 2020",
            ],
            unit_line: vec![(0, "[15+ yaş - age]"), (7, "(%)")],
            header: vec![header0, header1],
            merges: vec![(0, 0, 1, 0), (0, 1, 0, 3), (0, 5, 0, 7)],
            rows,
            footer: vec![
                "Kaynak: TÜİK, Hanehalkı İşgücü Araştırması, 2020",
                "Source: TurkStat, Household Labour Force Survey, 2020",
                "(1) İl düzeyindeki tahminler 3 yıllık ortalamalardır.",
                "(1) Provincial estimates are 3-year averages.",
            ],
            num_format: "0.0",
        },
    ));

    // Shape 2, education levels down, years across, sex under each year, spacer columns.
    let mut h0 = vec![T("Eğitim durumu\nEducational attainment")];
    let mut h1 = vec![E];
    let mut merges = vec![(0, 0, 1, 0)];
    for (k, y) in [2018.0, 2019.0, 2020.0].iter().enumerate() {
        let c = 1 + 4 * k as u16;
        h0.extend([N(*y), E, E, E]);
        h1.extend(SEX_HEADER);
        h1.push(E);
        merges.push((0, c, 0, c + 2));
    }
    let level = |label: &'static str, y18: [V; 3], y19: [V; 3], y20: [V; 3]| {
        let mut r = vec![T(label)];
        for y in [y18, y19, y20] {
            r.extend(y);
            r.push(E);
        }
        r
    };
    out.push((
        "isgucu_egitim_izmir_2018-2020.xlsx",
        Table {
            sheet: "t7",
            year: 2020,
            titles: vec![
                "Eğitim durumu ve cinsiyete göre işgücüne katılma oranı, İzmir, 2018-2020",
                "Labour force participation rate by educational attainment and sex, İzmir, 2018-2020",
            ],
            unit_line: vec![(0, "[15+ yaş - age]"), (11, "(%)")],
            header: vec![h0, h1],
            merges,
            rows: vec![
                level(
                    "Toplam-Total",
                    [N(53.1), N(70.2), N(36.6)],
                    [N(52.6), N(70.0), N(36.1)],
                    [N(51.6), N(69.0), N(34.7)],
                ),
                level(
                    "Okuma yazma bilmeyen                        \nIlliterate",
                    [N(18.2), N(36.0), N(11.4)],
                    [N(17.9), N(35.5), N(11.0)],
                    [T(".."), N(35.1), N(10.6)],
                ),
                level(
                    "Lise altı eğitimli\nLess than high school",
                    [N(46.0), N(66.1), N(26.4)],
                    [N(45.7), N(65.8), N(26.0)],
                    [N(44.9), N(65.0), N(25.3)],
                ),
                level(
                    "Genel lise ve mesleki veya teknik lise\nGeneral or vocational high school",
                    [N(56.3), N(71.5), N(39.0)],
                    [N(56.0), N(71.2), N(38.6)],
                    [N(55.4), N(70.8), N(37.8)],
                ),
                level(
                    "Yükseköğretim\nHigher education",
                    [N(74.8), N(81.0), N(67.5)],
                    [N(74.4), N(80.6), N(67.0)],
                    [N(73.5), N(79.9), N(66.1)],
                ),
            ],
            footer: vec![
                "Kaynak: TÜİK, Hanehalkı İşgücü Araştırması",
                "Source: TurkStat, Household Labour Force Survey",
                ".. Güvenilirlik sınırının altında. / Below the reliability threshold.",
            ],
            num_format: "0.0",
        },
    ));

    // Shape 1 with sex as stacked row blocks (section rows), years across.
    let block = |sex: &'static str, rows: [(&'static str, V, V); 5]| {
        let mut v = vec![vec![T(sex)]];
        v.extend(rows.iter().map(|(l, a, b)| vec![T(l), *a, *b]));
        v
    };
    let l = [
        "Okuma yazma bilmeyen nüfus oranı (15+ yaş, %)\nIlliterate population (15+, %)",
        "İlköğretimde net okullaşma oranı (%)\nNet enrolment rate, primary education (%)",
        "Ortaöğretimde net okullaşma oranı (%)\nNet enrolment rate, secondary education (%)",
        "Lise mezunu oranı (15+ yaş, %)\nHigh school graduates (15+, %)",
        "Yükseköğretim mezunu oranı (15+ yaş, %)\nHigher education graduates (15+, %)",
    ];
    let mut rows = block(
        "Toplam-Total",
        [
            (l[0], N(1.24), N(1.21)),
            (l[1], N(93.61), N(93.83)),
            (l[2], N(91.02), N(91.57)),
            (l[3], N(25.40), N(25.62)),
            (l[4], N(21.02), N(21.48)),
        ],
    );
    rows.extend(block(
        "Erkek-Male",
        [
            (l[0], N(0.41), N(0.38)),
            (l[1], N(93.30), N(93.73)),
            (l[2], N(90.35), N(90.97)),
            (l[3], N(27.31), N(27.66)),
            (l[4], N(22.80), N(23.13)),
        ],
    ));
    rows.extend(block(
        "Kadın-Female",
        [
            (l[0], T("2,09"), T("2,04")),
            (l[1], N(93.71), T("93,94")),
            (l[2], N(91.72), N(92.21)),
            (l[3], N(23.47), N(23.64)),
            (l[4], N(19.33), N(19.87)),
        ],
    ));
    out.push((
        "egitim_gostergeleri_izmir_2019-2020.xlsx",
        Table {
            sheet: "Tablo 3",
            year: 2020,
            titles: vec![
                "Ulusal eğitim istatistikleri, İzmir, 2019-2020",
                "National education statistics, İzmir, 2019-2020",
            ],
            unit_line: vec![],
            header: vec![
                vec![T("Gösterge - Indicator"), T("Yıllar - Years"), E],
                vec![E, N(2019.0), N(2020.0)],
            ],
            merges: vec![(0, 0, 1, 0), (0, 1, 0, 2)],
            rows,
            footer: vec![
                "Kaynak: TÜİK, Ulusal Eğitim İstatistikleri",
                "Source: TurkStat, National Education Statistics",
            ],
            num_format: "0.00",
        },
    ));

    // Academic years down, two merged groups with sex columns.
    let mut h1 = vec![E];
    h1.extend(SEX_HEADER);
    h1.push(E);
    h1.extend(SEX_HEADER);
    out.push((
        "yuksekogretim_ogrenci_izmir.xlsx",
        Table {
            sheet: "Öğrenci",
            year: 2021,
            titles: vec![
                "Öğrenim düzeyi ve cinsiyete göre yükseköğretim öğrenci sayısı, İzmir",
                "Students in higher education by level and sex, İzmir",
            ],
            unit_line: vec![],
            header: vec![
                vec![
                    T("Öğretim yılı\nAcademic year"),
                    T("Önlisans ve lisans\nAssociate and bachelor's"),
                    E,
                    E,
                    E,
                    T("Yüksek lisans ve doktora\nMaster's and doctorate"),
                    E,
                    E,
                ],
                h1,
            ],
            merges: vec![(0, 0, 1, 0), (0, 1, 0, 3), (0, 5, 0, 7)],
            rows: vec![
                vec![
                    T("2018/'19"),
                    N(149_212.0),
                    N(80_601.0),
                    N(68_611.0),
                    E,
                    N(84_118.0),
                    N(43_527.0),
                    N(40_591.0),
                ],
                vec![
                    T("2019/'20"),
                    N(151_377.0),
                    N(81_755.0),
                    N(69_622.0),
                    E,
                    N(88_904.0),
                    N(45_662.0),
                    N(43_242.0),
                ],
                vec![
                    T("2020/'21"),
                    N(153_930.0),
                    N(82_732.0),
                    N(71_198.0),
                    E,
                    N(92_409.0),
                    N(47_007.0),
                    N(45_402.0),
                ],
            ],
            footer: vec![
                "Kaynak: TÜİK, Ulusal Eğitim İstatistikleri (YÖK verileri)",
                "Source: TurkStat, National Education Statistics (CoHE data)",
            ],
            num_format: "#,##0",
        },
    ));

    // Years down, sex as columns, a revised year with a footnote marker, text numbers.
    let mut header = vec![T("Yıl\nYear")];
    header.extend(SEX_HEADER);
    out.push((
        "evlenme_izmir_2016-2020.xlsx",
        Table {
            sheet: "t3",
            year: 2020,
            titles: vec![
                "Cinsiyete göre ortalama ilk evlenme yaşı, İzmir, 2016-2020",
                "Mean age at first marriage by sex, İzmir, 2016-2020",
            ],
            unit_line: vec![(3, "(Yaş - Age)")],
            header: vec![header],
            merges: vec![],
            rows: vec![
                vec![N(2016.0), N(27.0), N(28.4), N(25.6)],
                vec![N(2017.0), N(27.1), N(28.5), N(25.7)],
                vec![N(2018.0), N(27.3), N(28.6), N(25.9)],
                vec![N(2019.0), N(27.4), N(28.7), N(26.1)],
                vec![T("2020(r)"), T("27,6"), T("28,9"), T("26,2")],
            ],
            footer: vec![
                "Kaynak: TÜİK, Evlenme ve Boşanma İstatistikleri",
                "Source: TurkStat, Marriage and Divorce Statistics",
                "(r) Revize edilmiştir. / Revised.",
            ],
            num_format: "0.0",
        },
    ));

    // Years across, no sex.
    out.push((
        "dogum_olum_izmir_2017-2020.xlsx",
        Table {
            sheet: "t1",
            year: 2020,
            titles: vec![
                "Doğum ve ölüm göstergeleri, İzmir, 2017-2020",
                "Birth and death indicators, İzmir, 2017-2020",
            ],
            unit_line: vec![],
            header: vec![vec![
                T("Gösterge\nIndicator"),
                N(2017.0),
                N(2018.0),
                N(2019.0),
                N(2020.0),
            ]],
            merges: vec![],
            rows: vec![
                vec![
                    T("Kaba doğum hızı (‰)\nCrude birth rate (‰)"),
                    N(12.9),
                    N(12.1),
                    N(11.1),
                    N(10.1),
                ],
                vec![
                    T("Kaba ölüm hızı (‰)\nCrude death rate (‰)"),
                    N(6.2),
                    N(6.1),
                    N(6.3),
                    N(7.4),
                ],
                vec![
                    T("Toplam doğurganlık hızı (çocuk)\nTotal fertility rate (children)"),
                    N(1.63),
                    N(1.56),
                    N(1.49),
                    N(1.41),
                ],
            ],
            footer: vec![
                "Kaynak: TÜİK, Doğum İstatistikleri; Ölüm ve Ölüm Nedeni İstatistikleri",
                "Source: TurkStat, Birth Statistics; Death and Cause of Death Statistics",
            ],
            num_format: "0.0",
        },
    ));

    // 81 provinces: growth and migration, text numbers with Turkish thousands.
    let mut rows = vec![vec![
        T("Türkiye"),
        N(13.9),
        T("2.782.315"),
        T("2.782.315"),
        T("0"),
        N(0.0),
    ]];
    rows.extend(provinces(
        &[N(13.9), T("150.240"), T("128.590"), T("21.650"), N(4.93)],
        |i, k| match k {
            0 => N(filler(i, k, 2.0, 200)),
            4 => N(filler(i, k, -8.0, 160)),
            _ => T("12.345"),
        },
    ));
    out.push((
        "nufus_artis_goc_il_2018-2019.xlsx",
        Table {
            sheet: "İl",
            year: 2019,
            titles: vec![
                "İllere göre yıllık nüfus artış hızı ve net göç hızı, 2018-2019",
                "Annual population growth rate and rate of net migration by province, 2018-2019",
            ],
            unit_line: vec![],
            header: vec![vec![
                T("İl\nProvince"),
                T("Yıllık nüfus artış hızı (‰)\nAnnual population growth rate (‰)"),
                T("Aldığı göç\nIn-migration"),
                T("Verdiği göç\nOut-migration"),
                T("Net göç\nNet migration"),
                T("Net göç hızı (‰)\nRate of net migration (‰)"),
            ]],
            merges: vec![],
            rows,
            footer: vec![
                "Kaynak: TÜİK, Adrese Dayalı Nüfus Kayıt Sistemi Sonuçları",
                "Source: TurkStat, Address Based Population Registration System",
            ],
            num_format: "0.00",
        },
    ));

    // 81 provinces: SEGE-2011 ranking (ministry).
    let mut ranks: Vec<Vec<V>> = Vec::new();
    let mut next = 4.0;
    for (i, p) in PROVINCES.iter().enumerate() {
        let rank = match *p {
            "İstanbul" => 1.0,
            "Ankara" => 2.0,
            "İzmir" => 3.0,
            _ => {
                next += 1.0;
                next - 1.0
            }
        };
        ranks.push(vec![T(p), N(rank), N(filler(i, 0, -1.5, 40))]);
    }
    out.push((
        "sege_il_2011.xlsx",
        Table {
            sheet: "SEGE-2011",
            year: 2013,
            titles: vec![
                "İllerin sosyo-ekonomik gelişmişlik sıralaması (SEGE-2011)",
                "Socio-economic development ranking of provinces (SEGE-2011)",
            ],
            unit_line: vec![],
            header: vec![vec![
                T("İl\nProvince"),
                T("Sıra\nRank"),
                T("Endeks değeri\nIndex value"),
            ]],
            merges: vec![],
            rows: ranks,
            footer: vec!["Kaynak: T.C. Kalkınma Bakanlığı, SEGE-2011 (2013)"],
            num_format: "0.00",
        },
    ));

    // Ministry: health institutions (one column), and maternal and child health (years across).
    let facility = |l: &'static str, n: f64| vec![T(l), N(n)];
    out.push((
        "saglik_kurumlari_izmir_2019.xlsx",
        Table {
            sheet: "Kurumlar",
            year: 2019,
            titles: vec![
                "İzmir İl Sağlık Müdürlüğü, sağlık kurum ve birimleri, 2019",
                "İzmir Provincial Health Directorate, health institutions and units, 2019",
            ],
            unit_line: vec![],
            header: vec![vec![T("Kurum / birim\nInstitution / unit"), T("Sayı\nNumber")]],
            merges: vec![],
            rows: vec![
                facility("Kamu hastanesi", 28.0),
                facility("Üniversite hastanesi", 2.0),
                facility("Belediye hastanesi", 1.0),
                facility("Özel hastane", 30.0),
                vec![],
                facility("Toplum sağlığı merkezi", 2.0),
                vec![T("Aile hekimliği birimi"), T("1.358")],
                facility("Aile sağlığı merkezi", 378.0),
                facility("Ana çocuk sağlığı ve aile planlaması (AÇSAP) merkezi", 14.0),
                facility("Bölgesel üreme sağlığı eğitim merkezi (USBEM)", 1.0),
                facility("Üreme sağlığı merkezi", 2.0),
                facility("Verem savaş dispanseri", 9.0),
                facility("Kanser erken teşhis, tarama ve eğitim merkezi (KETEM)", 5.0),
            ],
            footer: vec!["Kaynak: İzmir İl Sağlık Müdürlüğü, 2019"],
            num_format: "#,##0",
        },
    ));
    out.push((
        "ana_cocuk_sagligi_izmir_2012-2019.xlsx",
        Table {
            sheet: "t1",
            year: 2019,
            titles: vec![
                "Ana ve çocuk sağlığı göstergeleri, İzmir, 2012-2019",
                "Maternal and child health indicators, İzmir, 2012-2019",
            ],
            unit_line: vec![],
            header: vec![vec![T("Gösterge\nIndicator"), N(2012.0), N(2015.0), N(2019.0)]],
            merges: vec![],
            rows: vec![
                vec![
                    T("Bebek ölüm hızı (‰)\nInfant mortality rate (‰)"),
                    N(6.8),
                    N(7.1),
                    N(6.7),
                ],
                vec![
                    T("Adölesan (15-19 yaş) doğum sayısı\nBirths to mothers aged 15-19"),
                    T("-"),
                    N(2205.0),
                    N(1701.0),
                ],
                vec![
                    T("Adölesan doğurganlık hızı (‰)\nAdolescent fertility rate (‰)"),
                    T("-"),
                    N(17.9),
                    N(13.2),
                ],
            ],
            footer: vec![
                "Kaynak: İzmir İl Sağlık Müdürlüğü; TÜİK, Doğum İstatistikleri",
                "- Bilgi yoktur. / Denotes magnitude null.",
            ],
            num_format: "0.0",
        },
    ));

    // Ministry: violence against women (sex columns, empty where not applicable).
    let mut header = vec![T("Gösterge\nIndicator")];
    header.extend([T("Kadın\nFemale"), T("Erkek\nMale"), T("Toplam\nTotal")]);
    out.push((
        "kys_izmir_2020.xlsx",
        Table {
            sheet: "KYŞ",
            year: 2020,
            titles: vec![
                "Kadına yönelik şiddetle mücadele il verileri, İzmir, 2020",
                "Combating violence against women, provincial data, İzmir, 2020",
            ],
            unit_line: vec![],
            header: vec![header],
            merges: vec![],
            rows: vec![
                vec![T("Kadın cinayeti (kişi)"), N(24.0), E, N(24.0)],
                vec![T("6284 sayılı Kanun kapsamında koruyucu tedbir kararı"), E, E, T("10.336")],
                vec![T("6284 sayılı Kanun kapsamında önleyici tedbir kararı"), E, E, T("19.830")],
                vec![T("Kadın konukevi (sığınmaevi) sayısı"), E, E, N(6.0)],
                vec![T("Bakanlığa bağlı kadın konukevi"), E, E, N(3.0)],
                vec![T("Belediyelere bağlı kadın konukevi"), E, E, N(3.0)],
            ],
            footer: vec![
                "Kaynak: Aile ve Sosyal Hizmetler Bakanlığı, KYŞ İl Koordinasyon İzleme ve Değerlendirme Komisyonu Raporu, 2020",
            ],
            num_format: "#,##0",
        },
    ));

    // Representation (TÜİK, municipal).
    let mut header = vec![T("Meclis\nAssembly")];
    header.extend([T("Kadın\nFemale"), T("Erkek\nMale"), T("Toplam\nTotal")]);
    out.push((
        "temsil_2021.xlsx",
        Table {
            sheet: "Temsil",
            year: 2021,
            titles: vec![
                "TBMM ve İzmir Büyükşehir Belediye Meclisi üyelerinin cinsiyete göre dağılımı, 2021",
                "Members of the Grand National Assembly and of the İzmir Metropolitan Council by sex, 2021",
            ],
            unit_line: vec![],
            header: vec![header],
            merges: vec![],
            rows: vec![
                vec![
                    T("TBMM milletvekili (Türkiye)\nMembers of parliament (Türkiye)"),
                    N(101.0),
                    N(483.0),
                    N(584.0),
                ],
                vec![
                    T("İzmir Büyükşehir Belediye Meclisi üyesi\nMetropolitan council members"),
                    N(30.0),
                    N(146.0),
                    N(176.0),
                ],
            ],
            footer: vec!["Kaynak: TÜİK, Adalet ve Seçim İstatistikleri (05/03/2021); İzmir Büyükşehir Belediyesi"],
            num_format: "#,##0",
        },
    ));

    // Shape 4: the municipal administrative table.
    let row = |l: &'static str, p: &'static str, k: V, e: V, t: V| vec![T(l), T(p), k, e, t];
    out.push((
        "kadin_calismalari_sube_2019-2022.xlsx",
        Table {
            sheet: "Veriler",
            year: 2022,
            titles: vec![
                "İzmir Büyükşehir Belediyesi Kadın Çalışmaları Şube Müdürlüğü faaliyet verileri, 2019-2022",
                "İzmir Metropolitan Municipality, Women's Studies Branch, activity data, 2019-2022",
            ],
            unit_line: vec![],
            header: vec![vec![
                T("Faaliyet / gösterge"),
                T("Dönem"),
                T("Kadın"),
                T("Erkek"),
                T("Toplam"),
            ]],
            merges: vec![],
            rows: vec![
                vec![T("Katılım")],
                row("TCE komisyonu kararı", "2019-2021", E, E, N(56.0)),
                row("STK'larla imzalanan protokol", "2019-2021", E, E, N(9.0)),
                row(
                    "Anahtar merkezinin STK'larla ortak çalışmalarına katılan kadın",
                    "2021",
                    N(312.0),
                    E,
                    E,
                ),
                row("Kadın forumlarına katılan kişi", "2021", E, E, N(250.0)),
                vec![],
                vec![T("Şiddetle mücadele")],
                row("Kadın destek hattını arayan kadın", "2019-2021", T("4.358"), E, E),
                row("Kadın danışma merkezi bulunan ilçe", "2021", E, E, N(20.0)),
                row("Kadın sığınmaevinden yararlanan kadın", "2019-2021", N(197.0), E, E),
                row("Kadın sığınmaevinden yararlanan çocuk", "2019-2021", E, E, N(191.0)),
                row(
                    "Erkeklerin TCE'ye katılımı eğitimine katılan personel",
                    "2022",
                    E,
                    N(57.0),
                    N(57.0),
                ),
                vec![],
                vec![T("Kentsel hizmetler")],
                row("Anahtar merkezinden hizmet alan kadın", "2021", T("1.210"), E, E),
                row(
                    "Kent ve körfez gezilerine katılan kadın",
                    "2019-2021",
                    T("20.452"),
                    E,
                    E,
                ),
                row("Güvenlik butonu eklenen vapur", "2021", E, E, N(20.0)),
                row("Güvenlik ve acil durum butonu eklenen otobüs", "2021", E, E, T("1.436")),
                row("Otobüs durağı (şeffaf panelli)", "2021", E, E, T("9.000")),
                row("Düzenlenen açık alan, park ve rekreasyon alanı", "2020", E, E, N(28.0)),
                row("Düzenlenen açık alan, park ve rekreasyon alanı", "2021", E, E, N(30.0)),
                row(
                    "Düzenlenen açık alan, park ve rekreasyon alanı",
                    "2020-2021",
                    E,
                    E,
                    N(58.0),
                ),
                vec![],
                vec![T("Eğitim")],
                row(
                    "İlçelerde TCE ve farkındalık eğitimlerine katılan kadın",
                    "2019-2021",
                    N(450.0),
                    E,
                    E,
                ),
                row(
                    "TCE, kadın sağlığı ve şiddetle mücadele eğitimlerine katılan kadın",
                    "2019-2021",
                    T("5.622"),
                    E,
                    E,
                ),
                row("Masal Evi", "2021", E, E, N(11.0)),
                row("İZELMAN anaokulu", "2021", E, E, N(13.0)),
                row("PERGEL projesine katılan kişi", "2021", E, E, T("1.034")),
                row("TCE eğitimi verilen şoför", "2019-2020", E, T("1.079"), T("1.079")),
                row("Şoförlere yönelik TCE eğitimi oturumu", "2019-2020", E, E, N(9.0)),
                row("Dağıtılan eğitim materyali", "2020-2021", E, E, T("8.761")),
                vec![],
                vec![T("İstihdam")],
                row("Halkın Bakkalı satış noktası", "2021", E, E, N(9.0)),
                row("Genel sekreter yardımcısı", "2021", N(1.0), E, E),
                row("Daire başkanı", "2021", N(14.0), E, E),
                row("Müdür", "2021", N(83.0), E, E),
                row("Şef", "2021", N(100.0), E, E),
                row(
                    "Kadın yöneticilerin erkek yöneticilere oranı (%)",
                    "2021",
                    N(40.0),
                    E,
                    E,
                ),
                row(
                    "Kadın istihdamındaki artış, 2019'dan bu yana (%)",
                    "2019-2021",
                    N(40.0),
                    E,
                    E,
                ),
            ],
            footer: vec![
                "Kaynak: İzmir Büyükşehir Belediyesi, Kadın Çalışmaları Şube Müdürlüğü (2019-2021 kısmi veriler)",
                "Not. Yönetici sayıları kadın yöneticilerdir.",
            ],
            num_format: "#,##0",
        },
    ));
    out
}

/// The biruni-style HTML export (windows-1254, `.` thousands, colspan/rowspan, nested table).
fn representatives_html() -> Vec<u8> {
    let td = |s: &str| format!("<TD ALIGN=\"right\" DIR=\"LTR\"><SPAN STYLE=\"FONT-SIZE: 8pt\">{s}</SPAN></TD>\n");
    let mut body = String::new();
    body.push_str("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"\nxmlns:x=\"urn:schemas-microsoft-com:office:excel\"\nxmlns=\"http://www.w3.org/TR/REC-html40\"\n> <head>\n");
    body.push_str("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1254\">\n<META http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-9\">\n</head><head>\n<title>01-03-2022-10:12:40-yeep</title>\n");
    body.push_str("<!--[if gte mso 9]><xml>\n<o:DocumentProperties>\n<o:Author>Oracle Reports</o:Author>\n</o:DocumentProperties>\n</xml><![endif]-->\n");
    body.push_str("<!--[if gte mso 9]><xml>\n<x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>\n<x:Name>01-03-2022-10:12:40-yeep</x:Name>\n</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>\n</xml><![endif]-->\n</head>\n<body>\n");
    body.push_str("<p align=\"center\"><strong>TÜRKİYE İSTATİSTİK KURUMU</strong></p>\n<p align=\"center\"><strong><small>MAHALLİ İDARELER SEÇİMİ VERİ TABANI</small></strong></p>\n<hr size=5 noshade>");
    body.push_str("<TABLE ><TR>\n<TD ALIGN=\"left\" DIR=\"LTR\">Cinsiyete göre seçilmiş yerel temsilciler</TD>\n</TR>\n</TABLE>\n");
    body.push_str("<TABLE border=\"0\" cellspacing=\"0\" width=\"100%\"><TR>\n<TD ALIGN=\"left\" DIR=\"LTR\">İzmir</TD>\n<TD ALIGN=\"left\" DIR=\"LTR\">&nbsp;</TD>\n</TR>\n<TR>\n<TD COLSPAN=\"2\"><TABLE border=\"0\" cellspacing=\"0\" width=\"100%\"><TR>\n");
    body.push_str("<TD COLSPAN=\"2\" ROWSPAN=\"2\" ALIGN=\"left\">Temsilci</TD>\n<TD COLSPAN=\"3\" ALIGN=\"center\">2019</TD>\n<TD COLSPAN=\"3\" ALIGN=\"center\">2021</TD>\n</TR>\n<TR>\n");
    for _ in 0..2 {
        for s in ["Erkek", "Kadın", "Toplam"] {
            body.push_str(&td(s));
        }
    }
    body.push_str("</TR>\n");
    for (label, values) in [
        (
            "Belediye başkanı (ilçe)",
            ["      26", "       4", " 30", "      26", "       4", " 30"],
        ),
        (
            "Muhtar",
            ["      ..", "      ..", " ..", "   1.223", "     121", " 1.344"],
        ),
    ] {
        body.push_str(&format!(
            "<TR>\n<TD ALIGN=\"left\" DIR=\"LTR\">{label}</TD>\n<TD ALIGN=\"left\" DIR=\"LTR\">&nbsp;</TD>\n"
        ));
        for v in values {
            body.push_str(&td(v));
        }
        body.push_str("</TR>\n");
    }
    body.push_str("</TABLE>\n</TD>\n</TR>\n</TABLE>\n<TABLE ><TR>\n<TD ALIGN=\"left\" DIR=\"LTR\">Not. Muhtar sayıları 2021 yılı itibarıyla İzmir Büyükşehir Belediyesi kayıtlarındandır.</TD>\n</TR>\n</TABLE>\n</body></html>\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(&body);
    bytes.into_owned()
}

/// The SDMX-CSV export of the data portal (UTF-8 BOM, `;`, CRLF, decimal comma).
fn population_sdmx() -> Vec<u8> {
    let mut s = String::from("\u{feff}REF_AREA;Coğrafi Kapsam;FREQ;Gözlem Sıklığı;INDICATOR;İstatistiksel Gösterge (NG_ADNKS);IKAMET_YERI;İkamet edilen yer;CINSIYET;Cinsiyet;ADNKS_GOSTERGE;ADNKS Gösterge;Zaman (TIME_PERIOD);Gözlem;OBS_STATUS;Gözlem Durumu;UNIT_MULT;Birim Çarpanı\r\n");
    let areas = [
        (
            "TR",
            "Türkiye",
            [
                (83_154_997.0, 41_442_711.0, 41_712_286.0),
                (83_614_362.0, 41_698_377.0, 41_915_985.0),
            ],
        ),
        (
            "TR100",
            "İstanbul",
            [
                (15_519_267.0, 7_778_145.0, 7_741_122.0),
                (15_462_452.0, 7_739_124.0, 7_723_328.0),
            ],
        ),
        (
            "TR310",
            "İzmir",
            [
                (4_367_251.0, 2_192_513.0, 2_174_738.0),
                (4_394_694.0, 2_206_576.0, 2_188_118.0),
            ],
        ),
        (
            "TR510",
            "Ankara",
            [
                (5_639_076.0, 2_847_366.0, 2_791_710.0),
                (5_663_322.0, 2_858_904.0, 2_804_418.0),
            ],
        ),
    ];
    let shares = |a: &str, y: usize| -> (&'static str, &'static str, &'static str, &'static str) {
        match (a, y) {
            ("TR310", 1) => ("50,21", "49,79", "13,1", "11,3"),
            ("TR310", _) => ("50,20", "49,80", "13,4", "10,9"),
            (_, 1) => ("49,87", "50,13", "15,8", "9,5"),
            _ => ("49,84", "50,16", "16,1", "9,1"),
        }
    };
    for (code, name, years) in areas {
        for (y, (t, f, m)) in years.iter().enumerate() {
            let year = 2019 + y;
            let (fs, ms, u25, o65) = shares(code, y);
            let line = |sex: &str, sex_l: &str, ind: &str, ind_l: &str, v: &str| {
                format!("TR;Türkiye;A;Yıllık;NG_ADNKS;Adrese Dayalı Nüfus Kayıt Sistemi;{code};{name};{sex};{sex_l};{ind};{ind_l};{year};{v};;;;\r\n")
            };
            s.push_str(&line("_T", "Toplam", "NUFUS", "Nüfus", &format!("{t}")));
            s.push_str(&line("F", "Kadın", "NUFUS", "Nüfus", &format!("{f}")));
            s.push_str(&line("M", "Erkek", "NUFUS", "Nüfus", &format!("{m}")));
            s.push_str(&line("F", "Kadın", "NUFUS_ORANI", "Nüfus içindeki pay (%)", fs));
            s.push_str(&line("M", "Erkek", "NUFUS_ORANI", "Nüfus içindeki pay (%)", ms));
            s.push_str(&line(
                "_T",
                "Toplam",
                "YAS_25_ALTI_ORANI",
                "25 yaş altı nüfusun payı (%)",
                u25,
            ));
            s.push_str(&line(
                "_T",
                "Toplam",
                "YAS_65_USTU_ORANI",
                "65 yaş ve üzeri nüfusun payı (%)",
                o65,
            ));
        }
    }
    s.into_bytes()
}

/// The shipped files: (file name, bytes), in a fixed order.
///
/// # Errors
///
/// [`XlsxError`] if a workbook cannot be built.
pub fn shipped_tuik_files() -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let mut out = Vec::new();
    for (name, t) in tables() {
        out.push((name.to_string(), write_table(&t)?));
    }
    out.push((
        "secilmis_temsilciler_izmir_2019-2021.xls".into(),
        representatives_html(),
    ));
    out.push(("adnks_il_nufus_2019-2020.csv".into(), population_sdmx()));
    Ok(out)
}

/// Writes the shipped TÜİK-style inputs into `dir` (created if needed).
///
/// # Errors
///
/// [`TuikInputsError`] when a workbook cannot be built or a file written.
///
/// # Examples
///
/// ```no_run
/// yeep::demo::tuik_inputs::write_shipped_tuik("input/tuik".as_ref()).unwrap();
/// ```
pub fn write_shipped_tuik(dir: &Path) -> Result<Vec<PathBuf>, TuikInputsError> {
    std::fs::create_dir_all(dir).map_err(|source| TuikInputsError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in shipped_tuik_files()? {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| TuikInputsError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
