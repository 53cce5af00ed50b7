//! police.uk street files in the published layout, generated with known counts: shared by the
//! import's tests (tests/police.rs) and its benchmark (benches/police_speed.rs).
//!
//! Columns as data.police.uk/about lists them; ASB rows have no Crime ID; LSOA names read
//! "Coventry 001A". Every file carries the quirks real ones have: a UTF-8 BOM, CRLF line ends,
//! a Location with a quoted comma and quotes, rows of another force (`Falls within`), rows
//! with no location, and rows of another area of the same force.
#![allow(dead_code)]

use std::io::Write;

pub const FORCE: &str = "West Midlands Police";
pub const SLUG: &str = "west-midlands";

/// The crime types police.uk publishes.
pub const TYPES: [&str; 14] = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
];

/// How many rows for the area a month (`2025-09`) has of crime type `t`, times `scale`.
pub fn count(month: &str, t: usize, scale: u64) -> u64 {
    let m: u64 = month[..4].parse::<u64>().unwrap() * 12 + month[5..].parse::<u64>().unwrap();
    ((m * 7 + t as u64 * 13) % 23 + 1) * scale
}

/// The file name police.uk gives a force's street file.
pub fn street_name(month: &str, slug: &str) -> String {
    format!("{month}-{slug}-street.csv")
}

/// One month's street file: `scale` × `count` rows per type for Coventry (over several
/// LSOAs), and `noise` rows each of another force, with no location, and of Birmingham.
pub fn street_csv(month: &str, scale: u64, noise: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 * 1024);
    out.extend_from_slice(
        "\u{feff}Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n"
            .as_bytes(),
    );
    let mut n = 0u64;
    for (t, kind) in TYPES.iter().enumerate() {
        for _ in 0..count(month, t, scale) {
            n += 1;
            row(&mut out, n, month, FORCE, "Coventry", kind);
        }
    }
    for i in 0..noise {
        n += 1;
        row(&mut out, n, month, "Warwickshire Police", "Coventry", TYPES[(i % 14) as usize]);
        n += 1;
        let id = if i % 14 == 0 { String::new() } else { format!("{:064x}", n) };
        writeln!(out, "{id},{month},{FORCE},{FORCE},,,No location,,,{},Under investigation,\r", TYPES[(i % 14) as usize]).unwrap();
        n += 1;
        row(&mut out, n, month, FORCE, "Birmingham", TYPES[(i % 14) as usize]);
    }
    // The CRLF row ends: `writeln!` above wrote "\r\n".
    out
}

fn row(out: &mut Vec<u8>, n: u64, month: &str, force: &str, area: &str, kind: &str) {
    // ASB rows have no Crime ID; a Location with a quoted comma and quotes.
    let id = if kind == "Anti-social behaviour" { String::new() } else { format!("{:064x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15)) };
    let lsoa = n % 37;
    let outcome = if kind == "Anti-social behaviour" { "" } else { "Investigation complete; no suspect identified" };
    writeln!(
        out,
        "{id},{month},{force},{force},-1.5{lsoa:03},52.4{lsoa:03},\"On or near \"\"The Precinct\"\", Broadgate\",E0100{lsoa:04},{area} {lsoa:03}A,{kind},{outcome},\r"
    )
    .unwrap();
}

/// A zip holding the given files (name, bytes), deflated as police.uk's archives are.
pub fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}
