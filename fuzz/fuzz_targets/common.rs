// The bodies of the fuzz targets. Shared with `tests/fuzz_corpus_replay.rs`, which replays
// fuzz/corpus/** through the same functions under plain `cargo test` on stable Rust.
//
// Each function must never panic for any input; the assertions are properties that hold for
// every body (so a failed assertion is a finding, just like a crash).

#![allow(dead_code)]

use dms_webhook::{
    canonicalize, delivery_key, explain, parse, sign_body, verify, ErrorCode, ExplainOptions,
    VerifyOptions, MAX_NUMBER_CHARS,
};

pub const URL: &str = "https://hooks.example.com/dms?x=1";
pub const SECRETS: [&str; 2] = ["fz-Secret-7Qx!", "fz-Older-Secret-Zk9"];

fn options(selector: u8) -> VerifyOptions {
    let mut o = VerifyOptions::new(URL, SECRETS[0]);
    if selector & 1 != 0 {
        o = o.secret(SECRETS[1]);
    }
    if selector & 2 != 0 {
        o = o.require_signature(false);
    }
    if selector & 4 != 0 {
        o = o.max_age_ms(60_000).now_ms(1_625_630_049_930);
    }
    if selector & 8 != 0 {
        o = o.max_body_bytes(64);
    }
    o
}

/// True when `text` shows a configured secret. Only meaningful when the body itself does not
/// contain it (messages may quote the body).
fn leaks(data: &[u8], text: &str) -> bool {
    SECRETS
        .iter()
        .any(|s| text.contains(s) && !data.windows(s.len()).any(|w| w == s.as_bytes()))
}

/// verify + explain (without revealExpected) + delivery_key under options chosen by the
/// first byte; the rest is the body.
pub fn fuzz_verify(data: &[u8]) {
    let (selector, body) = match data.split_first() {
        Some((s, rest)) => (*s, rest),
        None => (0, data),
    };
    let opts = options(selector);
    let verified = verify(body, &opts);
    let x = explain(
        body,
        &ExplainOptions {
            verify: Some(opts.clone()),
            reveal_expected: false,
        },
    );
    assert!(
        x.expected.is_none(),
        "expected signatures shown without revealExpected"
    );
    assert_eq!(verified.is_ok(), x.ok(), "explain disagrees with verify");
    if let Err(e) = &verified {
        assert_eq!(
            Some(e),
            x.error.as_ref(),
            "explain reports another error than verify"
        );
        assert!(!leaks(body, &e.to_string()), "error message shows a secret");
    }
    let debug = format!("{x:?}");
    assert!(!leaks(body, &debug), "explanation shows a secret");
    if verified.is_ok() {
        assert!(
            delivery_key(body).is_ok(),
            "verified body has no deliveryKey"
        );
    }
    // Signing the canonical event again must verify (when the body reads at all).
    if let Ok(canonical) = canonicalize(body) {
        if let Ok(signed) = sign_body(&canonical, URL, SECRETS[0]) {
            let roomy = VerifyOptions::new(URL, SECRETS[0]).max_body_bytes(usize::MAX);
            let again = verify(signed.as_bytes(), &roomy);
            assert!(again.is_ok(), "re-signed canonical body refused: {again:?}");
        }
    }
}

/// fastjson's length limit on number tokens, with the number's shape taken from the input:
/// inputs starting with `#` build a number of MAX_NUMBER_CHARS - 128 ..= + 127 characters from
/// the next bytes (length, sign, fraction, exponent) and check that it is refused exactly when
/// it is too long, inside messageEvent or not.
fn number_length_rule(data: &[u8]) {
    let [b'#', len, shape, exp, ..] = *data else {
        return;
    };
    let mut text = String::new();
    if shape & 1 != 0 {
        text.push('-');
    }
    let frac = usize::from(shape >> 1 & 3);
    let exponent = (shape & 8 != 0).then(|| format!("e{}", i16::from(exp as i8)));
    let total = MAX_NUMBER_CHARS - 128 + usize::from(len);
    let mantissa = total - exponent.as_ref().map_or(0, String::len);
    let int = mantissa - text.len() - if frac > 0 { frac + 1 } else { 0 };
    text.push('1');
    text.push_str(&"0".repeat(int - 1));
    if frac > 0 {
        text.push('.');
        text.push_str(&"5".repeat(frac));
    }
    text.push_str(exponent.as_deref().unwrap_or(""));
    assert_eq!(text.len(), total);
    let body = if shape & 16 != 0 {
        format!(r#"{{"messageEvent":{{"n":{text}}}}}"#)
    } else {
        format!(r#"{{"messageEvent":{{}},"n":[{text}]}}"#)
    };
    match canonicalize(body.as_bytes()) {
        Ok(_) => assert!(
            total <= MAX_NUMBER_CHARS,
            "a {total}-character number was read"
        ),
        Err(e) => {
            assert!(
                total > MAX_NUMBER_CHARS,
                "a {total}-character number was refused: {e}"
            );
            assert_eq!(e.code(), ErrorCode::NumberOutOfRange);
            assert_eq!(e.offset(), body.find(&text));
        }
    }
}

/// canonicalize + delivery_key; the canonical form of a canonical form is itself.
pub fn fuzz_canonicalize(data: &[u8]) {
    number_length_rule(data);
    let canonical = canonicalize(data);
    let key = delivery_key(data);
    assert_eq!(
        canonical.is_ok(),
        key.is_ok(),
        "canonicalize and deliveryKey disagree"
    );
    if let Ok(c) = canonical {
        assert!(
            std::str::from_utf8(&c).is_ok(),
            "canonical form is not UTF-8"
        );
        let mut wrapped = b"{\"messageEvent\":".to_vec();
        wrapped.extend_from_slice(&c);
        wrapped.push(b'}');
        // A canonical number may fall outside what can be read back (e.g. an exponent past
        // 2^31 after normalisation); when it reads, it must be unchanged.
        if let Ok(again) = canonicalize(&wrapped) {
            assert_eq!(again, c, "canonical form is not a fixed point");
            assert_eq!(
                delivery_key(&wrapped).ok(),
                key.ok(),
                "deliveryKey not stable"
            );
        }
    }
}

/// parse + explain without options; parse and canonicalize agree on what is readable.
pub fn fuzz_parse(data: &[u8]) {
    let parsed = parse(data);
    let canonical = canonicalize(data);
    match (&parsed, &canonical) {
        (Ok(_), Ok(_)) => {}
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "parse and canonicalize differ"),
        _ => panic!(
            "parse {:?} but canonicalize {:?}",
            parsed.is_ok(),
            canonical.is_ok()
        ),
    }
    let x = explain(data, &ExplainOptions::default());
    assert_eq!(
        x.event.is_some(),
        parsed.is_ok(),
        "explain parsed disagrees with parse"
    );
    if let Ok(c) = &canonical {
        let lossy = String::from_utf8_lossy(c);
        assert_eq!(
            x.canonical.as_deref(),
            Some(&*lossy),
            "explain canonical differs"
        );
    }
    if let Ok(env) = parsed {
        let _ = env.signature_method();
        let _ = format!("{:?}", env.event.value());
    }
}
