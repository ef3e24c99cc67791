//! Every error code, where it points, and what it must never reveal; then the behaviour around
//! verification that the vector file cannot show: the policy taken from the options, key
//! rotation, the raw form, the age and size limits, `parse`, `explain`, `delivery_key` and
//! `sign_body`.
#![cfg(feature = "full")]

use base64::Engine;
use dms_webhook::{
    canonicalize, check, delivery_key, explain, explain_value, parse, parse_value, sign, sign_body,
    verify, Error, ErrorCode, EventTime, ExplainOptions, Form, HintCode, Secret, SignatureMethod,
    Value, Verifier, VerifyOptions, DEFAULT_MAX_BODY_BYTES,
};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Distinctive, and not ASCII, so that a leak through any encoding of it would show.
const SECRET: &str = "s3cr3t-Δ-XYZ";
const URL: &str = "https://hooks.example.com/dms";

fn options() -> VerifyOptions {
    VerifyOptions::new(URL, SECRET)
}

/// signatureText computed here, independently of the crate, over any text.
fn hmac(url: &str, secret: &str, text: &[u8]) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    mac.update(secret.as_bytes());
    mac.update(text);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A body with `event` written exactly as given.
fn body(event: &str, signature: &str) -> String {
    format!(
        r#"{{"messageEvent":{event},"signatureMethod":"HMAC_SHA1","signatureText":"{signature}"}}"#
    )
}

/// A body signed by the documented algorithm: over the canonical form, with `url` and `secret`.
fn signed_with(event: &str, url: &str, secret: &str) -> String {
    let canonical = canonicalize(body(event, "")).unwrap();
    body(event, &hmac(url, secret, &canonical))
}

fn signed(event: &str) -> String {
    signed_with(event, URL, SECRET)
}

/// No rendering of an error may carry the secret or any recognisable part of it.
fn assert_no_secret(e: &Error) {
    for text in [
        e.message().to_string(),
        e.to_string(),
        format!("{e:?}"),
        format!("{e:#?}"),
    ] {
        assert!(!text.contains(SECRET), "the secret leaks: {text}");
        assert!(!text.contains("s3cr3t"), "part of the secret leaks: {text}");
    }
}

fn fails(result: Result<impl std::fmt::Debug, Error>, code: ErrorCode) -> Error {
    let e = result
        .map(|v| panic!("expected {code}, got {v:?}"))
        .unwrap_err();
    assert_eq!(e.code(), code, "{e}");
    assert!(!e.message().is_empty());
    assert!(e.to_string().starts_with(code.as_str()), "{e}");
    assert_no_secret(&e);
    e
}

fn at(text: &[u8], needle: &[u8]) -> usize {
    text.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle in text")
}

// ---------------------------------------------------------------------------------------------
// One test per code

/// One real failure for `code`, produced through the public API. The match has no wildcard, so
/// a new code cannot be added without an example here.
fn example(code: ErrorCode) -> Error {
    let o = options();
    let r = match code {
        ErrorCode::MalformedJson => verify(r#"{"messageEvent":{"a":1,}}"#, &o),
        ErrorCode::UnsupportedJson => verify(r#"{"messageEvent":{"$ref":"$"}}"#, &o),
        ErrorCode::NestingTooDeep => {
            verify(format!(r#"{{"messageEvent":{}}}"#, "[".repeat(600)), &o)
        }
        ErrorCode::NumberOutOfRange => verify(r#"{"messageEvent":{"n":1e2147483648}}"#, &o),
        ErrorCode::InvalidUtf8 => verify(b"{\"messageEvent\":{\"a\":\"\xff\"}}", &o),
        ErrorCode::BodyTooLarge => verify(signed("{}"), &o.max_body_bytes(8)),
        ErrorCode::MissingMessageEvent => verify(r#"{"message":{}}"#, &o),
        ErrorCode::InvalidMessageEvent => verify(r#"{"messageEvent":"{}"}"#, &o),
        ErrorCode::Unsigned => verify(r#"{"messageEvent":{},"signatureMethod":"None"}"#, &o),
        ErrorCode::UnsupportedSignatureMethod => verify(
            r#"{"messageEvent":{},"signatureMethod":"HMAC_SHA256","signatureText":"x"}"#,
            &o,
        ),
        ErrorCode::SignatureMismatch => verify(signed_with("{}", URL, "other"), &o),
        ErrorCode::EventTooOld => verify(
            signed(r#"{"eventTime":1000}"#),
            &o.max_age_ms(10).now_ms(2000),
        ),
        ErrorCode::EventInFuture => verify(
            signed(r#"{"eventTime":3000}"#),
            &o.max_age_ms(10).now_ms(2000),
        ),
        ErrorCode::InvalidOptions => verify(signed("{}"), &VerifyOptions::new(URL, "")),
    };
    fails(r, code)
}

#[test]
fn every_code_is_covered() {
    assert_eq!(ErrorCode::ALL.len(), 14);
    let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    for name in &names {
        assert!(
            name.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_'),
            "{name}"
        );
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 14, "codes must be distinct");
    for code in ErrorCode::ALL {
        assert_eq!(example(code).code(), code);
        assert_eq!(code.to_string(), code.as_str());
    }
    let expected = [
        "MALFORMED_JSON",
        "UNSUPPORTED_JSON",
        "NESTING_TOO_DEEP",
        "NUMBER_OUT_OF_RANGE",
        "INVALID_UTF8",
        "BODY_TOO_LARGE",
        "MISSING_MESSAGE_EVENT",
        "INVALID_MESSAGE_EVENT",
        "UNSIGNED",
        "UNSUPPORTED_SIGNATURE_METHOD",
        "SIGNATURE_MISMATCH",
        "EVENT_TOO_OLD",
        "EVENT_IN_FUTURE",
        "INVALID_OPTIONS",
    ];
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(all, expected, "the codes are a public contract");
}

#[test]
fn malformed_json_points_at_the_byte() {
    // Multi-byte characters before the fault: the offset counts bytes, not characters.
    let b = r#"{"messageEvent":{"工單":"é","a":1,}}"#;
    let e = fails(verify(b, &options()), ErrorCode::MalformedJson);
    let want = at(b.as_bytes(), b",}") + 1;
    assert_eq!(e.offset(), Some(want));
    assert!(want > b[..want].chars().count());
    assert!(e.message().contains(&want.to_string()), "{e}");

    for (b, fault, delta) in [
        (r#"{"messageEvent":{"a":01}}"#, "01}", 0),
        (r#"{"messageEvent":{"a":tru}}"#, "tru", 0),
        (r#"{"messageEvent":{"a" 1}}"#, "1}", 0),
        (r#"{"messageEvent":{"é":"x"} x"#, " x", 1),
        (r#"{"messageEvent":{'a':1}}"#, "'a'", 0),
        (r#"{"messageEvent":{"a":[1,]}}"#, ",]", 1),
        (r#"{"messageEvent":{"a":"\q"}}"#, "\\q", 0),
    ] {
        let e = fails(canonicalize(b), ErrorCode::MalformedJson);
        let want = at(b.as_bytes(), fault.as_bytes()) + delta;
        assert_eq!(e.offset(), Some(want), "{b}");
    }
    let e = fails(canonicalize(""), ErrorCode::MalformedJson);
    assert_eq!(e.offset(), Some(0));
    let b = "{\"messageEvent\":{\"a\":\"unterminated";
    let e = fails(canonicalize(b), ErrorCode::MalformedJson);
    assert!(e.offset().is_some());
}

#[test]
fn unsupported_json_names_the_key() {
    for key in ["$ref", "@type"] {
        for (b, spelled) in [
            (
                format!(r#"{{"messageEvent":{{"a":{{"{key}":"$"}}}}}}"#),
                key.to_string(),
            ),
            (
                format!(r#"{{"{key}":"x","messageEvent":{{}}}}"#),
                key.to_string(),
            ),
            (
                format!(r#"{{"messageEvent":{{"a":[{{"x":1,"{key}":1}}]}}}}"#),
                key.to_string(),
            ),
        ] {
            let e = fails(verify(&b, &options()), ErrorCode::UnsupportedJson);
            let want = at(b.as_bytes(), format!("\"{spelled}\"").as_bytes());
            assert_eq!(e.offset(), Some(want), "{b}");
            assert!(e.message().contains(key), "{e}");
        }
    }
    // Escaped spellings are the same key to fastjson.
    let b = r#"{"messageEvent":{"\u0024ref":"$"}}"#;
    let e = fails(canonicalize(b), ErrorCode::UnsupportedJson);
    assert_eq!(e.offset(), Some(at(b.as_bytes(), br#""\u0024"#)));
    fails(
        canonicalize(r#"{"messageEvent":{"\u0040type":"java.util.HashMap"}}"#),
        ErrorCode::UnsupportedJson,
    );
    // Only the exact keys: values and look-alikes are data.
    assert_eq!(
        canonicalize(r#"{"messageEvent":{"ref":"$ref","$refs":1,"@Type":"@type","type":2}}"#)
            .unwrap(),
        br#"{"ref":"$ref","$refs":1,"@Type":"@type","type":2}"#
    );
}

#[test]
fn nesting_too_deep_points_at_the_first_level_too_many() {
    let prefix = r#"{"messageEvent":{"a":"#;
    let b = format!("{prefix}{}{}}}}}", "[".repeat(600), "]".repeat(600));
    let e = fails(verify(&b, &options()), ErrorCode::NestingTooDeep);
    // The body is level 1, messageEvent level 2: the 511th bracket opens level 513.
    assert_eq!(e.offset(), Some(prefix.len() + 510));
    assert!(e.message().contains("512"), "{e}");
}

#[test]
fn number_out_of_range_points_at_the_number() {
    for n in ["1e2147483648", "-1.5e-2147483647", "1e99999999999"] {
        let b = format!(r#"{{"messageEvent":{{"é":[1,{n}]}}}}"#);
        let e = fails(verify(&b, &options()), ErrorCode::NumberOutOfRange);
        assert_eq!(e.offset(), Some(at(b.as_bytes(), n.as_bytes())), "{n}");
    }
}

#[test]
fn an_overlong_number_is_refused_everywhere_and_explained() {
    let n = format!("-{}", "7".repeat(dms_webhook::MAX_NUMBER_CHARS));
    let b = format!(r#"{{"messageEvent":{{"a":1}},"x":{{"n":{n}}}}}"#);
    let e = fails(verify(&b, &options()), ErrorCode::NumberOutOfRange);
    assert_eq!(e.offset(), Some(at(b.as_bytes(), n.as_bytes())));
    fails(check(&b, &options()), ErrorCode::NumberOutOfRange);
    fails(canonicalize(&b), ErrorCode::NumberOutOfRange);
    fails(parse(&b), ErrorCode::NumberOutOfRange);
    fails(delivery_key(&b), ErrorCode::NumberOutOfRange);
    let x = explain(
        &b,
        &ExplainOptions {
            verify: Some(options()),
            reveal_expected: false,
        },
    );
    let reason = x
        .parse_error
        .expect("explain says why the body cannot be read");
    assert_eq!(reason.code(), ErrorCode::NumberOutOfRange);
    assert!(
        reason.message().contains("65536 characters long") && reason.message().contains("65535"),
        "{reason}"
    );
    assert_eq!(x.error.map(|e| e.code()), Some(ErrorCode::NumberOutOfRange));
}

#[test]
fn invalid_utf8_gives_the_byte_offset() {
    for (b, bad) in [
        (&b"{\"messageEvent\":{\"\xc3\xa9\":\"\xff\"}}"[..], 0xffu8),
        (&b"{\"messageEvent\":{\"a\":\"\xe5\xb7\"}}"[..], 0xe5),
        (&b"{\"messageEvent\":{\"a\":\"\xed\xa0\x80\"}}"[..], 0xed),
        (&b"{\"messageEvent\":{\"a\":\"\xc0\xaf\"}}"[..], 0xc0),
        (&b"{\"messageEvent\":{},\"x\":\"\x80\"}"[..], 0x80),
    ] {
        let e = fails(verify(b, &options()), ErrorCode::InvalidUtf8);
        let want = b.iter().position(|&c| c == bad).unwrap();
        assert_eq!(e.offset(), Some(want), "{}", String::from_utf8_lossy(b));
        fails(canonicalize(b), ErrorCode::InvalidUtf8);
        fails(parse(b), ErrorCode::InvalidUtf8);
    }
}

#[test]
fn body_too_large_is_checked_first() {
    let b = signed(r#"{"a":"0123456789"}"#);
    let e = fails(
        verify(&b, &options().max_body_bytes(b.len() - 1)),
        ErrorCode::BodyTooLarge,
    );
    assert!(e.message().contains(&b.len().to_string()), "{e}");
    assert_eq!(e.offset(), None);
    assert!(verify(&b, &options().max_body_bytes(b.len())).is_ok());
    // Not parsed at all when too large: garbage gets the size error.
    let garbage = vec![0xffu8; 100];
    fails(
        verify(&garbage, &options().max_body_bytes(99)),
        ErrorCode::BodyTooLarge,
    );
}

#[test]
fn default_max_body_is_one_mebibyte() {
    assert_eq!(DEFAULT_MAX_BODY_BYTES, 1 << 20);
    assert_eq!(options().max_body_bytes, 1 << 20);
    let padded = |n: usize| signed(&format!(r#"{{"eventTime":1,"pad":"{}"}}"#, "a".repeat(n)));
    let base = padded(0).len();
    let exact = padded((1 << 20) - base);
    assert_eq!(exact.len(), 1 << 20);
    let v = verify(&exact, &options()).expect("exactly 1 MiB is allowed");
    assert_eq!(v.matched.unwrap().form, Form::Canonical);
    let over = padded((1 << 20) - base + 1);
    assert_eq!(over.len(), (1 << 20) + 1);
    fails(verify(&over, &options()), ErrorCode::BodyTooLarge);
}

#[test]
fn missing_message_event() {
    for b in [
        r#"{}"#,
        r#"{"message":{}}"#,
        r#"{"MessageEvent":{}}"#,
        r#"{"messageevent":{}}"#,
        r#"{"x":{"messageEvent":{}}}"#,
        r#"[{"messageEvent":{}}]"#,
        r#""messageEvent""#,
        "1",
        "null",
    ] {
        let e = fails(verify(b, &options()), ErrorCode::MissingMessageEvent);
        assert_eq!(e.offset(), None, "{b}");
        fails(canonicalize(b), ErrorCode::MissingMessageEvent);
        fails(parse(b), ErrorCode::MissingMessageEvent);
    }
}

#[test]
fn invalid_message_event_points_at_the_value() {
    for value in [r#""{\"a\":1}""#, "[]", "1", "true", "null", r#""""#] {
        let b = format!(r#"{{"messageEvent": {value},"signatureMethod":"None"}}"#);
        let e = fails(verify(&b, &options()), ErrorCode::InvalidMessageEvent);
        assert_eq!(e.offset(), Some(at(b.as_bytes(), value.as_bytes())), "{b}");
        fails(canonicalize(&b), ErrorCode::InvalidMessageEvent);
        fails(parse(&b), ErrorCode::InvalidMessageEvent);
    }
    // The last occurrence decides, as in fastjson's map.
    fails(
        verify(r#"{"messageEvent":{},"messageEvent":null}"#, &options()),
        ErrorCode::InvalidMessageEvent,
    );
}

#[test]
fn unsigned_bodies_while_a_signature_is_required() {
    let sig = hmac(URL, SECRET, b"{}");
    for b in [
        r#"{"messageEvent":{}}"#.to_string(),
        r#"{"messageEvent":{},"signatureMethod":"None"}"#.to_string(),
        r#"{"messageEvent":{},"signatureMethod":null}"#.to_string(),
        format!(r#"{{"messageEvent":{{}},"signatureMethod":"None","signatureText":"{sig}"}}"#),
        format!(r#"{{"messageEvent":{{}},"signatureText":"{sig}"}}"#),
        r#"{"messageEvent":{},"signatureMethod":"HMAC_SHA1"}"#.to_string(),
        r#"{"messageEvent":{},"signatureMethod":"HMAC_SHA1","signatureText":null}"#.to_string(),
    ] {
        let e = fails(verify(&b, &options()), ErrorCode::Unsigned);
        assert_eq!(e.offset(), None);
    }
}

#[test]
fn unsupported_signature_method() {
    for method in [r#""HMAC_SHA256""#, r#""hmacsha1""#, r#""""#, "1", "{}"] {
        let b = format!(
            r#"{{"messageEvent":{{}},"signatureMethod":{method},"signatureText":"{}"}}"#,
            hmac(URL, SECRET, b"{}")
        );
        let e = fails(
            verify(&b, &options()),
            ErrorCode::UnsupportedSignatureMethod,
        );
        assert_eq!(e.offset(), None);
    }
}

#[test]
fn signature_mismatch() {
    let good = signed(r#"{"a":1}"#);
    assert!(verify(&good, &options()).is_ok());
    let sig = hmac(URL, SECRET, br#"{"a":1}"#);
    for wrong in [
        hmac(URL, SECRET, br#"{"a":2}"#),
        hmac(URL, "s3cr3t-Δ-XYz", br#"{"a":1}"#),
        hmac("https://hooks.example.com/dms/", SECRET, br#"{"a":1}"#),
        sig.to_lowercase(),
        sig.trim_end_matches('=').to_string(),
        format!(" {sig}"),
        format!("{sig}\\n"),
        String::new(),
        "not base64 at all".to_string(),
        "A".repeat(28),
    ] {
        let e = fails(
            verify(body(r#"{"a":1}"#, &wrong), &options()),
            ErrorCode::SignatureMismatch,
        );
        assert_eq!(e.offset(), None);
    }
}

#[test]
fn signature_text_is_compared_exactly() {
    // 20 bytes take 27 base64 digits and leave 2 spare bits in the last one: a text that only
    // differs there decodes to the same bytes, but it is not the text Java computes.
    let sig = hmac(URL, SECRET, br#"{"a":1}"#);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let last = sig.as_bytes()[26];
    let index = alphabet.iter().position(|&c| c == last).unwrap();
    for spare in 1..4 {
        let mut twin = sig.clone().into_bytes();
        twin[26] = alphabet[(index & !3) | ((index + spare) & 3)];
        let twin = String::from_utf8(twin).unwrap();
        assert_ne!(twin, sig);
        fails(
            verify(body(r#"{"a":1}"#, &twin), &options()),
            ErrorCode::SignatureMismatch,
        );
    }
}

#[test]
fn event_too_old_and_in_future() {
    let b = signed(r#"{"eventTime":1625630049930}"#);
    let t = 1_625_630_049_930i64;
    let with = |now: i64| options().max_age_ms(60_000).now_ms(now);
    assert!(verify(&b, &with(t)).is_ok());
    assert!(verify(&b, &with(t + 60_000)).is_ok());
    assert!(verify(&b, &with(t - 60_000)).is_ok());
    let e = fails(verify(&b, &with(t + 60_001)), ErrorCode::EventTooOld);
    assert_eq!(e.offset(), None);
    let e = fails(verify(&b, &with(t - 60_001)), ErrorCode::EventInFuture);
    assert_eq!(e.offset(), None);
    // Without an age limit, any time is fine.
    assert!(verify(&b, &options().now_ms(0)).is_ok());
}

#[test]
fn event_time_as_a_string_of_digits() {
    let b = signed(r#"{"eventTime":"1625630049930"}"#);
    let t = 1_625_630_049_930i64;
    let with = |now: i64| options().max_age_ms(1000).now_ms(now);
    assert!(verify(&b, &with(t + 1000)).is_ok());
    assert!(verify(&b, &with(t - 1000)).is_ok());
    fails(verify(&b, &with(t + 1001)), ErrorCode::EventTooOld);
    fails(verify(&b, &with(t - 1001)), ErrorCode::EventInFuture);
}

#[test]
fn an_age_limit_needs_a_usable_event_time() {
    for event in [
        r#"{"a":1}"#,
        r#"{"eventTime":null}"#,
        r#"{"eventTime":"2021-07-07 12:00:00"}"#,
        r#"{"eventTime":""}"#,
        r#"{"eventTime":true}"#,
        r#"{"eventTime":[1625630049930]}"#,
        r#"{"eventTime":{"ms":1625630049930}}"#,
        r#"{"eventTime":99999999999999999999999}"#,
    ] {
        let b = signed(event);
        assert!(
            verify(&b, &options()).is_ok(),
            "{event} verifies without a limit"
        );
        fails(
            verify(&b, &options().max_age_ms(u64::MAX / 2).now_ms(1)),
            ErrorCode::EventTooOld,
        );
    }
}

#[test]
fn an_escaped_event_time_key_is_the_event_time() {
    let b = signed(r#"{"event\u0054ime":5000}"#);
    assert!(verify(&b, &options().max_age_ms(0).now_ms(5000)).is_ok());
    fails(
        verify(&b, &options().max_age_ms(0).now_ms(5001)),
        ErrorCode::EventTooOld,
    );
}

#[test]
fn the_signature_is_checked_before_the_age() {
    let b = signed_with(r#"{"eventTime":1}"#, URL, "other");
    fails(
        verify(&b, &options().max_age_ms(1).now_ms(1_000_000)),
        ErrorCode::SignatureMismatch,
    );
}

#[test]
fn the_event_time_that_counts_is_the_one_signed() {
    // A nested eventTime is not the event's; a repeated one takes its last value.
    let b = signed(r#"{"x":{"eventTime":1},"eventTime":5000,"eventTime":1000000}"#);
    let with = |now: i64| options().max_age_ms(10).now_ms(now);
    assert!(verify(&b, &with(1_000_000)).is_ok());
    fails(verify(&b, &with(5000)), ErrorCode::EventInFuture);
    let b = signed(r#"{"eventTime":5000,"x":{"eventTime":1}}"#);
    assert!(verify(&b, &with(5000)).is_ok());
}

#[test]
fn invalid_options() {
    let b = signed("{}");
    let mut no_url = options();
    no_url.urls.clear();
    let mut no_secret = options();
    no_secret.secrets.clear();
    for o in [
        no_url,
        no_secret,
        VerifyOptions::new(URL, ""),
        options().secret(""),
        VerifyOptions::new(URL, String::new()).secret(SECRET),
    ] {
        let e = fails(verify(&b, &o), ErrorCode::InvalidOptions);
        assert_eq!(e.offset(), None);
    }
    // The options are checked before the body.
    fails(
        verify("garbage", &VerifyOptions::new(URL, "")),
        ErrorCode::InvalidOptions,
    );
    fails(sign("{}", URL, ""), ErrorCode::InvalidOptions);
    fails(sign_body("{}", URL, ""), ErrorCode::InvalidOptions);
}

#[test]
fn messages_never_contain_the_secret() {
    for code in ErrorCode::ALL {
        assert_no_secret(&example(code));
    }
    // Nor do explanations, whose hints name URLs and secrets by index.
    let o = VerifyOptions::new(URL, SECRET).secret(format!("{SECRET}-2"));
    for b in [
        body(r#"{"a":1}"#, "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        r#"{"messageEvent":{},"signatureMethod":"HMAC_SHA256"}"#.to_string(),
        r#"{"messageEvent":{}}"#.to_string(),
    ] {
        assert_no_secret(&verify(&b, &o).unwrap_err());
        let x = explain(
            &b,
            &ExplainOptions {
                verify: Some(o.clone()),
                reveal_expected: true,
            },
        );
        let shown = format!("{x:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}

#[test]
fn a_prepared_verifier_redacts_and_agrees() {
    let o = options().secret("second-Ω-secret");
    let prepared = Verifier::new(o.clone()).unwrap();
    let shown = format!("{prepared:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(!shown.contains("second-Ω-secret"), "{shown}");
    for b in [
        signed(FULL_EVENT),
        signed_with("{}", URL, "second-Ω-secret"),
        body("{}", "x"),
    ] {
        assert_eq!(prepared.verify(&b), verify(&b, &o));
        assert_eq!(prepared.check(&b), check(&b, &o));
    }
    let e = Verifier::new(VerifyOptions::new(URL, "")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidOptions);
    assert_no_secret(&e);
}

#[test]
fn debug_of_options_redacts_secrets() {
    let o = options()
        .secret("second-Ω-secret")
        .url("https://b.example.com/x");
    for shown in [format!("{o:?}"), format!("{o:#?}")] {
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains("second-Ω-secret"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
        assert!(shown.contains(URL), "URLs are not secret: {shown}");
    }
    let secret = Secret::new(SECRET);
    assert!(!format!("{secret:?}").contains("s3cr3t"));
    assert_eq!(secret.expose(), SECRET);
    let x = ExplainOptions {
        verify: Some(o),
        reveal_expected: false,
    };
    assert!(!format!("{x:?}").contains("s3cr3t"));
}

// ---------------------------------------------------------------------------------------------
// The policy comes from the options

#[test]
fn signature_method_none_is_refused_while_required() {
    let b = r#"{"messageEvent":{"event":"审批通过"},"signatureMethod":"None"}"#;
    fails(verify(b, &options()), ErrorCode::Unsigned);
    let v = verify(b, &options().require_signature(false)).unwrap();
    assert_eq!(v.signature_method, SignatureMethod::None);
    assert_eq!(v.matched, None);
    assert_eq!(v.event.event.as_deref(), Some("审批通过"));
    let v = verify(
        r#"{"messageEvent":{}}"#,
        &options().require_signature(false),
    )
    .unwrap();
    assert_eq!(v.signature_method, SignatureMethod::None);
    assert_eq!(v.matched, None);
}

#[test]
fn a_wrong_signature_is_refused_even_when_none_is_required() {
    let b = signed_with(r#"{"a":1}"#, URL, "other");
    fails(
        verify(&b, &options().require_signature(false)),
        ErrorCode::SignatureMismatch,
    );
    fails(
        verify(body("{}", "garbage"), &options().require_signature(false)),
        ErrorCode::SignatureMismatch,
    );
    let v = verify(signed(r#"{"a":1}"#), &options().require_signature(false)).unwrap();
    assert_eq!(v.signature_method, SignatureMethod::HmacSha1);
    assert!(v.matched.is_some());
}

#[test]
fn the_default_requires_a_signature() {
    assert!(options().require_signature);
    let c = check(signed("{}"), &options()).unwrap();
    assert_eq!(c.signature_method, SignatureMethod::HmacSha1);
}

// ---------------------------------------------------------------------------------------------
// Rotation

#[test]
fn any_configured_pair_matches_and_is_reported() {
    let urls = [
        "https://a.example.com/dms",
        "https://b.example.com/dms",
        "http://c.example.com:8080/dms?x=1",
    ];
    let secrets = ["first", SECRET, "third-秘密"];
    let mut o = VerifyOptions::new(urls[0], secrets[0]);
    for u in &urls[1..] {
        o = o.url(*u);
    }
    for s in &secrets[1..] {
        o = o.secret(*s);
    }
    assert_eq!(o.urls.len(), 3);
    assert_eq!(o.secrets.len(), 3);
    for (u, url) in urls.iter().enumerate() {
        for (s, secret) in secrets.iter().enumerate() {
            let b = signed_with(r#"{"taskId":"42"}"#, url, secret);
            let m = verify(&b, &o).unwrap().matched.expect("a match");
            assert_eq!(
                (m.url_index, m.url.as_str(), m.secret_index, m.form),
                (u, *url, s, Form::Canonical)
            );
            let c = check(&b, &o).unwrap();
            assert_eq!(c.matched, Some(m));
        }
    }
    // A URL and a secret that are configured, but with a secret from elsewhere, do not match.
    fails(
        verify(signed_with("{}", urls[1], "fourth"), &o),
        ErrorCode::SignatureMismatch,
    );
    fails(
        verify(
            signed_with("{}", "https://d.example.com/dms", secrets[1]),
            &o,
        ),
        ErrorCode::SignatureMismatch,
    );
}

#[test]
fn rotation_on_the_tree_path_and_with_a_repeated_message_event() {
    let o = VerifyOptions::new("https://a.example.com/", "first")
        .url(URL)
        .secret(SECRET);
    // A duplicate key makes the reader start over on its tree path; a repeated messageEvent
    // makes it start over on the last one. Each pair's HMAC must start over with it.
    for event in [r#"{"a":1,"b":2,"a":3}"#, r#"{"x":{"k":null,"k":[1.0]}}"#] {
        let b = signed(event);
        let m = verify(&b, &o).unwrap().matched.unwrap();
        assert_eq!((m.url_index, m.secret_index), (1, 1), "{event}");
        let twice = b.replacen(
            r#"{"messageEvent":"#,
            r#"{"messageEvent":{"first":"ignored","d":1,"d":2},"messageEvent":"#,
            1,
        );
        let m = verify(&twice, &o).unwrap().matched.unwrap();
        assert_eq!((m.url_index, m.secret_index), (1, 1), "{twice}");
    }
}

#[test]
fn the_last_signature_member_counts() {
    let good = hmac(URL, SECRET, br#"{"a":1}"#);
    let b = format!(
        r#"{{"signatureText":"AAAAAAAAAAAAAAAAAAAAAAAAAAA=","messageEvent":{{"a":1}},"signatureMethod":"HMAC_SHA1","signatureText":"{good}"}}"#
    );
    assert!(verify(&b, &options()).is_ok());
    let b = format!(
        r#"{{"signatureText":"{good}","messageEvent":{{"a":1}},"signatureMethod":"HMAC_SHA1","signatureText":"AAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#
    );
    fails(verify(&b, &options()), ErrorCode::SignatureMismatch);
    let b = format!(
        r#"{{"signatureMethod":"HMAC_SHA1","messageEvent":{{"a":1}},"signatureText":"{good}","signatureMethod":"None"}}"#
    );
    fails(verify(&b, &options()), ErrorCode::Unsigned);
    // Escaped spellings of the member names are the same members.
    let b = format!(
        r#"{{"messageEvent":{{"a":1}},"signatureMethod":"HMAC_SHA1","signatureText":"{good}"}}"#
    );
    assert!(verify(&b, &options()).is_ok());
}

#[test]
fn a_nested_message_event_is_just_data() {
    let event = r#"{"messageEvent":{"a":1},"signatureText":"x","eventTime":5}"#;
    let b = signed(event);
    assert_eq!(canonicalize(&b).unwrap(), event.as_bytes());
    let v = verify(&b, &options().max_age_ms(0).now_ms(5)).unwrap();
    assert_eq!(v.event.extra.len(), 2);
}

#[test]
fn the_first_matching_pair_is_reported() {
    let o = VerifyOptions::new(URL, SECRET).secret(SECRET).url(URL);
    let m = verify(signed("{}"), &o).unwrap().matched.unwrap();
    assert_eq!((m.url_index, m.secret_index), (0, 0));
}

// ---------------------------------------------------------------------------------------------
// Raw and canonical forms

#[test]
fn a_body_written_by_another_serializer() {
    let raw = "{ \"b\" : \"caf\\u00e9 \\/ x\", \"a\" : 1.00, \"n\" : null, \"e\" : 1e2 }";
    let canonical = r#"{"b":"café / x","a":1.00,"e":1E+2}"#;
    assert_eq!(canonicalize(body(raw, "")).unwrap(), canonical.as_bytes());

    let over_raw = body(raw, &hmac(URL, SECRET, raw.as_bytes()));
    let m = verify(&over_raw, &options()).unwrap().matched.unwrap();
    assert_eq!(m.form, Form::Raw);
    assert_eq!(m.form.as_str(), "raw");

    let over_canonical = body(raw, &hmac(URL, SECRET, canonical.as_bytes()));
    let m = verify(&over_canonical, &options())
        .unwrap()
        .matched
        .unwrap();
    assert_eq!(m.form, Form::Canonical);
    assert_eq!(m.form.as_str(), "canonical");

    // Neither: what another serializer might have written instead.
    for other in [
        r#"{"b":"café / x","a":1.0,"e":1E+2}"#,
        r#"{"b":"café / x","a":1.00,"n":null,"e":1E+2}"#,
        r#"{"a":1.00,"b":"café / x","e":1E+2}"#,
        r#"{"b":"café \/ x","a":1.00,"e":1E+2}"#,
    ] {
        fails(
            verify(body(raw, &hmac(URL, SECRET, other.as_bytes())), &options()),
            ErrorCode::SignatureMismatch,
        );
    }
}

#[test]
fn the_raw_form_is_the_exact_text_including_its_whitespace() {
    let raw = "{\n  \"a\": 1.0,\n  \"b\": [1, 2]\n}";
    let b = format!(
        "{{\"messageEvent\": {raw} ,\"signatureMethod\":\"HMAC_SHA1\",\"signatureText\":\"{}\"}}",
        hmac(URL, SECRET, raw.as_bytes())
    );
    let c = check(&b, &options()).unwrap();
    assert_eq!(c.matched.unwrap().form, Form::Raw);
    assert_eq!(&b[c.message_event.clone()], raw);
    let trimmed = raw.replace("\n  ", "\n");
    let b = b.replace(
        &hmac(URL, SECRET, raw.as_bytes()),
        &hmac(URL, SECRET, trimmed.as_bytes()),
    );
    fails(verify(&b, &options()), ErrorCode::SignatureMismatch);
}

#[test]
fn the_raw_form_works_with_rotation() {
    let raw = r#"{"x": 1}"#;
    let o = VerifyOptions::new(URL, "old")
        .secret(SECRET)
        .url("https://other.example.com/");
    let b = body(
        raw,
        &hmac("https://other.example.com/", SECRET, raw.as_bytes()),
    );
    let m = verify(&b, &o).unwrap().matched.unwrap();
    assert_eq!((m.url_index, m.secret_index, m.form), (1, 1, Form::Raw));
}

// ---------------------------------------------------------------------------------------------
// parse

const FULL_EVENT: &str = r#"{"submitterName":"张三","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"1673826650151111"},{"uid":"2"}],"targetUsers":[{"name":"xxx2","uid":"1673826650152222","role":"owner"}],"taskName":"Webhook test","taskId":"T-1"}"#;

#[test]
fn parse_gives_the_typed_fields() {
    let b = body(FULL_EVENT, "4mOdwflN1Cg5NdM2XPuipuCYYWk=");
    let env = parse(&b).unwrap();
    let e = &env.event;
    assert_eq!(e.submitter_name.as_deref(), Some("张三"));
    assert_eq!(e.submitter_uid.as_deref(), Some("167382665015xxxx"));
    assert_eq!(e.category.as_deref(), Some("工單"));
    assert_eq!(e.module.as_deref(), Some("數據變更"));
    assert_eq!(e.event.as_deref(), Some("執行成功"));
    assert_eq!(e.task_id.as_deref(), Some("T-1"));
    assert_eq!(e.task_name.as_deref(), Some("Webhook test"));
    assert_eq!(
        e.message.as_deref(),
        Some("【DMS數據管理】Webhook test, code: 144619 ")
    );
    match &e.event_time {
        Some(EventTime::Number(n)) => {
            assert_eq!(n.as_str(), "1625630049930");
            assert_eq!(n.as_i64(), Some(1_625_630_049_930));
        }
        other => panic!("eventTime {other:?}"),
    }
    assert_eq!(
        e.event_time.as_ref().unwrap().millis(),
        Some(1_625_630_049_930)
    );
    let receivers = e.receivers.as_ref().unwrap();
    assert_eq!(receivers.len(), 2);
    assert_eq!(receivers[0].name.as_deref(), Some("xxx1"));
    assert_eq!(receivers[0].uid.as_deref(), Some("1673826650151111"));
    assert_eq!(receivers[1].name, None);
    assert_eq!(receivers[1].uid.as_deref(), Some("2"));
    let targets = e.target_users.as_ref().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].uid.as_deref(), Some("1673826650152222"));
    assert!(e.extra.is_empty(), "{:?}", e.extra);
    assert_eq!(env.signature_method.as_deref(), Some("HMAC_SHA1"));
    assert_eq!(env.signature_method(), "HMAC_SHA1");
    assert_eq!(
        env.signature_text.as_deref(),
        Some("4mOdwflN1Cg5NdM2XPuipuCYYWk=")
    );
    assert_eq!(&b[env.message_event_text.clone()], FULL_EVENT);
    // The whole object, in body order.
    let Value::Object(members) = e.value() else {
        panic!("{:?}", e.value())
    };
    let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "submitterName",
            "submitterUid",
            "category",
            "event",
            "eventTime",
            "message",
            "module",
            "receivers",
            "targetUsers",
            "taskName",
            "taskId"
        ]
    );
}

#[test]
fn parse_verify_and_explain_agree_on_the_event() {
    let b = signed(FULL_EVENT);
    let parsed = parse(&b).unwrap().event;
    assert_eq!(verify(&b, &options()).unwrap().event, parsed);
    let x = explain(
        &b,
        &ExplainOptions {
            verify: Some(options()),
            reveal_expected: false,
        },
    );
    assert_eq!(x.event, Some(parsed));
}

/// `parse_value` and `explain_value` are `parse` and `explain` with the event's plain value.
#[test]
fn the_untyped_calls_agree_with_the_typed_ones() {
    let refused = body(
        r#"{"a":1,"a":[2.50],"category":"x"}"#,
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    for b in [signed(FULL_EVENT), refused, "{".to_string()] {
        match (parse(&b), parse_value(&b)) {
            (Ok(typed), Ok(plain)) => {
                assert_eq!(&plain.event, typed.event.value());
                assert_eq!(plain.signature_method, typed.signature_method);
                assert_eq!(plain.signature_text, typed.signature_text);
                assert_eq!(plain.message_event_text, typed.message_event_text);
            }
            (Err(typed), Err(plain)) => assert_eq!(plain, typed),
            other => panic!("{other:?}"),
        }
        let o = ExplainOptions {
            verify: Some(options()),
            reveal_expected: true,
        };
        let (typed, plain) = (explain(&b, &o), explain_value(&b, &o));
        assert_eq!(
            plain.event.as_ref(),
            typed.event.as_ref().map(|e| e.value())
        );
        assert_eq!(plain.error, typed.error);
        assert_eq!(plain.parse_error, typed.parse_error);
        assert_eq!(plain.signature_method, typed.signature_method);
        assert_eq!(plain.signature_text, typed.signature_text);
        assert_eq!(plain.canonical, typed.canonical);
        assert_eq!(plain.raw, typed.raw);
        assert_eq!(plain.first_difference, typed.first_difference);
        assert_eq!(plain.matched, typed.matched);
        assert_eq!(plain.expected, typed.expected);
        assert_eq!(plain.hints, typed.hints);
    }
}

#[test]
fn parse_reads_event_time_as_a_string_too() {
    let env = parse(body(r#"{"eventTime":"1625630049930"}"#, "x")).unwrap();
    let t = env.event.event_time.unwrap();
    assert_eq!(t, EventTime::Text("1625630049930".to_string()));
    assert_eq!(t.millis(), Some(1_625_630_049_930));
    let env = parse(body(r#"{"eventTime":"yesterday"}"#, "x")).unwrap();
    assert_eq!(env.event.event_time.unwrap().millis(), None);
}

#[test]
fn parse_keeps_every_other_field_in_order() {
    let event = r#"{"zeta":1,"category":"c","alpha":"x","nested":{"k":[1,2.50]},"category2":true,"eventTime":1}"#;
    let e = parse(body(event, "x")).unwrap().event;
    assert_eq!(e.category.as_deref(), Some("c"));
    let keys: Vec<&str> = e.extra.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["zeta", "alpha", "nested", "category2"]);
    assert_eq!(e.extra[1].1, Value::String("x".into()));
    assert_eq!(e.extra[3].1, Value::Bool(true));
    let Value::Array(items) = e.extra[2].1.get("k").unwrap() else {
        panic!()
    };
    let Value::Number(n) = &items[1] else {
        panic!()
    };
    assert_eq!(n.as_str(), "2.50");
}

#[test]
fn parse_reads_null_as_absent() {
    // A documented member that is null is no typed field (and kept, as it came, in extra);
    // a user whose uid or name is null is a user without it, not a reason to drop the list.
    let e = parse(body(
        r#"{"category":null,"taskName":null,"eventTime":null,"receivers":[{"name":"a","uid":null},{"name":null,"uid":"2"}],"targetUsers":null}"#,
        "x",
    ))
    .unwrap()
    .event;
    assert_eq!(e.category, None);
    assert_eq!(e.task_name, None);
    assert_eq!(e.event_time, None);
    assert_eq!(e.target_users, None);
    let receivers = e.receivers.as_ref().expect("the receivers are read");
    assert_eq!(receivers.len(), 2);
    assert_eq!(
        (receivers[0].name.as_deref(), receivers[0].uid.as_deref()),
        (Some("a"), None)
    );
    assert_eq!(
        (receivers[1].name.as_deref(), receivers[1].uid.as_deref()),
        (None, Some("2"))
    );
    let keys: Vec<&str> = e.extra.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["category", "taskName", "eventTime", "targetUsers"]);
    assert!(e.extra.iter().all(|(_, v)| *v == Value::Null));
}

#[test]
fn parse_keeps_a_documented_field_of_another_type() {
    let e = parse(body(r#"{"taskId":12345,"receivers":"nobody"}"#, "x"))
        .unwrap()
        .event;
    assert_eq!(e.task_id, None);
    assert_eq!(e.receivers, None);
    let keys: Vec<&str> = e.extra.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["taskId", "receivers"]);
}

#[test]
fn parse_never_loses_a_digit() {
    let big = "123456789012345678901234567890";
    let event =
        format!(r#"{{"id":{big},"neg":-{big},"dec":{big}.000,"e":1.0e-400,"eventTime":{big}}}"#);
    let e = parse(body(&event, "x")).unwrap().event;
    let num = |key: &str| match e.value().get(key) {
        Some(Value::Number(n)) => n.as_str().to_string(),
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(num("id"), big);
    assert_eq!(num("neg"), format!("-{big}"));
    assert_eq!(num("dec"), format!("{big}.000"));
    assert_eq!(num("e"), "1.0E-400");
    let Some(EventTime::Number(t)) = &e.event_time else {
        panic!("{:?}", e.event_time)
    };
    assert_eq!(t.as_str(), big);
    assert_eq!(t.as_i64(), None);
    assert!(e.has_wide_integers());
    assert!(!parse(body(r#"{"id":9007199254740991}"#, "x"))
        .unwrap()
        .event
        .has_wide_integers());
    assert!(parse(body(r#"{"id":[-9007199254740992]}"#, "x"))
        .unwrap()
        .event
        .has_wide_integers());
}

#[test]
fn checked_wide_integers_describes_the_event_as_merged() {
    // The wide integer is overwritten by the repeated key: the event holds none.
    for event in [
        r#"{"a":12345678901234567890,"a":1}"#,
        r#"{"a":[12345678901234567890],"a":null}"#,
    ] {
        let b = signed(event);
        let c = check(&b, &options()).unwrap();
        let v = verify(&b, &options()).unwrap();
        assert!(!v.event.has_wide_integers(), "{event}");
        assert_eq!(c.wide_integers, v.event.has_wide_integers(), "{event}");
    }
}

#[test]
fn parse_reads_signature_text_like_get_string() {
    for (value, want) in [
        (r#""abc=""#, Some("abc=")),
        (r#""\u0041\/""#, Some("A/")),
        ("1.50e1", Some("15.0")),
        ("-0", Some("0")),
        ("1e5", Some("1E+5")),
        ("12345678901234567890123", Some("12345678901234567890123")),
        ("true", Some("true")),
        ("false", Some("false")),
        (r#"{"b":null,"a":1.0}"#, Some(r#"{"a":1.0}"#)),
        (r#"[1,null,"x"]"#, Some(r#"[1,null,"x"]"#)),
        ("null", None),
    ] {
        let b = format!(r#"{{"messageEvent":{{}},"signatureText":{value}}}"#);
        let env = parse(&b).unwrap();
        assert_eq!(env.signature_text.as_deref(), want, "{value}");
        assert_eq!(env.signature_method, None);
        assert_eq!(env.signature_method(), "None");
    }
    let env = parse(r#"{"messageEvent":{}}"#).unwrap();
    assert_eq!(env.signature_text, None);
}

#[test]
fn parse_does_not_verify() {
    let env = parse(body(r#"{"a":1}"#, "wrong")).unwrap();
    assert_eq!(env.signature_text.as_deref(), Some("wrong"));
    fails(
        parse(r#"{"messageEvent":{"a":01}}"#),
        ErrorCode::MalformedJson,
    );
}

#[test]
fn parse_merges_duplicates_and_replaces_lone_surrogates() {
    let e = parse(body(r#"{"a":1,"b":"\ud800x","a":"two"}"#, "x"))
        .unwrap()
        .event;
    let Value::Object(members) = e.value() else {
        panic!()
    };
    assert_eq!(
        members,
        &vec![
            ("a".to_string(), Value::String("two".into())),
            ("b".to_string(), Value::String("\u{FFFD}x".into())),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// explain

fn explained(b: &str, o: VerifyOptions) -> dms_webhook::Explanation {
    let x = explain(
        b,
        &ExplainOptions {
            verify: Some(o),
            reveal_expected: false,
        },
    );
    assert!(x.expected.is_none(), "shown only when asked for");
    let shown = format!("{x:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    x
}

/// The single hint for a body signed with `signed_url` that is checked against `configured`.
fn url_hint(signed_url: &str, configured: &str) -> dms_webhook::Hint {
    let b = signed_with(r#"{"a":1}"#, signed_url, SECRET);
    let x = explained(&b, VerifyOptions::new(configured, SECRET));
    assert_eq!(
        x.error.as_ref().map(Error::code),
        Some(ErrorCode::SignatureMismatch)
    );
    assert_eq!(x.hints.len(), 1, "{:?}", x.hints);
    let h = x.hints[0].clone();
    assert_eq!(h.url.as_deref(), Some(signed_url), "{h:?}");
    assert_eq!(h.secret_index, Some(0));
    assert_eq!(h.form, Some(Form::Canonical));
    assert!(!h.message.contains("s3cr3t"));
    h
}

#[test]
fn explain_url_trailing_slash() {
    let h = url_hint(URL, &format!("{URL}/"));
    assert_eq!(h.code, HintCode::UrlTrailingSlash);
    let h = url_hint(&format!("{URL}/"), URL);
    assert_eq!(h.code, HintCode::UrlTrailingSlash);
    assert_eq!(h.code.as_str(), "URL_TRAILING_SLASH");
}

#[test]
fn explain_url_scheme() {
    let h = url_hint("http://hooks.example.com/dms", URL);
    assert_eq!(h.code, HintCode::UrlScheme);
    let h = url_hint(URL, "http://hooks.example.com/dms");
    assert_eq!(h.code, HintCode::UrlScheme);
}

#[test]
fn explain_url_userinfo() {
    let h = url_hint(URL, "https://dms:pa55@hooks.example.com/dms");
    assert_eq!(h.code, HintCode::UrlUserinfo);
}

#[test]
fn explain_url_default_port() {
    let h = url_hint(URL, "https://hooks.example.com:443/dms");
    assert_eq!(h.code, HintCode::UrlDefaultPort);
    let h = url_hint("https://hooks.example.com:443/dms", URL);
    assert_eq!(h.code, HintCode::UrlDefaultPort);
    let h = url_hint(
        "http://hooks.example.com/dms",
        "http://hooks.example.com:80/dms",
    );
    assert_eq!(h.code, HintCode::UrlDefaultPort);
}

#[test]
fn explain_url_default_port_without_a_path() {
    // The host of a URL without a path, query or fragment runs to the end of the text.
    let h = url_hint("https://hooks.example.com", "https://hooks.example.com:443");
    assert_eq!(h.code, HintCode::UrlDefaultPort);
    let h = url_hint("http://hooks.example.com:80", "http://hooks.example.com");
    assert_eq!(h.code, HintCode::UrlDefaultPort);
}

#[test]
fn explain_url_whitespace() {
    let h = url_hint(URL, &format!(" {URL}\n"));
    assert_eq!(h.code, HintCode::UrlWhitespace);
}

#[test]
fn explain_secret_whitespace() {
    let b = signed(r#"{"a":1}"#);
    let x = explained(
        &b,
        VerifyOptions::new(URL, "other").secret(format!("{SECRET} \n")),
    );
    assert_eq!(x.hints.len(), 1, "{:?}", x.hints);
    let h = &x.hints[0];
    assert_eq!(h.code, HintCode::SecretWhitespace);
    assert_eq!(h.secret_index, Some(1));
    assert_eq!(h.url.as_deref(), Some(URL));
    assert!(!h.message.contains("s3cr3t"));
}

#[test]
fn explain_body_reserialized() {
    // Signed as DMS sends it, then re-written on the way: keys reordered, pretty-printed,
    // numbers re-formatted. Neither form matches any more.
    let original = r#"{"a":1.50,"b":"é","c":[1,2]}"#;
    let sig = hmac(URL, SECRET, original.as_bytes());
    let rewritten = "{\n  \"b\": \"\\u00e9\",\n  \"a\": 1.5,\n  \"c\": [1, 2]\n}";
    let x = explained(&body(rewritten, &sig), options());
    assert_eq!(
        x.error.as_ref().map(Error::code),
        Some(ErrorCode::SignatureMismatch)
    );
    let codes: Vec<HintCode> = x.hints.iter().map(|h| h.code).collect();
    assert_eq!(codes, [HintCode::BodyReserialized]);
    assert_eq!(
        x.canonical.as_deref(),
        Some(r#"{"b":"é","a":1.5,"c":[1,2]}"#)
    );
    assert_eq!(x.raw.as_deref(), Some(rewritten));
    assert_eq!(x.first_difference, Some(1));
    // A compact body that simply has the wrong signature is not re-serialised.
    let x = explained(&body(original, &hmac(URL, "other", b"x")), options());
    assert!(x.hints.iter().all(|h| h.code != HintCode::BodyReserialized));
}

#[test]
fn explain_first_difference_counts_utf16_units() {
    let raw = r#"{"a":"😀", "b":1}"#;
    let x = explained(&body(raw, "x"), options());
    assert_eq!(x.canonical.as_deref(), Some(r#"{"a":"😀","b":1}"#));
    assert_eq!(x.first_difference, Some(10));
    let x = explained(&signed(r#"{"a":"😀"}"#), options());
    assert_eq!(x.first_difference, None);
}

#[test]
fn explain_signature_method_none() {
    let x = explained(
        r#"{"messageEvent":{"a":1},"signatureMethod":"None"}"#,
        options(),
    );
    assert_eq!(x.error.as_ref().map(Error::code), Some(ErrorCode::Unsigned));
    let codes: Vec<HintCode> = x.hints.iter().map(|h| h.code).collect();
    assert_eq!(codes, [HintCode::SignatureMethodNone]);
    assert_eq!(x.signature_method.as_deref(), Some("None"));
    // Allowed unsigned: nothing to explain.
    let x = explained(
        r#"{"messageEvent":{"a":1},"signatureMethod":"None"}"#,
        options().require_signature(false),
    );
    assert!(x.ok());
    assert!(x.hints.is_empty());
}

#[test]
fn explain_signature_format() {
    let x = explained(&body("{}", " abc "), options());
    let codes: Vec<HintCode> = x.hints.iter().map(|h| h.code).collect();
    assert_eq!(codes, [HintCode::SignatureFormat]);
    // Its length is told in characters, not bytes: "é" and "签" are one each.
    let x = explained(&body("{}", "é签ab"), options());
    assert_eq!(x.hints.len(), 1);
    assert!(
        x.hints[0].message.contains("it is 4 characters long"),
        "{}",
        x.hints[0].message
    );
}

#[test]
fn explain_success_has_no_hints() {
    let b = signed(FULL_EVENT);
    let x = explained(&b, options());
    assert!(x.ok());
    assert!(x.hints.is_empty());
    assert_eq!(x.matched.as_ref().map(|m| m.form), Some(Form::Canonical));
    assert_eq!(x.parse_error, None);
    assert_eq!(x.raw.as_deref(), Some(FULL_EVENT));
    assert_eq!(x.canonical.as_deref(), Some(FULL_EVENT));
}

#[test]
fn explain_blames_no_signature_that_matched() {
    // Signed over the canonical form, pretty-printed on its way (which the canonical form does
    // not mind), and too old: the signature is not what went wrong.
    let event = "{\n  \"eventTime\": 1000,\n  \"a\": 1.0\n}";
    let b = signed(event);
    assert!(verify(&b, &options()).is_ok());
    let x = explained(&b, options().max_age_ms(10).now_ms(1_000_000));
    assert_eq!(
        x.error.as_ref().map(Error::code),
        Some(ErrorCode::EventTooOld)
    );
    assert!(x.hints.is_empty(), "{:?}", x.hints);
}

#[test]
fn explain_reveals_expected_signatures_only_when_asked() {
    let raw = r#"{"a": 1.0}"#;
    let canonical = r#"{"a":1.0}"#;
    let b = body(raw, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    let o = VerifyOptions::new(URL, SECRET).secret("other");
    let hidden = explain(
        &b,
        &ExplainOptions {
            verify: Some(o.clone()),
            reveal_expected: false,
        },
    );
    assert_eq!(hidden.expected, None);
    let shown = explain(
        &b,
        &ExplainOptions {
            verify: Some(o),
            reveal_expected: true,
        },
    );
    let expected = shown.expected.unwrap();
    assert_eq!(expected.len(), 2);
    assert_eq!(expected[0].url, URL);
    assert_eq!(expected[0].secret_index, 0);
    assert_eq!(
        expected[0].canonical,
        hmac(URL, SECRET, canonical.as_bytes())
    );
    assert_eq!(expected[0].raw, hmac(URL, SECRET, raw.as_bytes()));
    assert_eq!(expected[1].secret_index, 1);
    assert_eq!(
        expected[1].canonical,
        hmac(URL, "other", canonical.as_bytes())
    );
}

#[test]
fn explain_without_options_or_with_a_broken_body() {
    let x = explain(signed("{}"), &ExplainOptions::default());
    assert_eq!(
        x.error.as_ref().map(Error::code),
        Some(ErrorCode::InvalidOptions)
    );
    assert_eq!(x.canonical.as_deref(), Some("{}"));
    assert!(x.expected.is_none());
    let x = explain(
        r#"{"messageEvent":{"a":01}}"#,
        &ExplainOptions {
            verify: Some(options()),
            reveal_expected: true,
        },
    );
    assert_eq!(
        x.parse_error.as_ref().map(Error::code),
        Some(ErrorCode::MalformedJson)
    );
    assert_eq!(
        x.error.as_ref().map(Error::code),
        Some(ErrorCode::MalformedJson)
    );
    assert!(x.canonical.is_none());
}

// ---------------------------------------------------------------------------------------------
// delivery_key and sign_body

#[test]
fn delivery_key_is_the_same_for_the_same_event() {
    let a = delivery_key(body(r#"{"a":"é","b":1.0,"c":null}"#, "sig1")).unwrap();
    let b = delivery_key(
        "\u{feff} { \"signatureText\" : 1, \"messageEvent\" : { \"a\" : \"\\u00e9\" ,\n \"b\": 1.0 } }",
    )
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.len(), 64);
    assert!(a
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let digest = Sha256::digest(r#"{"a":"é","b":1.0}"#.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(a, hex);
}

#[test]
fn delivery_key_differs_for_different_events() {
    let keys: Vec<String> = [
        r#"{"a":"é","b":1.0}"#,
        r#"{"a":"é","b":1.00}"#,
        r#"{"b":1.0,"a":"é"}"#,
        r#"{"a":"è","b":1.0}"#,
        r#"{"a":"é","b":1.0,"c":0}"#,
    ]
    .iter()
    .map(|e| delivery_key(body(e, "x")).unwrap())
    .collect();
    for (i, a) in keys.iter().enumerate() {
        for (j, b) in keys[..i].iter().enumerate() {
            assert_ne!(a, b, "{i} and {j}");
        }
    }
    fails(delivery_key("{}"), ErrorCode::MissingMessageEvent);
}

#[test]
fn sign_body_output_verifies() {
    for event in [
        "{}",
        FULL_EVENT,
        r#"{ "a" : "\u00e9\ud800\u2028", "b" : [1.0, -0, 1e5, null], "c" : null, "a" : 2 }"#,
        r#"{"big":123456789012345678901234567890,"eventTime":"1625630049930"}"#,
    ] {
        let b = sign_body(event, URL, SECRET).unwrap();
        let canonical = String::from_utf8(dms_webhook::canonicalize_event(event).unwrap()).unwrap();
        let sig = sign(event, URL, SECRET).unwrap();
        assert_eq!(sig, hmac(URL, SECRET, canonical.as_bytes()));
        assert_eq!(
            b,
            format!(
                r#"{{"messageEvent":{canonical},"signatureMethod":"HMAC_SHA1","signatureText":"{sig}"}}"#
            )
        );
        let v = verify(&b, &options()).unwrap();
        let m = v.matched.unwrap();
        assert_eq!(
            (m.url_index, m.secret_index, m.form),
            (0, 0, Form::Canonical)
        );
        assert_eq!(v.signature_method, SignatureMethod::HmacSha1);
        assert_eq!(v.event, parse(&b).unwrap().event);
        // The original text, with the same signature, verifies too (through the canonical form).
        let m = verify(body(event, &sig), &options())
            .unwrap()
            .matched
            .unwrap();
        assert_eq!(m.form, Form::Canonical);
    }
    fails(sign("[]", URL, SECRET), ErrorCode::InvalidMessageEvent);
    fails(sign_body("{} {}", URL, SECRET), ErrorCode::MalformedJson);
}

#[test]
fn a_signature_method_is_read_as_decoded_and_named_when_refused() {
    // fastjson decodes the value before comparing it: an escaped spelling is the same method.
    let sig = hmac(URL, SECRET, b"{}");
    let escaped = format!(
        r#"{{"messageEvent":{{}},"signatureMethod":"HMAC\u005fSHA1","signatureText":"{sig}"}}"#
    );
    assert!(verify(&escaped, &options()).is_ok());
    let escaped_none = r#"{"messageEvent":{},"signatureMethod":"\u004eone"}"#;
    fails(verify(escaped_none, &options()), ErrorCode::Unsigned);
    // A refused method is named in the message, cut to its first 40 characters.
    let long = "X".repeat(39) + "YZ";
    for (method, shown, hidden) in [
        ("HMAC_SHA256", "HMAC_SHA256", None),
        (long.as_str(), &long[..40], Some("XYZ")),
    ] {
        let b = format!(
            r#"{{"messageEvent":{{}},"signatureMethod":"{method}","signatureText":"{sig}"}}"#
        );
        let e = fails(
            verify(&b, &options()),
            ErrorCode::UnsupportedSignatureMethod,
        );
        assert!(e.message().contains(shown), "{}", e.message());
        if let Some(hidden) = hidden {
            assert!(!e.message().contains(hidden), "{}", e.message());
        }
    }
}

#[test]
fn an_event_time_string_is_digits_only() {
    let t = 1_625_630_049_930i64;
    let with = options().max_age_ms(1000).now_ms(t);
    assert!(verify(signed(&format!(r#"{{"eventTime":" {t} "}}"#)), &with).is_ok());
    // Rust's integer parser would take a sign; fastjson's receiver reads digits only.
    for text in [format!("+{t}"), format!("-{t}"), format!("{t}x")] {
        let b = signed(&format!(r#"{{"eventTime":"{text}"}}"#));
        fails(verify(&b, &with), ErrorCode::EventTooOld);
    }
}

#[test]
fn without_now_the_age_is_taken_from_the_system_clock() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let limit = options().max_age_ms(600_000);
    assert!(verify(signed(&format!(r#"{{"eventTime":{now}}}"#)), &limit).is_ok());
    let old = now - 3_600_000;
    fails(
        verify(signed(&format!(r#"{{"eventTime":{old}}}"#)), &limit),
        ErrorCode::EventTooOld,
    );
    let ahead = now + 3_600_000;
    fails(
        verify(signed(&format!(r#"{{"eventTime":{ahead}}}"#)), &limit),
        ErrorCode::EventInFuture,
    );
}

#[test]
fn a_verifier_shows_what_it_holds_but_its_secrets() {
    let prepared = Verifier::new(options().max_age_ms(5000)).unwrap();
    let shown = format!("{prepared:?}");
    assert!(shown.starts_with("Verifier"), "{shown}");
    assert!(shown.contains(URL), "{shown}");
    assert!(shown.contains("5000"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn a_message_event_of_the_wrong_kind_is_named() {
    for (value, kind) in [
        ("[]", "an array"),
        ("1", "a number"),
        ("true", "a boolean"),
        ("null", "null"),
        (r#""{}""#, "a string"),
    ] {
        let b = format!(r#"{{"messageEvent":{value},"signatureMethod":"None"}}"#);
        let e = fails(verify(&b, &options()), ErrorCode::InvalidMessageEvent);
        assert!(e.message().contains(kind), "{value}: {}", e.message());
    }
}

#[test]
fn wide_integers_are_flagged_on_the_streaming_path() {
    for (event, wide) in [
        (r#"{"id":9007199254740991}"#, false),
        (r#"{"a":[1,{"id":9007199254740993}],"b":2}"#, true),
        (r#"{"id":-9007199254740993,"n":1}"#, true),
        (r#"{"n":1.5,"m":2}"#, false),
        // With a repeated key the tree decides, and an overwritten value does not count.
        (r#"{"d":1,"d":2,"a":[[9007199254740993]]}"#, true),
        (r#"{"d":1,"d":2,"o":{"p":{"id":-9007199254740993}}}"#, true),
        (r#"{"d":9007199254740993,"d":2}"#, false),
        (r#"{"d":1,"d":[1.5,{"x":9007199254740991}]}"#, false),
    ] {
        let checked = check(signed(event), &options()).unwrap();
        assert_eq!(checked.wide_integers, wide, "{event}");
    }
}

#[test]
fn exponents_of_more_than_ten_digits_are_refused_wherever_they_stand() {
    // Far into the body, so that an offset-relative slip in the digit count would show.
    let padding = "x".repeat(4000);
    for exponent in ["12345678901", "1234567890123456789012345", "-99999999999"] {
        let event = format!(r#"{{"pad":"{padding}","n":1e{exponent}}}"#);
        let e = fails(
            verify(body(&event, ""), &options()),
            ErrorCode::NumberOutOfRange,
        );
        assert!(e.message().contains("exponent"), "{}", e.message());
    }
    // Leading zeros do not count.
    let event = format!(r#"{{"pad":"{padding}","n":1e000000000001}}"#);
    assert!(verify(signed(&event), &options()).is_ok());
}

#[test]
fn numbers_convert_to_f64() {
    let event = parse(body(
        r#"{"a":1.5,"b":-2E+3,"c":12345678901234567890123}"#,
        "",
    ))
    .unwrap()
    .event;
    let n = |k: &str| match event.value().get(k) {
        Some(Value::Number(n)) => n.as_f64(),
        other => panic!("{other:?}"),
    };
    assert_eq!(n("a"), 1.5);
    assert_eq!(n("b"), -2000.0);
    assert_eq!(n("c"), 1.2345678901234568e22);
}

#[test]
fn exponent_limits_name_the_exponent() {
    for exponent in ["-2147483649", "2147483648", "-9999999999"] {
        let e = fails(
            verify(body(&format!(r#"{{"n":1e{exponent}}}"#), ""), &options()),
            ErrorCode::NumberOutOfRange,
        );
        assert!(e.message().contains("exponent overflow"), "{}", e.message());
    }
    // A number made too long by its exponent says how long it is, wherever it stands.
    let long = format!("{}e12", "1".repeat(65_534));
    let e = fails(
        verify(
            body(&format!(r#"{{"pad":"xyz","n":{long}}}"#), ""),
            &options(),
        ),
        ErrorCode::NumberOutOfRange,
    );
    assert!(
        e.message()
            .contains(" is 65537 characters long (decimal overflow)"),
        "{}",
        e.message()
    );
    // A short number with an exponent is short wherever it stands, also past 65,535 bytes.
    let padding = "x".repeat(70_000);
    let event = format!(r#"{{"pad":"{padding}","n":1.5e3,"m":2E-2}}"#);
    assert!(verify(signed(&event), &options()).is_ok());
}

#[test]
fn an_event_time_with_a_fraction_or_an_exponent_is_not_a_time() {
    let t = 1_625_630_049_930i64;
    let with = options().max_age_ms(1000).now_ms(t);
    for time in ["1625630049930.0", "1.62563004993E12", "1625630049930e0"] {
        let b = signed(&format!(r#"{{"eventTime":{time}}}"#));
        fails(verify(&b, &with), ErrorCode::EventTooOld);
    }
}

#[test]
fn a_malformed_body_names_what_it_found() {
    for (b, shown) in [
        (&br#"{"messageEvent":x}"#[..], "unexpected 'x', expected "),
        (
            &b"{\"messageEvent\":\x01}"[..],
            "unexpected byte 0x01, expected ",
        ),
        (&b"{\"messageEvent\": }"[..], "unexpected '}', expected "),
        (
            &br#"{"messageEvent":{}"#[..],
            "unexpected end of the body, expected ",
        ),
    ] {
        let e = fails(verify(b, &options()), ErrorCode::MalformedJson);
        assert!(e.message().contains(shown), "{}", e.message());
    }
}

#[test]
fn a_literal_event_time_leaves_the_next_value_alone() {
    let t = 1_625_630_049_930i64;
    let with = options().max_age_ms(1000).now_ms(t);
    for event in [
        format!(r#"{{"eventTime":true,"n":{t}}}"#),
        format!(r#"{{"eventTime":false,"s":"{t}"}}"#),
        format!(r#"{{"eventTime":null,"n":{t}}}"#),
    ] {
        fails(verify(signed(&event), &with), ErrorCode::EventTooOld);
    }
}

#[test]
fn a_trailing_comma_is_named() {
    for (b, shown) in [
        (r#"{"messageEvent":{"a":1,}}"#, "trailing comma"),
        (r#"{"messageEvent":{"a":1, }}"#, "trailing comma"),
        (
            r#"{"messageEvent":{"a":1,x}}"#,
            "expected a key in double quotes",
        ),
        (r#"{"messageEvent":{x}}"#, "expected a key in double quotes"),
    ] {
        let e = fails(verify(b, &options()), ErrorCode::MalformedJson);
        assert!(e.message().contains(shown), "{b}: {}", e.message());
    }
}

#[test]
fn escapes_of_astral_and_separator_characters() {
    for (value, canonical) in [
        ("\u{2028}x\u{2029}", r"\u2028x\u2029"),
        (r"\u2028", r"\u2028"),
        (r"\ud83d\ude00", "\u{1F600}"),
        (r"\uDBFF\uDFFF", "\u{10FFFF}"),
        (r"\uD800\uDC00", "\u{10000}"),
    ] {
        let b = body(&format!(r#"{{"s":"{value}"}}"#), "");
        let text = String::from_utf8(canonicalize(&b).unwrap()).unwrap();
        assert_eq!(text, format!(r#"{{"s":"{canonical}"}}"#), "{value}");
    }
}

#[test]
fn a_lone_surrogate_reads_as_a_replacement_character_and_nothing_else_changes() {
    for (value, read) in [
        (r"\ud800", "\u{FFFD}"),
        (r"é\udc00中😀한", "é\u{FFFD}中😀한"),
        (r"한\ud800한", "한\u{FFFD}한"),
        (r"\udfff퟿x", "\u{FFFD}퟿x"),
        (r"a\ud83db", "a\u{FFFD}b"),
    ] {
        let b = body(&format!(r#"{{"s":"{value}"}}"#), "");
        let event = parse(&b).unwrap().event;
        assert_eq!(
            event.value().get("s"),
            Some(&Value::String(String::from(read))),
            "{value}"
        );
    }
}
