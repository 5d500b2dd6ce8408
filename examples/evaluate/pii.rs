//! The pii section: Presidio's recognizer test cases per entity, its
//! checksum-validator cases, and span precision/recall on the synthetic
//! sentence set.
//!
//! Presidio's cases assume no score threshold and no context boost, so they
//! run with the *permissive* configuration (`min_score = 0`, test cards
//! flagged, overlapping interpretations kept): a case passes when our
//! findings of the mapped kind equal its expected spans (character offsets
//! converted to bytes), or its expected count when the spans are missing or
//! disagree with the count. Cases configured with Presidio's
//! `strict_checksum=True` run with the default configuration instead (a
//! failed checksum is dropped there too). The
//! same pass rate with the default configuration (unknown candidates need a
//! context word) is printed for information. The synthetic set runs with the
//! default configuration, the one users get.

use std::collections::{BTreeMap, BTreeSet};

use palisade::pii::PiiConfig;
use palisade::{Guard, Profile};
use serde_json::Value;

use crate::report::{Eval, Floor, at_least, fmt, ratio, split, str_field};

/// Issue 4 asks for 0.95 on all three; floors sit just below the measured
/// test values so a regression fails the evaluation. Presidio pass rate:
/// 423/437 = 0.968 on test (met). Synthetic precision: 1.000 (met).
/// Validator cases: 35/37 = 0.946 on test, below the 0.95 target by one
/// case; the two failures are deliberate: `12345678903` is no valid German
/// tax id (the BZSt rule wants exactly one digit of the first ten repeated,
/// a rule Presidio's current validator enforces too), and GSTIN state code
/// 38 (Ladakh, since 2020) is real, where Presidio's list stops at 37.
const FLOORS: &[Floor] = &[
    at_least("presidio.test.pass_rate", 0.96),
    at_least("validators.test.pass_rate", 0.94),
    at_least("synth.test.precision", 0.98),
];

/// Presidio entity → our kind.
const MAP: &[(&str, &str)] = &[
    ("EMAIL_ADDRESS", "email"),
    ("PHONE_NUMBER", "phone"),
    ("PH_MOBILE_NUMBER", "phone"),
    ("TR_PHONE_NUMBER", "phone"),
    ("CREDIT_CARD", "credit_card"),
    ("IBAN_CODE", "iban"),
    ("IP_ADDRESS", "ip_address"),
    ("MAC_ADDRESS", "mac_address"),
    ("CRYPTO", "crypto_wallet"),
    ("US_SSN", "us_ssn"),
    ("US_ITIN", "us_itin"),
    ("ABA_ROUTING_NUMBER", "us_bank_routing"),
    ("US_NPI", "us_npi"),
    ("US_MBI", "us_mbi"),
    ("US_PASSPORT", "us_passport"),
    ("US_BANK_NUMBER", "us_bank_account"),
    ("US_DRIVER_LICENSE", "us_driver_license"),
    ("UK_NINO", "uk_nino"),
    ("UK_NHS", "uk_nhs"),
    ("UK_POSTCODE", "uk_postcode"),
    ("UK_VEHICLE_REGISTRATION", "uk_vehicle_registration"),
    ("UK_PASSPORT", "uk_passport"),
    ("CA_SIN", "ca_sin"),
    ("AU_ABN", "au_abn"),
    ("AU_ACN", "au_acn"),
    ("AU_TFN", "au_tfn"),
    ("AU_MEDICARE", "au_medicare"),
    ("IN_AADHAAR", "in_aadhaar"),
    ("IN_PAN", "in_pan"),
    ("IN_GSTIN", "in_gstin"),
    ("DE_VAT_ID", "de_vat_id"),
    ("DE_TAX_ID", "de_tax_id"),
    ("ES_NIF", "es_nif"),
    ("ES_NIE", "es_nie"),
    ("IT_FISCAL_CODE", "it_fiscal_code"),
    ("PL_PESEL", "pl_pesel"),
    ("SE_PERSONNUMMER", "se_personnummer"),
    ("SE_ORGANISATIONSNUMMER", "se_organisationsnummer"),
    ("FI_PERSONAL_IDENTITY_CODE", "fi_personal_identity_code"),
    ("TR_NATIONAL_ID", "tr_national_id"),
    ("SG_NRIC_FIN", "sg_nric"),
    ("KR_RRN", "kr_rrn"),
    ("KR_PASSPORT", "kr_passport"),
    ("TH_TNIN", "th_tnin"),
    ("ZA_ID_NUMBER", "za_id_number"),
    ("UK_DRIVING_LICENCE", "uk_driving_licence"),
    ("KR_FRN", "kr_frn"),
    ("KR_BRN", "kr_brn"),
    ("NG_NIN", "ng_nin"),
    ("SG_UEN", "sg_uen"),
    ("TR_LICENSE_PLATE", "tr_license_plate"),
    ("DE_ID_CARD", "de_id_card"),
    ("DE_PASSPORT", "de_passport"),
    ("DE_HEALTH_INSURANCE", "de_health_insurance"),
    ("DE_SOCIAL_SECURITY", "de_social_security"),
    ("DE_LANR", "de_lanr"),
    ("DE_BSNR", "de_bsnr"),
    ("ES_PASSPORT", "es_passport"),
    ("IN_PASSPORT", "in_passport"),
    ("IN_VOTER", "in_voter"),
    ("KR_DRIVER_LICENSE", "kr_driver_license"),
    ("IT_VAT_CODE", "it_vat_code"),
    ("DE_PLZ", "de_plz"),
    ("DE_KFZ", "de_kfz"),
    ("DE_FUEHRERSCHEIN", "de_fuehrerschein"),
    ("DE_TAX_NUMBER", "de_tax_number"),
    ("IT_DRIVER_LICENSE", "it_driver_license"),
];

fn kind_of(entity: &str) -> Option<&'static str> {
    MAP.iter().find(|(e, _)| *e == entity).map(|&(_, k)| k)
}

/// Python character offset → byte offset.
fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map(|(i, _)| i).unwrap_or(text.len())
}

fn spans_of(guard: &dyn Guard, text: &str, kind: &str) -> Vec<(usize, usize)> {
    guard
        .check(text)
        .findings()
        .iter()
        .filter(|f| f.kind() == kind)
        .map(|f| (f.start(), f.end()))
        .collect()
}

fn case_passes(guard: &dyn Guard, row: &Value, kind: &str) -> bool {
    let text = str_field(row, "text");
    let got = spans_of(guard, text, kind);
    let count = row.get("expected_count").and_then(Value::as_u64).unwrap_or(0) as usize;
    let spans: Option<Vec<(usize, usize)>> = row.get("expected_spans").and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|s| {
                let s = s.as_array()?;
                let (a, b) = (s.first()?.as_u64()? as usize, s.get(1)?.as_u64()? as usize);
                Some((byte_at(text, a), byte_at(text, b)))
            })
            .collect()
    });
    match spans {
        Some(sp) if sp.len() == count => {
            let want: BTreeSet<_> = sp.into_iter().collect();
            let have: BTreeSet<_> = got.into_iter().collect();
            want == have
        }
        _ => got.len() == count,
    }
}

fn permissive() -> PiiConfig {
    PiiConfig {
        min_score: 0.0,
        flag_test_cards: true,
        keep_overlaps: true,
        ..PiiConfig::default()
    }
}

pub fn run(eval: &mut Eval) {
    eval.floors(FLOORS);
    let loose = permissive().build(Profile::Input).expect("pii config builds");
    let strict = PiiConfig::default().build(Profile::Input).expect("pii config builds");
    presidio_cases(eval, &loose, &strict);
    validator_cases(eval, &loose, &strict);
    synth(eval, &strict);
    benign(eval, &strict);
}

/// Findings per kind on benign prompts (which rarely hold personal data):
/// an informational false-positive check, default configuration.
fn benign(eval: &mut Eval, strict: &dyn Guard) {
    const FILES: &[&str] = &[
        "injection/notinject.jsonl",
        "injection/alpaca_seed.jsonl",
        "injection/wildguard_benign.jsonl",
        "injection/awesome_chatgpt_prompts.jsonl",
        "injection/jackhhao.jsonl",
    ];
    let mut rows_seen = [0u64; 2];
    let mut flagged = [0u64; 2];
    let mut kinds: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    for file in FILES {
        let Some(rows) = eval.rows(file) else {
            continue;
        };
        for row in rows.iter().filter(|r| str_field(r, "label") == "benign") {
            let si = usize::from(split(row) == "test");
            rows_seen[si] += 1;
            let v = strict.check(str_field(row, "text"));
            if !v.findings().is_empty() {
                flagged[si] += 1;
            }
            for f in v.findings() {
                kinds.entry(f.kind().to_string()).or_default()[si] += 1;
                if verbose(si) {
                    let t = str_field(row, "text");
                    println!("    BENIGN {} {:?}", f.kind(), &t[f.span()]);
                }
            }
        }
    }
    for (i, sp) in ["dev", "test"].iter().enumerate() {
        let rate = ratio(flagged[i], rows_seen[i]);
        eval.metric(&format!("benign.{sp}.flagged_rate"), rate);
        println!(
            "  benign prompts {sp}: {} of {} have a pii finding ({})",
            flagged[i],
            rows_seen[i],
            fmt(rate)
        );
    }
    let list: Vec<String> = kinds.iter().map(|(k, c)| format!("{k} {}/{}", c[0], c[1])).collect();
    println!("  by kind (dev/test): {}", list.join(", "));
}

fn presidio_cases(eval: &mut Eval, loose: &dyn Guard, strict: &dyn Guard) {
    let Some(rows) = eval.rows("pii/presidio.jsonl") else {
        return;
    };
    // entity -> [dev, test] of (pass, total, pass_default)
    let mut per: BTreeMap<String, [(u64, u64, u64); 2]> = BTreeMap::new();
    let mut ner = [0u64; 2];
    let mut uncovered: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    for row in &rows {
        let si = usize::from(split(row) == "test");
        let entity = str_field(row, "entity");
        let is_ner = row.get("ner_based").and_then(Value::as_bool).unwrap_or(false)
            || row.get("requires_nlp_engine").and_then(Value::as_bool).unwrap_or(false);
        if is_ner {
            ner[si] += 1;
            continue;
        }
        let Some(kind) = kind_of(entity) else {
            uncovered.entry(entity.to_string()).or_default()[si] += 1;
            continue;
        };
        let e = per.entry(entity.to_string()).or_default();
        e[si].1 += 1;
        // Presidio's strict checksum mode drops what fails a checksum: our
        // default configuration (unknowns need context) is the equivalent.
        let loose = if strict_mode(row) { strict } else { loose };
        if case_passes(loose, row, kind) {
            e[si].0 += 1;
        } else if verbose(si) {
            // Tuning aid: failing dev cases, printed to the terminal only.
            println!(
                "    FAIL {entity}: {:?} want {:?}/{:?} got {:?}",
                str_field(row, "text"),
                row.get("expected_spans"),
                row.get("expected_count"),
                spans_of(loose, str_field(row, "text"), kind)
            );
        }
        if case_passes(strict, row, kind) {
            e[si].2 += 1;
        }
    }
    println!(
        "  presidio.jsonl per entity (pass = permissive config; default config in brackets)\n  {:<28} {:>14} {:>14}",
        "entity", "dev", "test"
    );
    let mut tot = [(0u64, 0u64, 0u64); 2];
    for (entity, c) in &per {
        let cell = |x: (u64, u64, u64)| {
            if x.1 == 0 {
                "-".to_string()
            } else {
                format!("{}/{} [{}]", x.0, x.1, x.2)
            }
        };
        println!("  {:<28} {:>14} {:>14}", entity, cell(c[0]), cell(c[1]));
        for i in 0..2 {
            tot[i].0 += c[i].0;
            tot[i].1 += c[i].1;
            tot[i].2 += c[i].2;
        }
    }
    for (i, sp) in ["dev", "test"].iter().enumerate() {
        let rate = ratio(tot[i].0, tot[i].1);
        let rate_default = ratio(tot[i].2, tot[i].1);
        eval.metric(&format!("presidio.{sp}.pass_rate"), rate);
        eval.metric(&format!("presidio.{sp}.pass_rate_default_config"), rate_default);
        println!(
            "  covered {sp}: {}/{} pass ({}), default config {} ; NER rows excluded: {}",
            tot[i].0,
            tot[i].1,
            fmt(rate),
            fmt(rate_default),
            ner[i]
        );
    }
    let list: Vec<String> = uncovered.iter().map(|(e, c)| format!("{e}({})", c[0] + c[1])).collect();
    println!("  uncovered entities (not counted): {}", list.join(", "));
}

/// Tuning aid: `PII_EVAL_VERBOSE=1` prints failing dev cases to the
/// terminal; `PII_EVAL_VERBOSE=all` prints test cases too (to explain
/// failures, not to tune on).
fn verbose(split_index: usize) -> bool {
    match std::env::var("PII_EVAL_VERBOSE") {
        Ok(v) => split_index == 0 || v == "all",
        Err(_) => false,
    }
}

fn strict_mode(row: &Value) -> bool {
    str_field(row, "recognizer_config").contains("strict_checksum=True")
}

fn validator_cases(eval: &mut Eval, loose: &dyn Guard, strict: &dyn Guard) {
    let Some(rows) = eval.rows("pii/presidio_validators.jsonl") else {
        return;
    };
    let mut tot = [(0u64, 0u64); 2];
    let mut per: BTreeMap<String, [(u64, u64); 2]> = BTreeMap::new();
    let mut skipped = 0;
    for row in &rows {
        let si = usize::from(split(row) == "test");
        let Some(kind) = kind_of(str_field(row, "entity")) else {
            skipped += 1;
            continue;
        };
        let Some(expected) = row.get("expected").and_then(Value::as_bool) else {
            skipped += 1;
            continue;
        };
        if str_field(row, "function") != "validate_result" {
            skipped += 1;
            continue;
        }
        let value = str_field(row, "value");
        let loose = if strict_mode(row) { strict } else { loose };
        let got = spans_of(loose, value, kind).contains(&(0, value.len()));
        let e = per.entry(str_field(row, "entity").to_string()).or_default();
        e[si].1 += 1;
        tot[si].1 += 1;
        if got == expected {
            e[si].0 += 1;
            tot[si].0 += 1;
        } else if verbose(si) {
            println!(
                "    FAIL validator {}: {value:?} want {expected}",
                str_field(row, "entity")
            );
        }
    }
    println!("  presidio_validators.jsonl (covered entities, validate_result with a boolean answer)");
    for (entity, c) in &per {
        println!("  {:<28} dev {}/{}  test {}/{}", entity, c[0].0, c[0].1, c[1].0, c[1].1);
    }
    for (i, sp) in ["dev", "test"].iter().enumerate() {
        let rate = ratio(tot[i].0, tot[i].1);
        eval.metric(&format!("validators.{sp}.pass_rate"), rate);
        println!("  validators {sp}: {}/{} ({})", tot[i].0, tot[i].1, fmt(rate));
    }
    println!("  validator rows not applicable (uncovered entity, helper function or no boolean answer): {skipped}");
}

fn synth(eval: &mut Eval, strict: &dyn Guard) {
    let Some(rows) = eval.rows("pii/presidio_research_synth.jsonl") else {
        return;
    };
    const SYNTH: &[(&str, &str)] = &[
        ("EMAIL_ADDRESS", "email"),
        ("PHONE_NUMBER", "phone"),
        ("CREDIT_CARD", "credit_card"),
        ("IBAN_CODE", "iban"),
        ("US_SSN", "us_ssn"),
        ("IP_ADDRESS", "ip_address"),
    ];
    // entity -> [dev, test] (tp, fp, fn)
    let mut per: BTreeMap<&str, [(u64, u64, u64); 2]> = BTreeMap::new();
    let mut other_kinds = [0u64; 2];
    for row in &rows {
        let si = usize::from(split(row) == "test");
        let text = str_field(row, "text");
        let verdict = strict.check(text);
        let gold: Vec<(&str, usize, usize)> = row
            .get("entities")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        let s = e.get("start")?.as_u64()? as usize;
                        let t = e.get("end")?.as_u64()? as usize;
                        Some((e.get("entity")?.as_str()?, byte_at(text, s), byte_at(text, t)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        for &(entity, kind) in SYNTH {
            let want: BTreeSet<(usize, usize)> = gold.iter().filter(|g| g.0 == entity).map(|g| (g.1, g.2)).collect();
            let have: BTreeSet<(usize, usize)> = verdict
                .findings()
                .iter()
                .filter(|f| f.kind() == kind)
                .map(|f| (f.start(), f.end()))
                .collect();
            if verbose(si) {
                for m in want.difference(&have) {
                    println!("    MISS synth {entity}: {:?} in {text:?}", &text[m.0..m.1]);
                }
                for m in have.difference(&want) {
                    println!("    EXTRA synth {kind}: {:?} in {text:?}", &text[m.0..m.1]);
                }
            }
            let e = per.entry(entity).or_default();
            e[si].0 += want.intersection(&have).count() as u64;
            e[si].1 += have.difference(&want).count() as u64;
            e[si].2 += want.difference(&have).count() as u64;
        }
        let mapped: Vec<&str> = SYNTH.iter().map(|s| s.1).collect();
        other_kinds[si] += verdict
            .findings()
            .iter()
            .filter(|f| !mapped.contains(&f.kind()))
            .filter(|f| !gold.iter().any(|g| g.1 < f.end() && f.start() < g.2))
            .count() as u64;
    }
    println!("  presidio_research_synth.jsonl, default config, exact spans");
    println!("  {:<16} {:>22} {:>22}", "entity", "dev p / r", "test p / r");
    let mut tot = [(0u64, 0u64, 0u64); 2];
    for (entity, c) in &per {
        let pr = |x: (u64, u64, u64)| {
            format!(
                "{} / {} (n={})",
                fmt(ratio(x.0, x.0 + x.1)),
                fmt(ratio(x.0, x.0 + x.2)),
                x.0 + x.2
            )
        };
        println!("  {:<16} {:>22} {:>22}", entity, pr(c[0]), pr(c[1]));
        for i in 0..2 {
            tot[i].0 += c[i].0;
            tot[i].1 += c[i].1;
            tot[i].2 += c[i].2;
        }
    }
    for (i, sp) in ["dev", "test"].iter().enumerate() {
        let p = ratio(tot[i].0, tot[i].0 + tot[i].1);
        let r = ratio(tot[i].0, tot[i].0 + tot[i].2);
        eval.metric(&format!("synth.{sp}.precision"), p);
        eval.metric(&format!("synth.{sp}.recall"), r);
        println!(
            "  synth {sp}: precision {} recall {} ; findings of other kinds on no labelled span: {}",
            fmt(p),
            fmt(r),
            other_kinds[i]
        );
    }
}
