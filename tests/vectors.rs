//! Every case of `../shared/vectors/fastjson-1.2.83.jsonl`, each run through the real fastjson
//! 1.2.83 receiver: the same canonical bytes, signature and verdict on `exact` cases, a typed
//! error on `refuse` cases.

use base64::Engine;
use dms_webhook::{
    canonicalize, explain, parse, sign, verify, ErrorCode, ExplainOptions, VerifyOptions,
};
use serde_json::Value;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn vectors() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/fastjson-1.2.83.jsonl"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the test vectors must sit at {path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("vector line"))
        .collect()
}

fn body_of(v: &Value) -> Vec<u8> {
    match v["body"].as_str() {
        Some(s) => s.as_bytes().to_vec(),
        None => B64
            .decode(v["body_b64"].as_str().expect("body or body_b64"))
            .unwrap(),
    }
}

/// The error fastjson raised, as our code.
fn expected_code(error: &str) -> ErrorCode {
    if error.contains("Empty key") {
        ErrorCode::InvalidOptions
    } else if error.contains("Exponent overflow")
        || error.contains("Scale out of range")
        || error.contains("Too many nonzero exponent digits")
    {
        ErrorCode::NumberOutOfRange
    } else {
        panic!("no mapping for fastjson error {error}")
    }
}

#[test]
fn every_vector() {
    let all = vectors();
    assert!(
        all.len() >= 300,
        "expected about 300 vectors, found {}",
        all.len()
    );
    let mut failures = Vec::new();
    let (mut exact, mut refused) = (0, 0);
    for v in &all {
        let id = v["id"].as_str().unwrap();
        let body = body_of(v);
        let url = v["url"].as_str().unwrap();
        let password = v["password"].as_str().unwrap();
        let options = VerifyOptions::new(url, password);
        let mut fail = |what: String| failures.push(format!("{id}: {what}"));
        match v["domain"].as_str().unwrap() {
            "exact" => {
                exact += 1;
                let error = v["error"].as_str().map(expected_code);
                match (v["canonical_b64"].as_str(), canonicalize(&body)) {
                    (Some(want), Ok(got)) => {
                        let want = B64.decode(want).unwrap();
                        if got != want {
                            fail(format!(
                                "canonical differs\n  want {}\n  got  {}",
                                String::from_utf8_lossy(&want),
                                String::from_utf8_lossy(&got)
                            ));
                        }
                        if let Some(sig) = v["signature"].as_str() {
                            match sign(&got, url, password) {
                                Ok(s) if s == sig => {}
                                // The canonical text of `10e2147483647` is `1.0E+2147483648`,
                                // whose own exponent Java cannot read back.
                                Err(e) if e.code() == ErrorCode::NumberOutOfRange => {}
                                other => fail(format!("sign gave {other:?}, want {sig}")),
                            }
                            let x = explain(
                                &body,
                                &ExplainOptions {
                                    verify: Some(options.clone()),
                                    reveal_expected: true,
                                },
                            );
                            let expected = x.expected.unwrap_or_default();
                            if expected.len() != 1 || expected[0].canonical != sig {
                                fail(format!("explain expected {expected:?}, want {sig}"));
                            }
                        }
                        match parse(&body) {
                            Ok(env) => {
                                let want = v["signatureText"].as_str();
                                if env.signature_text.as_deref() != want {
                                    fail(format!(
                                        "parse signatureText {:?}, want {want:?}",
                                        env.signature_text
                                    ));
                                }
                            }
                            Err(e) => fail(format!("parse failed: {e}")),
                        }
                    }
                    (None, Err(e)) => {
                        if Some(e.code()) != error {
                            fail(format!("canonicalize error {e}, want {error:?}"));
                        }
                    }
                    (want, got) => fail(format!("canonicalize gave {got:?}, want {want:?}")),
                }
                let verdict = verify(&body, &options);
                match (error, &verdict) {
                    (Some(code), Err(e)) if e.code() == code => {}
                    (Some(code), _) => fail(format!("verify gave {verdict:?}, want {code}")),
                    (None, Ok(_)) if v["valid"] == true => {}
                    (None, Err(_)) if v["valid"] == false => {}
                    (None, _) => fail(format!(
                        "verify gave {verdict:?}, want valid={}",
                        v["valid"]
                    )),
                }
            }
            "refuse" => {
                refused += 1;
                if let Ok(c) = canonicalize(&body) {
                    fail(format!(
                        "canonicalize accepted it: {} ({})",
                        String::from_utf8_lossy(&c),
                        v["why"]
                    ));
                }
                if verify(&body, &options).is_ok() {
                    fail("verify accepted it".into());
                }
                if parse(&body).is_ok() {
                    fail("parse accepted it".into());
                }
            }
            other => fail(format!("unknown domain {other}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    println!("vectors: {exact} exact and {refused} refused, all as fastjson");
}
