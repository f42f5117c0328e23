#!/usr/bin/env python3
"""The reference pipeline (docs/benchmarks.md): what a statistics unit would otherwise
write in Python to do yeep's core job on the same inputs — pandas with openpyxl reading,
the same normalisation (Turkish folding, Turkish/English number parsing), the checks
(Kadın + Erkek ≠ Toplam, negatives, unknown district), the resubmission rule (latest
Tarih wins), metrics (women / men / total, female share, parity per indicator × district
and city-wide) and outputs with XlsxWriter (workbook with data, metrics and issues
sheets, per period) and pyarrow (Parquet) plus CSV.

Deliberately straightforward, idiomatic pandas: one read_excel per sheet, row loops
where the logic is per row. It does less than yeep (no templates' hidden checks, no
disclosure control, no TÜİK layout discovery: it reads every TÜİK workbook's first sheet
and takes İzmir's all-ages row of the national tables; .ods and HTML tables are skipped),
so the comparison is generous to it.

usage: reference.py INPUT_DIR OUTPUT_DIR CATALOGUE_DIR
"""

import re
import sys
import tomllib
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CITY_WIDE = "İzmir Geneli"


def fold(s):
    """Turkish lower-casing, diacritics stripped, white space collapsed."""
    s = str(s).replace("İ", "i").replace("I", "ı").lower()
    s = s.replace("ı", "i")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " ".join(s.split())


NUM_TR = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")


def parse_number(v):
    """A cell as a number: numbers as is; text the Turkish (1.234 / 12,5) or English way."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if s in ("", "-", "..", "...", "x"):
        return None
    if NUM_TR.match(s):
        s = s.replace(".", "").replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return "NaN-text"


def load_districts(cat_dir):
    with open(cat_dir / "districts.toml", "rb") as f:
        d = tomllib.load(f)
    out = {}
    for x in d["district"]:
        out[fold(x["name"])] = x["name"]
        for a in x.get("aliases", []):
            out[fold(a)] = x["name"]
    out[fold(CITY_WIDE)] = CITY_WIDE
    return out


HEADERS = {
    "gosterge kodu": "id", "ilce": "district", "kadin": "female", "erkek": "male",
    "toplam": "total",
}


def read_submission(path, period, districts):
    book = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    info = {}
    for name, df in book.items():
        if fold(name) == "bilgi":
            for _, row in df.iterrows():
                if len(row) > 1 and isinstance(row[0], str):
                    info[fold(row[0]).rstrip(":")] = row[1]
    data = next((df for name, df in book.items() if fold(name) == "veri"), None)
    obs, issues = [], []
    if data is None:
        return info, obs, [(str(path), "", "header-missing")]
    # The header: the first row with "Gösterge Kodu".
    header_row, cols = None, {}
    for i, row in data.iterrows():
        labels = {j: HEADERS.get(fold(v)) for j, v in enumerate(row) if isinstance(v, str)}
        if "id" in labels.values():
            header_row, cols = i, {v: j for j, v in labels.items() if v}
            break
    if header_row is None:
        return info, obs, [(str(path), "", "header-missing")]
    unit = str(info.get("birim kodu", ""))
    for i in range(header_row + 1, len(data)):
        row = data.iloc[i]
        ind = row[cols["id"]]
        if not isinstance(ind, str) or not ind.strip():
            continue
        district = CITY_WIDE
        if "district" in cols and isinstance(row[cols["district"]], str):
            d = districts.get(fold(row[cols["district"]]))
            if d is None:
                issues.append((str(path), ind, "district-unknown"))
                continue
            district = d
        values = {}
        for sex in ("female", "male", "total"):
            if sex in cols:
                v = parse_number(row[cols[sex]])
                if v == "NaN-text":
                    issues.append((str(path), ind, "value-not-numeric"))
                elif v is not None:
                    if v < 0:
                        issues.append((str(path), ind, "value-negative"))
                    else:
                        values[sex] = v
        if "female" in values and "male" in values:
            if "total" not in values:
                values["total"] = values["female"] + values["male"]
            elif abs(values["female"] + values["male"] - values["total"]) > 1e-9:
                issues.append((str(path), ind, "sum-mismatch"))
                continue
        for sex, v in values.items():
            obs.append((period, ind.strip(), unit, district, sex, v, str(path), f"R{i + 1}"))
    return info, obs, issues


def read_tuik(tuik_dir):
    obs = []
    for path in sorted(tuik_dir.rglob("*")):
        if path.suffix == ".csv":
            pd.read_csv(path, sep=None, engine="python")
        elif path.suffix == ".xlsx":
            df = pd.read_excel(path, sheet_name=0, header=None, engine="openpyxl")
            if "ulusal" in path.parts:
                year = re.search(r"(\d{4})", path.name).group(1)
                for _, row in df.iterrows():
                    if isinstance(row[0], str) and fold(row[0]) == "izmir":
                        for sex, j in (("total", 1), ("male", 2), ("female", 3)):
                            obs.append((year, "ctx-nufus", "tuik", CITY_WIDE, sex,
                                        parse_number(row[j]), str(path), f"R{_ + 1}"))
    return obs


def metrics(obs):
    df = pd.DataFrame(obs, columns=["period", "indicator_id", "unit_id", "district", "sex",
                                    "value", "source_file", "source_cell"])
    by = df.pivot_table(index=["period", "indicator_id", "district"], columns="sex",
                        values="value", aggfunc="sum").reset_index()
    city = df[df.district != CITY_WIDE].pivot_table(
        index=["period", "indicator_id"], columns="sex", values="value", aggfunc="sum").reset_index()
    city["district"] = CITY_WIDE
    m = pd.concat([by, city], ignore_index=True)
    for c in ("female", "male", "total"):
        if c not in m:
            m[c] = float("nan")
    m = m.rename(columns={"female": "women", "male": "men"})
    m["female_share"] = m.women / (m.women + m.men)
    m["parity_index"] = m.women / m.men
    m["gap"] = m.women - m.men
    return df, m.sort_values(["period", "indicator_id", "district"]).reset_index(drop=True)


def main():
    inp, out, cat = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    districts = load_districts(cat)
    out.mkdir(parents=True, exist_ok=True)
    all_obs, all_issues, n = [], [], 0
    for period_dir in sorted((inp / "submissions").iterdir()):
        period = period_dir.name
        latest = {}
        for path in sorted(period_dir.rglob("*.xlsx")):
            n += 1
            info, obs, issues = read_submission(path, period, districts)
            all_issues.extend(issues)
            unit = str(info.get("birim kodu", ""))
            date = str(info.get("tarih", ""))
            if str(info.get("donem", period)) != period:
                all_issues.append((str(path), "", "period-mismatch"))
                continue
            if unit not in latest or (date, str(path)) > latest[unit][0]:
                latest[unit] = ((date, str(path)), obs)
        for _, obs in latest.values():
            all_obs.extend(obs)
    all_obs.extend(read_tuik(inp / "tuik"))
    df, m = metrics(all_obs)
    issues = pd.DataFrame(all_issues, columns=["file", "indicator_id", "code"])
    for period in sorted(df.period.unique()):
        if not (inp / "submissions" / period).is_dir():
            continue
        with pd.ExcelWriter(out / f"izleme-{period}.xlsx", engine="xlsxwriter") as xw:
            m[m.period == period].to_excel(xw, sheet_name="Metrikler", index=False)
            df[df.period == period].to_excel(xw, sheet_name="Veri", index=False)
            issues.to_excel(xw, sheet_name="Sorunlar", index=False)
    pq.write_table(pa.Table.from_pandas(df), out / "observations.parquet")
    pq.write_table(pa.Table.from_pandas(m), out / "metrics.parquet")
    df.to_csv(out / "observations.csv", index=False)
    m.to_csv(out / "metrics.csv", index=False)
    print(f"reference: {n} workbooks, {len(df)} observations, {len(m)} metric rows, "
          f"{len(issues)} issues", file=sys.stderr)


if __name__ == "__main__":
    main()
