//! The sRGB colour profile the PDFs' output intent embeds (PDF/A asks every file that paints
//! in RGB to say which RGB it means). Written here, from the published sRGB definition
//! (IEC 61966-2-1: its primaries adapted to the D50 white of the profile connection space and
//! its tone curve), as an ICC version 2 display profile: ours, so it ships under the
//! project's licence with no third-party terms (docs/pdf-notes.md).

/// The profile's description, also the output intent's condition identifier.
pub const SRGB: &str = "sRGB IEC61966-2.1";

/// An s15Fixed16Number: the ICC's fixed-point number.
fn fixed(v: f64) -> [u8; 4] {
    ((v * 65536.0).round() as i32).to_be_bytes()
}

fn xyz(x: f64, y: f64, z: f64) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    for v in [x, y, z] {
        t.extend(fixed(v));
    }
    t
}

/// The sRGB tone curve, sampled: encoded value → linear light.
fn curve() -> Vec<u8> {
    const N: u32 = 1024;
    let mut t = b"curv\0\0\0\0".to_vec();
    t.extend(N.to_be_bytes());
    for i in 0..N {
        let v = f64::from(i) / f64::from(N - 1);
        let linear = if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
        t.extend(((linear * 65535.0).round() as u16).to_be_bytes());
    }
    t
}

fn description(text: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    t.extend((text.len() as u32 + 1).to_be_bytes());
    t.extend(text.as_bytes());
    t.push(0);
    // No Unicode or ScriptCode description: their counts are zero (and ScriptCode's 67-byte
    // field is still there).
    t.extend([0u8; 4 + 4 + 2 + 1 + 67]);
    t
}

fn text(text: &str) -> Vec<u8> {
    let mut t = b"text\0\0\0\0".to_vec();
    t.extend(text.as_bytes());
    t.push(0);
    t
}

/// The profile's bytes.
pub fn srgb_profile() -> Vec<u8> {
    let trc = curve();
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", description(SRGB)),
        (b"cprt", text("No copyright: written by CCSP Coordinator from IEC 61966-2-1; use freely")),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.436_074_7, 0.222_504_5, 0.013_932_2)),
        (b"gXYZ", xyz(0.385_064_9, 0.716_878_6, 0.097_104_5)),
        (b"bXYZ", xyz(0.143_080_4, 0.060_616_9, 0.714_173_3)),
        (b"rTRC", trc.clone()),
        (b"gTRC", trc.clone()),
        (b"bTRC", trc),
    ];
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    let mut at = 128 + 4 + 12 * tags.len();
    for (sig, body) in &tags {
        table.extend(*sig);
        table.extend((at as u32).to_be_bytes());
        table.extend((body.len() as u32).to_be_bytes());
        data.extend(body);
        at += body.len();
        while !at.is_multiple_of(4) {
            data.push(0);
            at += 1;
        }
    }
    let size = 128 + table.len() + data.len();
    let mut p = Vec::with_capacity(size);
    p.extend((size as u32).to_be_bytes());
    p.extend([0u8; 4]); // preferred CMM: none
    p.extend([0x02, 0x10, 0, 0]); // version 2.1
    p.extend(b"mntrRGB XYZ ");
    for v in [2026u16, 12, 1, 0, 0, 0] {
        p.extend(v.to_be_bytes());
    }
    p.extend(b"acsp");
    p.extend([0u8; 4 + 4 + 4 + 4 + 8]); // platform, flags, manufacturer, model, attributes
    p.extend(0u32.to_be_bytes()); // rendering intent: perceptual
    for v in [0.9642, 1.0, 0.8249] {
        p.extend(fixed(v));
    }
    p.extend([0u8; 4 + 44]); // creator, reserved
    p.extend(table);
    p.extend(data);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_a_well_formed_icc_v2_rgb_display_profile() {
        let p = srgb_profile();
        assert_eq!(u32::from_be_bytes(p[0..4].try_into().unwrap()) as usize, p.len(), "its size field is its size");
        assert_eq!(&p[8..10], &[2, 0x10]);
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        let n = u32::from_be_bytes(p[128..132].try_into().unwrap()) as usize;
        let mut sigs = Vec::new();
        for i in 0..n {
            let e = &p[132 + 12 * i..144 + 12 * i];
            let (off, len) = (u32::from_be_bytes(e[4..8].try_into().unwrap()) as usize, u32::from_be_bytes(e[8..12].try_into().unwrap()) as usize);
            assert!(off % 4 == 0 && off + len <= p.len(), "tag {i} lies inside the profile, aligned");
            let kind: &[u8] = match &e[0..4] {
                b"desc" => b"desc",
                b"cprt" => b"text",
                b"rTRC" | b"gTRC" | b"bTRC" => b"curv",
                _ => b"XYZ ",
            };
            assert_eq!(&p[off..off + 4], kind, "tag {i} has the type its signature needs");
            sigs.push(String::from_utf8_lossy(&e[0..4]).to_string());
        }
        for want in ["desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"] {
            assert!(sigs.iter().any(|s| s == want), "{want} in {sigs:?}");
        }
        // The three primaries add up to the white point (what makes R=G=B neutral grey).
        let sum = 0.436_074_7 + 0.385_064_9 + 0.143_080_4;
        assert!((sum - 0.9642f64).abs() < 0.0001, "{sum}");
    }
}
