//! Every case of `tests/vectors/fastjson-1.2.83.jsonl`, each run through the real fastjson
//! 1.2.83 receiver: the same canonical bytes, signature and verdict on `exact` cases, the
//! error code the vector names on `refuse` cases.
#![cfg(feature = "full")]

use base64::Engine;
use dms_webhook::{
    canonicalize, delivery_key, explain, parse, sign, verify, ErrorCode, ExplainOptions,
    VerifyOptions,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn vectors() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/fastjson-1.2.83.jsonl"
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
        || error.contains("scanNumber overflow")
        || error.contains("decimal overflow")
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
                        let key = delivery_key(&body);
                        let digest: String = Sha256::digest(&want)
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect();
                        if key.as_ref().ok() != Some(&digest) {
                            fail(format!("delivery_key gave {key:?}, want {digest}"));
                        }
                        if let Some(sig) = v["signature"].as_str() {
                            // sign() canonicalises what it is given: the event's own text in
                            // the body must give the signature fastjson expects, always.
                            let raw = parse(&body).map(|p| body[p.message_event_text].to_vec());
                            match raw.map(|raw| sign(&raw, url, password)) {
                                Ok(Ok(s)) if s == sig => {}
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
                let want = v["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{id}: a refuse vector names its code"));
                let code = |r: Result<(), dms_webhook::Error>| match r {
                    Ok(()) => "accepted".to_string(),
                    Err(e) => e.code().as_str().to_string(),
                };
                for (what, got) in [
                    ("canonicalize", code(canonicalize(&body).map(drop))),
                    ("verify", code(verify(&body, &options).map(drop))),
                    ("parse", code(parse(&body).map(drop))),
                    ("delivery_key", code(delivery_key(&body).map(drop))),
                ] {
                    if got != want {
                        fail(format!("{what} gave {got}, want {want} ({})", v["why"]));
                    }
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

/// The signatures computed by the caller (as the npm package does in Node for large bodies)
/// give exactly the verdicts of the crate's own HMACs, on every vector and under rotation; so
/// does a body given as a `&str`, with either.
#[test]
fn caller_computed_signatures_agree_on_every_vector() {
    use dms_webhook::{check, Verifier};
    use hmac::{Hmac, Mac};
    for v in vectors() {
        let body = body_of(&v);
        let url = v["url"].as_str().unwrap();
        let password = v["password"].as_str().unwrap();
        for options in [
            VerifyOptions::new(url, password),
            VerifyOptions::new("https://other.example/", "old-secret")
                .url(url)
                .secret(password),
        ] {
            let Ok(verifier) = Verifier::new(options.clone()) else {
                continue;
            };
            let pairs: Vec<(String, String)> = options
                .urls
                .iter()
                .flat_map(|u| {
                    options
                        .secrets
                        .iter()
                        .map(|s| (u.clone(), s.expose().to_string()))
                })
                .collect();
            let mut calls = 0;
            let mut tags = |text: &[u8], out: &mut [[u8; 20]]| {
                calls += 1;
                assert_eq!(out.len(), pairs.len());
                for ((u, s), slot) in pairs.iter().zip(out.iter_mut()) {
                    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(s.as_bytes()).unwrap();
                    mac.update(u.as_bytes());
                    mac.update(s.as_bytes());
                    mac.update(text);
                    slot.copy_from_slice(&mac.finalize().into_bytes());
                }
            };
            let policy = options.policy();
            let expected = check(&body, &options);
            let external = verifier.check_with_tags(&body, &policy, &mut tags);
            assert_eq!(external, expected, "{}", v["id"]);
            // A body that is a &str skips the UTF-8 pass, and gets the same verdicts.
            if let Ok(text) = std::str::from_utf8(&body) {
                assert_eq!(
                    verifier.check_str_with(text, &policy),
                    expected,
                    "{}",
                    v["id"]
                );
                let from_str = verifier.check_str_with_tags(text, &policy, &mut tags);
                assert_eq!(from_str, expected, "{}", v["id"]);
            }
        }
    }
}

/// Tags that match nothing are refused like a wrong signature, never accepted.
#[test]
fn caller_computed_signatures_that_match_nothing_refuse() {
    use dms_webhook::{ErrorCode, Verifier};
    let body = sign_body_for_tests();
    let options = VerifyOptions::new("https://hooks.example.com/dms", "s3cret");
    let verifier = Verifier::new(options.clone()).unwrap();
    let mut wrong = |_: &[u8], out: &mut [[u8; 20]]| out.iter_mut().for_each(|t| *t = [7; 20]);
    let e = verifier
        .check_with_tags(&body, &options.policy(), &mut wrong)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::SignatureMismatch);
    assert!(verifier.check(&body).is_ok());
}

fn sign_body_for_tests() -> Vec<u8> {
    dms_webhook::sign_body(
        r#"{"taskName":"t","eventTime":1}"#,
        "https://hooks.example.com/dms",
        "s3cret",
    )
    .unwrap()
    .into_bytes()
}
