//! Bounded-time fuzzing on stable Rust (cargo fuzz needs nightly): a mutational fuzzer for the
//! JSON importer and a random-text fuzzer for the quarter, year, date, money and status
//! parsers. Every input runs under `catch_unwind`; the tests fail on any panic and print the
//! input that caused it. `CCSP_FUZZ_SECS` sets the time per target (default 10 s; CI uses the
//! default), `CCSP_FUZZ_SEED` replays a run.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use ccsp_core::domain::{parse_date, FinancialYear, Pence, Quarter, Rag};
use ccsp_core::interchange::workbook::Source;
use ccsp_core::interchange::{parse_record, to_json, validate_record};
use serde_json::Value;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn budget() -> Duration {
    // unset or not a number: the default budget
    Duration::from_secs(std::env::var("CCSP_FUZZ_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(10))
}

fn seed() -> u64 {
    std::env::var("CCSP_FUZZ_SEED")
        .ok() // as above: a random seed
        .and_then(|v| v.parse().ok()) // as above
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1))
}

/// Runs `one` on fresh inputs until the time is up; returns (runs, panics with their inputs).
fn fuzz(name: &str, mut make: impl FnMut(&mut Rng) -> String, one: impl Fn(&str)) -> usize {
    let seed = seed();
    let mut rng = Rng(seed);
    let deadline = Instant::now() + budget();
    let mut runs = 0;
    let mut panics: Vec<String> = Vec::new();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline && panics.len() < 5 {
        let input = make(&mut rng);
        if catch_unwind(AssertUnwindSafe(|| one(&input))).is_err() {
            panics.push(input.chars().take(400).collect());
        }
        runs += 1;
    }
    std::panic::set_hook(quiet);
    println!("{name}: {runs} inputs in {:?}, {} panics (CCSP_FUZZ_SEED={seed})", budget(), panics.len());
    assert!(panics.is_empty(), "{name} panicked on (CCSP_FUZZ_SEED={seed}):\n{}", panics.join("\n---\n"));
    runs
}

const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "-1",
    "-0",
    "0.5",
    "1e999",
    "-1e999",
    "18446744073709551616",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"2025-26-Q9\"",
    "\"2025-02-30\"",
    "\"9.9.9\"",
    "\"red\"",
    "\"\"",
    "[]",
    "{}",
    "\"ccsp-coordinator-record\"",
    "\"<script>\"",
    "\"'; DROP TABLE action; --\"",
    "\"🦀\"",
];

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => serde_json::json!(rng.next() as i64),
        3 => serde_json::json!((rng.next() % 1000) as f64 / 7.0),
        4 => Value::String(rng.pick(&["", "2025-26-Q2", "2026-03-31", "WMP", "1.1.1", "amber", "x"]).to_string()),
        5 => Value::String("é".repeat(rng.below(300))),
        6 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect()),
        _ => Value::Object((0..rng.below(4)).map(|i| (format!("k{i}"), random_value(rng, depth + 1))).collect()),
    }
}

/// Walks to a random node of the JSON tree and replaces or removes it.
fn mutate_tree(v: &mut Value, rng: &mut Rng) {
    let steps = rng.below(6);
    descend(v, rng, steps);
}

fn descend(node: &mut Value, rng: &mut Rng, steps: usize) {
    if steps > 0 {
        match node {
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(rng.below(m.len())).cloned().unwrap();
                if rng.below(8) == 0 {
                    m.remove(&k);
                } else {
                    descend(m.get_mut(&k).unwrap(), rng, steps - 1);
                }
                return;
            }
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                descend(&mut a[i], rng, steps - 1);
                return;
            }
            _ => {}
        }
    }
    *node = random_value(rng, 0);
}

/// Byte-level mutations: flip, insert a token, delete or duplicate a slice, truncate.
fn mutate_text(text: &str, rng: &mut Rng) -> String {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = rng.pick(TOKENS).as_bytes();
                b.splice(at..at, t.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(b.len());
                b.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                b.splice(at..at, chunk);
            }
            _ => b.truncate(at),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

#[test]
fn the_json_importer_never_panics_on_mutated_exports_and_every_record_it_accepts_round_trips() {
    // Start from a rich record: the seed plus the demo's actions, updates, indicators, funding.
    let dir = tempfile::tempdir().unwrap();
    let mut store = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    ccsp_core::demo::add_demo(&mut store, &ccsp_core::Ctx::new("Fuzz", chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())).unwrap();
    let base_text = to_json(&store.record().unwrap()).unwrap();
    let base: Value = serde_json::from_str(&base_text).unwrap();
    let accepted = std::cell::Cell::new(0usize);
    let runs = fuzz(
        "importer",
        |rng| {
            if rng.below(2) == 0 {
                mutate_text(&base_text, rng)
            } else {
                let mut v = base.clone();
                for _ in 0..1 + rng.below(3) {
                    mutate_tree(&mut v, rng);
                }
                serde_json::to_string(&v).unwrap()
            }
        },
        |input| {
            if let Ok(rec) = parse_record(input) {
                if validate_record(&rec).is_ok() {
                    let n = accepted.get() + 1;
                    accepted.set(n);
                    // Every record the importer accepts goes into a store and comes out the
                    // same: import → export is exact, not only panic-free.
                    let path = dir.path().join(format!("accepted-{n}.sqlite3"));
                    let created = ccsp_core::Store::create(&path, &rec, "fuzz").expect("an accepted record makes a store");
                    let mut back = created.record().unwrap();
                    // A record without a store id (an older export, or a mutation that dropped
                    // it) gets one on import: the only change import may make.
                    if !rec.settings.contains_key("store_id") {
                        let id = back.settings.remove("store_id").expect("an imported record without an id gets one");
                        assert_eq!(id.len(), 32);
                    }
                    assert_eq!(to_json(&back).unwrap(), to_json(&rec).unwrap(), "import then export changed the record");
                    drop(created);
                    std::fs::remove_file(&path).unwrap();
                }
            }
        },
    );
    println!("importer: {} of {runs} mutated records were still valid, each round-tripped through a store", accepted.get());
    assert!(runs > 100, "too few inputs to mean anything");
}

#[test]
fn the_quarter_year_date_money_and_status_parsers_never_panic_and_round_trip() {
    const PARTS: &[&str] = &[
        "2025",
        "26",
        "-",
        "/",
        " ",
        "Q",
        "q",
        "1",
        "4",
        "0",
        "9",
        "£",
        ",",
        ".",
        "e",
        "E",
        "+",
        "-",
        "1e3",
        "NaN",
        "inf",
        "00",
        "99999999999999999999",
        "٣",
        "２",
        "\u{0}",
        "é",
        "🦀",
        "red",
        "Amber",
        "not started",
        "_",
        "\t",
        "2025-26-Q2",
        "2025/26 Q3",
        "2026-03-31",
        "31/03/2026",
        "2024-02-29",
        "2025-02-29",
    ];
    fuzz(
        "parsers",
        |rng| (0..1 + rng.below(6)).map(|_| *rng.pick(PARTS)).collect::<String>(),
        |input| {
            if let Ok(q) = Quarter::parse(input) {
                assert_eq!(Quarter::parse(&q.code()).unwrap(), q, "quarter round trip for {input:?}");
                assert_eq!(Quarter::parse(&q.to_string()).unwrap(), q);
                assert!(q.start() < q.end());
            }
            if let Ok(y) = FinancialYear::parse(input) {
                assert_eq!(FinancialYear::parse(&y.code()).unwrap(), y);
            }
            if let Ok(d) = parse_date("date", input) {
                assert_eq!(parse_date("date", &d.to_string()).unwrap(), d);
            }
            if let Ok(p) = Pence::parse_pounds("amount", input) {
                assert!(p.0 >= 0, "negative money accepted from {input:?}");
                assert_eq!(Pence::parse_pounds("amount", &p.pounds()).unwrap(), p, "money round trip for {input:?}");
            }
            let _ = Rag::parse(input); // only that it does not panic matters
        },
    );
}

#[test]
fn the_returns_import_never_panics_on_return_workbooks_with_mutated_parts_and_never_writes_on_a_dry_run() {
    use std::io::{Read, Write};
    // A real return workbook, unpacked: each input mutates one of its XML parts and packs it again.
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
    let ctx = ccsp_core::Ctx::new("Fuzz", today);
    let mut store = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    ccsp_core::demo::add_demo(&mut store, &ctx).unwrap();
    let q = Quarter::parse("2025-26-Q3").unwrap();
    let book = ccsp_core::interchange::returns::books(&store, q, today, Some("WMP"), None).unwrap().remove(0);
    let bytes = ccsp_core::interchange::returns::write(&book).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let parts: Vec<(String, String)> = (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().unwrap().into_owned(), text)
        })
        .collect();
    let xml: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].0.ends_with(".xml") || parts[i].0.ends_with(".rels")).collect();
    let before = to_json(&store.record().unwrap()).unwrap();
    let store = std::cell::RefCell::new(store);
    let path = dir.path().join("CCSP-return-2025-26-Q3-WMP.xlsx");
    let runs = fuzz(
        "returns import",
        |rng| {
            let i = *rng.pick(&xml);
            format!("{i}\n{}", mutate_text(&parts[i].1, rng))
        },
        |input| {
            let (i, text) = input.split_once('\n').unwrap();
            let i: usize = i.parse().unwrap();
            let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            for (j, (name, body)) in parts.iter().enumerate() {
                out.start_file(name.as_str(), zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
                out.write_all(if j == i { text.as_bytes() } else { body.as_bytes() }).unwrap();
            }
            std::fs::write(&path, out.finish().unwrap().into_inner()).unwrap();
            let choices = ccsp_core::interchange::return_import::Choices { dry_run: true, ..Default::default() };
            // Every problem with the file is in the result; an error here is the store's own.
            ccsp_core::interchange::return_import::import(&mut store.borrow_mut(), &ctx, &[Source::Path(path.clone())], q, choices).expect("the store answers");
        },
    );
    assert!(runs > 100, "too few inputs to mean anything");
    assert_eq!(to_json(&store.borrow().record().unwrap()).unwrap(), before, "a dry run changes nothing");
}
