//! Import parsing benchmark: writes an activities-like table (`STYRA_BENCH_ROWS`, default
//! 100 000 rows × 20 columns) as an xlsx workbook, a Swedish `;` CSV (UTF-8 with BOM, decimal
//! commas), the same CSV in Windows-1252, and a JSON body; then parses each in a fresh child
//! process and prints wall time, CPU time and peak resident memory (VmHWM) as a markdown
//! table. A child
//! per file keeps one file's peak from hiding another's, and the generator's memory from both.
//!
//! Run: `cargo bench --bench import_parse`. Set `STYRA_BENCH_CONVERT=1` to also convert every
//! cell the way an import would (text, numbers, dates, booleans) and time that separately.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use anyhow::{anyhow, bail, Context};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use styra::import::read;

const HEADERS: [&str; 20] = [
    "Id",
    "Namn*",
    "Beskrivning",
    "Status",
    "Förvaltningsobjekt",
    "Organisation",
    "Ansvarig",
    "Startdatum",
    "Slutdatum",
    "Budget (kr)",
    "Utfall (kr)",
    "Timmar",
    "Prioritet",
    "Kategori",
    "Typ",
    "Klar",
    "Nytta",
    "Risk",
    "Kommentar",
    "Extern referens",
];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--parse") {
        let content_type = args.get(at + 1).ok_or_else(|| anyhow!("content type"))?;
        let path = args.get(at + 2).ok_or_else(|| anyhow!("path"))?;
        return parse_one(content_type, path);
    }
    let rows: usize = match std::env::var("STYRA_BENCH_ROWS") {
        Ok(v) => v.parse().map_err(|_| anyhow!("STYRA_BENCH_ROWS={v:?}"))?,
        Err(_) => 100_000,
    };
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let files = [
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write_xlsx(rows)?,
        ),
        ("csv (UTF-8, BOM, ;)", "text/csv", write_csv(rows, false)),
        ("csv (Windows-1252, ;)", "text/csv", write_csv(rows, true)),
        ("json", "application/json", write_json(rows)?),
    ];
    eprintln!(
        "generated {rows} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("| file | size | parse | peak RSS |");
    println!("|---|---|---|---|");
    let exe = std::env::current_exe()?;
    for (index, (label, content_type, bytes)) in files.iter().enumerate() {
        let path = dir.path().join(format!("file{index}"));
        std::fs::write(&path, bytes)?;
        let output = Command::new(&exe)
            .arg("--parse")
            .arg(content_type)
            .arg(&path)
            .output()?;
        if !output.status.success() {
            bail!("{label}: {}", String::from_utf8_lossy(&output.stderr));
        }
        let report = String::from_utf8_lossy(&output.stdout);
        let size = bytes.len() as f64 / 1e6;
        println!("| {label} | {size:.1} MB | {} |", report.trim());
    }
    Ok(())
}

/// In the child: read the file, parse it, report "seconds | peak MB".
fn parse_one(content_type: &str, path: &str) -> anyhow::Result<()> {
    let bytes = std::fs::read(path)?;
    let cpu_before = cpu_seconds()?;
    let started = Instant::now();
    let sheets =
        read(Some(content_type), &bytes, "activities").map_err(|e| anyhow!("parse failed: {e}"))?;
    let parsed = started.elapsed().as_secs_f64();
    let rows: usize = sheets.iter().map(|s| s.rows.len()).sum();
    let mut convert = String::new();
    if std::env::var("STYRA_BENCH_CONVERT").is_ok_and(|v| v == "1") {
        let started = Instant::now();
        let failures = convert_all(&sheets);
        convert = format!(
            " + convert {:.2} s ({failures} failures)",
            started.elapsed().as_secs_f64()
        );
    }
    let peak = peak_rss_mb()?;
    let cpu = cpu_seconds()? - cpu_before;
    drop(sheets);
    print!("{parsed:.2} s, CPU {cpu:.2} s ({rows} rows){convert} | {peak:.0} MB");
    std::io::stdout().flush()?;
    Ok(())
}

/// Converts each column the way the import engine would; counts conversion errors.
fn convert_all(sheets: &[styra::import::Sheet]) -> usize {
    let mut failures = 0;
    for sheet in sheets {
        // Columns by header, as the engine will: a JSON body's keys may come in any order.
        let kinds: Vec<Option<usize>> = sheet
            .headers
            .iter()
            .map(|h| HEADERS.iter().position(|known| known == h))
            .collect();
        for row in &sheet.rows {
            failures += convert_row(&kinds, &row.cells);
        }
    }
    failures
}

fn convert_row(kinds: &[Option<usize>], cells: &[styra::import::Cell]) -> usize {
    let mut failures = 0;
    for (kind, cell) in kinds.iter().zip(cells) {
        let failed = match kind.unwrap_or(usize::MAX) {
            7 | 8 => cell.as_date().is_err(),
            9 | 10 => cell.as_decimal().is_err(),
            0 | 11 | 12 => cell.as_i64().is_err(),
            15 => cell.as_bool().is_err(),
            _ => cell.as_text().is_none() && !cell.is_empty(),
        };
        failures += usize::from(failed);
    }
    failures
}

/// User + system CPU time of this process, which a busy machine does not inflate as it does
/// wall time (clock ticks of 1/100 s, as on every Linux this runs on).
fn cpu_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let after = stat.rsplit_once(')').context("stat format")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| -> anyhow::Result<f64> {
        Ok(fields.get(i).context("stat field")?.parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

fn peak_rss_mb() -> anyhow::Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .context("no VmHWM")?;
    let kb: f64 = line
        .split_whitespace()
        .nth(1)
        .context("VmHWM value")?
        .parse()?;
    Ok(kb / 1024.0)
}

/// The value of column `col` in row `row`, as text the Swedish way.
fn value(row: usize, col: usize) -> String {
    match col {
        0 => format!("{}", row + 1),
        1 => format!("Aktivitet {row} – införande av e-tjänst"),
        2 => format!(
            "Förvaltningen inför en ny e-tjänst för ansökan om bygglov, steg {} av 5",
            row % 5 + 1
        ),
        3 => ["planerad", "pågår", "klar", "avbruten"][row % 4].to_owned(),
        4 => format!("Objekt {}", row % 120),
        5 => format!("Förvaltning {}", row % 12),
        6 => format!("Person {}", row % 400),
        7 => format!("2026-{:02}-{:02}", row % 12 + 1, row % 28 + 1),
        8 => format!("2027-{:02}-{:02}", row % 12 + 1, row % 28 + 1),
        9 => format!("{},{:02}", (row * 37) % 100_000, row % 100),
        10 => format!("{},50", (row * 13) % 90_000),
        11 => format!("{}", row % 1000),
        12 => format!("{}", row % 5 + 1),
        13 => ["utveckling", "vidmakthållande"][row % 2].to_owned(),
        14 => ["projekt", "uppdrag", "åtgärd"][row % 3].to_owned(),
        15 => ["ja", "nej"][row % 2].to_owned(),
        16 => "Minskad handläggningstid".to_owned(),
        17 => ["låg", "medel", "hög"][row % 3].to_owned(),
        18 => {
            if row.is_multiple_of(3) {
                String::new()
            } else {
                format!("Kommentar {row}")
            }
        }
        _ => format!("EXT-{:06}", row),
    }
}

fn write_xlsx(rows: usize) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet().set_name("activities")?;
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string(0, col as u16, *header)?;
    }
    for row in 0..rows {
        let at = row as u32 + 1;
        for col in 0..HEADERS.len() {
            let c = col as u16;
            match col {
                0 | 11 | 12 => sheet.write_number(at, c, (row % 1000 + 1) as f64)?,
                7 | 8 => {
                    let year = if col == 7 { 2026 } else { 2027 };
                    let day =
                        ExcelDateTime::from_ymd(year, (row % 12 + 1) as u8, (row % 28 + 1) as u8)?;
                    sheet.write_datetime_with_format(at, c, &day, &date)?
                }
                9 | 10 => sheet.write_number(at, c, ((row * 37) % 100_000) as f64 + 0.25)?,
                15 => sheet.write_boolean(at, c, row.is_multiple_of(2))?,
                _ => {
                    let text = value(row, col);
                    if text.is_empty() {
                        continue;
                    }
                    sheet.write_string(at, c, text)?
                }
            };
        }
    }
    Ok(workbook.save_to_buffer()?)
}

fn csv_text(rows: usize) -> String {
    let mut text = HEADERS.join(";");
    text.push_str("\r\n");
    for row in 0..rows {
        for col in 0..HEADERS.len() {
            if col > 0 {
                text.push(';');
            }
            text.push_str(&value(row, col));
        }
        text.push_str("\r\n");
    }
    text
}

fn write_csv(rows: usize, windows_1252: bool) -> Vec<u8> {
    let text = csv_text(rows);
    if windows_1252 {
        // Every character used (å, ä, ö, the en dash) exists in Windows-1252.
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        bytes.into_owned()
    } else {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        bytes
    }
}

fn write_json(rows: usize) -> anyhow::Result<Vec<u8>> {
    let mut items = Vec::with_capacity(rows);
    for row in 0..rows {
        let mut item = serde_json::Map::new();
        for (col, header) in HEADERS.iter().enumerate() {
            let value = match col {
                0 | 11 | 12 => serde_json::json!(row % 1000 + 1),
                9 | 10 => serde_json::json!(((row * 37) % 100_000) as f64 + 0.25),
                15 => serde_json::json!(row.is_multiple_of(2)),
                _ => serde_json::json!(value(row, col)),
            };
            item.insert((*header).to_owned(), value);
        }
        items.push(serde_json::Value::Object(item));
    }
    Ok(serde_json::to_vec(
        &serde_json::json!({ "activities": items }),
    )?)
}
