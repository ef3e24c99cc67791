//! Bodies built to hurt: deep nesting, huge strings, numbers and objects. Each must end in the
//! right result without a stack overflow, and cost must grow linearly with the body, which is
//! checked by comparing sizes N and 4N within one run rather than against a clock.
#![cfg(feature = "full")]

use std::time::{Duration, Instant};

use dms_webhook::{
    canonicalize, canonicalize_event, delivery_key, explain, parse, sign, verify, ErrorCode,
    ExplainOptions, Form, Value, VerifyOptions, MAX_DEPTH, MAX_NUMBER_CHARS,
};

const URL: &str = "https://hooks.example.com/dms";
const SECRET: &str = "hostile-secret";

/// Room for the large bodies below; the default 1 MiB limit is tested elsewhere.
fn roomy() -> VerifyOptions {
    VerifyOptions::new(URL, SECRET).max_body_bytes(64 << 20)
}

fn wrap(event: &str) -> String {
    format!(r#"{{"messageEvent":{event},"signatureMethod":"None"}}"#)
}

/// A body signed over the canonical form of `event`.
fn signed(event: &str) -> String {
    let sig = sign(event, URL, SECRET).unwrap();
    format!(r#"{{"messageEvent":{event},"signatureMethod":"HMAC_SHA1","signatureText":"{sig}"}}"#)
}

/// Every entry point refuses `body` with `code`, none panics. Returns `canonicalize`'s error.
fn refused_everywhere(body: &str, code: ErrorCode) -> dms_webhook::Error {
    let error = canonicalize(body).unwrap_err();
    assert_eq!(error.code(), code);
    assert_eq!(parse(body).unwrap_err().code(), code);
    assert_eq!(delivery_key(body).unwrap_err().code(), code);
    assert_eq!(verify(body, &roomy()).unwrap_err().code(), code);
    let x = explain(
        body,
        &ExplainOptions {
            verify: Some(roomy()),
            reveal_expected: true,
        },
    );
    assert_eq!(x.parse_error.map(|e| e.code()), Some(code));
    assert_eq!(x.error.map(|e| e.code()), Some(code));
    error
}

// ---------------------------------------------------------------------------------------------
// Nesting

#[test]
fn a_million_open_brackets() {
    let prefix = r#"{"messageEvent":{"a":"#;
    let open = format!("{prefix}{}", "[".repeat(1_000_000));
    // Fits the default limit, so the default options see it too.
    let e = verify(&open, &VerifyOptions::new(URL, SECRET)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NestingTooDeep);
    assert_eq!(e.offset(), Some(prefix.len() + MAX_DEPTH - 2));
    refused_everywhere(&open, ErrorCode::NestingTooDeep);

    let closed = format!("{open}{}}}}}", "]".repeat(1_000_000));
    refused_everywhere(&closed, ErrorCode::NestingTooDeep);
    let event = &closed[r#"{"messageEvent":"#.len()..closed.len() - 1];
    assert_eq!(
        canonicalize_event(event).unwrap_err().code(),
        ErrorCode::NestingTooDeep
    );
    assert_eq!(
        sign(event, URL, SECRET).unwrap_err().code(),
        ErrorCode::NestingTooDeep
    );
}

#[test]
fn a_million_nested_objects() {
    let n = 1_000_000;
    let body = format!(
        r#"{{"messageEvent":{}1{}}}"#,
        r#"{"a":"#.repeat(n),
        "}".repeat(n)
    );
    refused_everywhere(&body, ErrorCode::NestingTooDeep);
    let unclosed = format!(r#"{{"messageEvent":{}"#, r#"{"a":"#.repeat(n));
    refused_everywhere(&unclosed, ErrorCode::NestingTooDeep);
}

#[test]
fn deep_nesting_outside_message_event_is_refused_too() {
    let body = format!(
        r#"{{"x":{}{},"messageEvent":{{}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    refused_everywhere(&body, ErrorCode::NestingTooDeep);
    let body = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    refused_everywhere(&body, ErrorCode::NestingTooDeep);
}

/// An event whose innermost value sits at `levels` counting the body's object as level 1:
/// messageEvent is level 2, each array one more.
fn event_at_depth(levels: usize, inner: &str) -> String {
    let arrays = levels - 2;
    format!(
        r#"{{"a":{}{inner}{}}}"#,
        "[".repeat(arrays),
        "]".repeat(arrays)
    )
}

#[test]
fn exactly_512_levels_are_accepted() {
    assert_eq!(MAX_DEPTH, 512);
    let event = event_at_depth(512, "1");
    let body = signed(&event);
    let v = verify(&body, &roomy()).unwrap();
    assert_eq!(v.matched.unwrap().form, Form::Canonical);
    assert_eq!(canonicalize(&body).unwrap(), event.as_bytes());
    // Walk the typed value down to the bottom.
    let mut value = v.event.value().get("a").unwrap();
    let mut level = 3;
    while let Value::Array(items) = value {
        value = &items[0];
        level += 1;
    }
    assert_eq!(level - 1, 512);
    assert!(matches!(value, Value::Number(n) if n.as_str() == "1"));
    assert!(parse(&body).is_ok());
    assert!(delivery_key(&body).is_ok());
    let x = explain(
        &body,
        &ExplainOptions {
            verify: Some(roomy()),
            reveal_expected: true,
        },
    );
    assert!(x.ok(), "{:?}", x.error);
}

#[test]
fn exactly_512_levels_of_objects_with_duplicates() {
    // The duplicate at the bottom sends the whole body down the tree path.
    let n = 510;
    let event = format!(
        "{}{{\"k\":1,\"k\":2}}{}",
        r#"{"a":"#.repeat(n),
        "}".repeat(n)
    );
    let body = wrap(&event);
    let want = format!("{}{{\"k\":2}}{}", r#"{"a":"#.repeat(n), "}".repeat(n));
    assert_eq!(canonicalize(&body).unwrap(), want.as_bytes());
    assert!(parse(&body).is_ok());
    let signed = signed(&event);
    assert!(verify(&signed, &roomy()).is_ok());
    let x = explain(
        &signed,
        &ExplainOptions {
            verify: Some(roomy()),
            reveal_expected: true,
        },
    );
    assert!(x.ok(), "{:?}", x.error);
    assert_eq!(x.canonical.as_deref(), Some(want.as_str()));
}

#[test]
fn level_513_is_refused() {
    let event = event_at_depth(513, "1");
    refused_everywhere(&wrap(&event), ErrorCode::NestingTooDeep);
    // Nothing is signed that a verifier would refuse as too deep.
    assert_eq!(
        sign(&event, URL, SECRET).unwrap_err().code(),
        ErrorCode::NestingTooDeep
    );
    // An empty container at level 513 counts as well.
    let event = event_at_depth(512, "{}");
    refused_everywhere(&wrap(&event), ErrorCode::NestingTooDeep);
    let event = event_at_depth(512, "[]");
    refused_everywhere(&wrap(&event), ErrorCode::NestingTooDeep);
    let event = event_at_depth(511, "{}");
    assert!(canonicalize(wrap(&event)).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Long strings and numbers

#[test]
fn ten_megabytes_of_nul_escapes() {
    let count = (10 << 20) / 6;
    let event = format!(r#"{{"s":"{}"}}"#, r"\u0000".repeat(count));
    let body = signed(&event);
    assert!(body.len() > 10 << 20);
    // `\u0000` is already how fastjson writes U+0000.
    assert_eq!(canonicalize(&body).unwrap(), event.as_bytes());
    let v = verify(&body, &roomy()).unwrap();
    assert_eq!(v.matched.unwrap().form, Form::Canonical);
    let s = v.event.value().get("s").and_then(Value::as_str).unwrap();
    assert_eq!(s.len(), count);
    assert!(s.bytes().all(|c| c == 0));
    assert_eq!(
        verify(&body, &VerifyOptions::new(URL, SECRET))
            .unwrap_err()
            .code(),
        ErrorCode::BodyTooLarge
    );
}

#[test]
fn a_million_escapes_that_change() {
    let n = 1_000_000;
    let event = format!(
        r#"{{"s":"{}"}}"#,
        r"\u000b\/\ud800\ud83d\ude00".repeat(n / 5)
    );
    let want = format!("{{\"s\":\"{}\"}}", "\\u000B/?\u{1F600}".repeat(n / 5));
    assert_eq!(canonicalize(wrap(&event)).unwrap(), want.as_bytes());
    assert!(verify(signed(&event), &roomy()).is_ok());
}

#[test]
fn a_number_of_a_million_digits() {
    // fastjson refuses any number token past 65,535 characters, so the reader does too, at
    // the number, after one pass over its digits.
    let digits = "1234567890".repeat(100_000);
    for n in [
        digits.clone(),
        format!("0.{}1", "0".repeat(999_999)),
        format!("{digits}e-999999"),
    ] {
        let body = wrap(&format!(r#"{{"n":{n}}}"#));
        let e = refused_everywhere(&body, ErrorCode::NumberOutOfRange);
        assert_eq!(e.offset(), Some(body.find(&n).unwrap()));
    }
    // Right at the limit every digit is kept.
    let digits = &digits[..MAX_NUMBER_CHARS];
    let event = format!(r#"{{"n":{digits}}}"#);
    assert_eq!(canonicalize(wrap(&event)).unwrap(), event.as_bytes());
    let v = verify(signed(&event), &roomy()).unwrap();
    match v.event.value().get("n") {
        Some(Value::Number(n)) => assert_eq!(n.as_str(), digits),
        _ => panic!("n is not a number"),
    }
    assert!(v.event.has_wide_integers());
    // A fraction of 65,532 digits: scale 65,532.
    let event = format!(r#"{{"n":0.{}1}}"#, "0".repeat(MAX_NUMBER_CHARS - 3));
    assert_eq!(
        canonicalize(wrap(&event)).unwrap(),
        format!(r#"{{"n":1E-{}}}"#, MAX_NUMBER_CHARS - 2).as_bytes()
    );
    // Plain notation with a point right after the first digit.
    let mantissa = &digits[..MAX_NUMBER_CHARS - 7];
    let event = format!(r#"{{"n":{mantissa}e-{}}}"#, mantissa.len() - 1);
    let want = format!(r#"{{"n":1.{}}}"#, &mantissa[1..]);
    assert_eq!(canonicalize(wrap(&event)).unwrap(), want.as_bytes());
    assert!(verify(signed(&event), &roomy()).is_ok());
}

#[test]
fn an_exponent_of_a_million_digits() {
    let nines = "9".repeat(1_000_000);
    for n in [
        format!("1e{nines}"),
        format!("1e-{nines}"),
        format!("1.5E+{nines}"),
        format!("0e1{}", "0".repeat(999_999)),
        format!("1e{}", &nines[..60_000]),
    ] {
        let body = wrap(&format!(r#"{{"n":{n}}}"#));
        refused_everywhere(&body, ErrorCode::NumberOutOfRange);
    }
    // Leading zeros do not count against Java's limits: these are 1E+1 and 1E-7.
    let zeros = "0".repeat(60_000);
    let body = wrap(&format!(r#"{{"a":1e{zeros}1,"b":1e-{zeros}7}}"#));
    assert_eq!(canonicalize(&body).unwrap(), br#"{"a":1E+1,"b":1E-7}"#);
}

// ---------------------------------------------------------------------------------------------
// Many keys

/// `{"<key(0)>":0,"<key(1)>":1,...}`
fn members(n: usize, key: impl Fn(usize) -> String) -> String {
    members_with(n, key, |i| i)
}

fn members_with(n: usize, key: impl Fn(usize) -> String, value: impl Fn(usize) -> usize) -> String {
    let mut s = String::with_capacity(n * 16);
    s.push('{');
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(r#""{}":{}"#, key(i), value(i)));
    }
    s.push('}');
    s
}

#[test]
fn a_hundred_thousand_duplicate_keys() {
    let n = 100_000;
    let event = members(n, |_| "a".into());
    assert_eq!(
        canonicalize(wrap(&event)).unwrap(),
        format!(r#"{{"a":{}}}"#, n - 1).as_bytes()
    );
    let v = verify(signed(&event), &roomy()).unwrap();
    assert_eq!(v.event.extra.len(), 1);
    match &v.event.extra[0] {
        (key, Value::Number(n)) => assert_eq!((key.as_str(), n.as_str()), ("a", "99999")),
        other => panic!("{other:?}"),
    }
    // Spelled two ways, and ending in null: the member goes.
    let event = members(n, |i| {
        if i % 2 == 0 {
            "a".into()
        } else {
            r"\u0061".into()
        }
    });
    let event = format!(r#"{},"a":null}}"#, &event[..event.len() - 1]);
    assert_eq!(canonicalize(wrap(&event)).unwrap(), b"{}");
}

#[test]
fn a_hundred_thousand_keys_each_repeated() {
    let n = 50_000;
    let first = members(n, |i| format!("k{i}"));
    let second = members(n, |i| format!("k{}", n - 1 - i));
    // Every key twice, the second time in reverse order: first position, last value.
    let event = format!("{},{}", &first[..first.len() - 1], &second[1..]);
    let want = members_with(n, |i| format!("k{i}"), |i| n - 1 - i);
    assert_eq!(canonicalize(wrap(&event)).unwrap(), want.as_bytes());
    assert!(verify(signed(&event), &roomy()).is_ok());
}

#[test]
fn a_hundred_thousand_distinct_keys() {
    let n = 100_000;
    let event = members(n, |i| format!("key-{i:06}"));
    assert_eq!(canonicalize(wrap(&event)).unwrap(), event.as_bytes());
    let v = verify(signed(&event), &roomy()).unwrap();
    assert_eq!(v.event.extra.len(), n);
    assert_eq!(v.event.extra[n - 1].0, format!("key-{:06}", n - 1));
    // The same object through the tree path: one repeated key at the end.
    let dup = format!(r#"{},"key-000000":0}}"#, &event[..event.len() - 1]);
    assert_eq!(canonicalize(wrap(&dup)).unwrap(), event.as_bytes());
}

// ---------------------------------------------------------------------------------------------
// Linear cost

/// Growing the body 16x may cost at most 64x: a linear (or n log n) reader takes about 16-20x,
/// a quadratic one 256x, so the check holds with room for a busy machine's noise on either
/// side (a neighbour slowing one run 3x still passes a linear reader and still fails a
/// quadratic one). The two sizes are timed in alternation, the fastest run of each counting,
/// and the small body is read 16 times a run, so that both runs last about as long: on a busy
/// machine a run of a millisecond can fit between two preemptions where one of 100 ms cannot,
/// and timing runs of unequal length would charge the contention to the large body alone.
/// The bodies are read (or, named "overlong ...", refused) by `canonicalize`.
fn assert_linear(what: &str, n: usize, make: impl Fn(usize) -> String) {
    let small = make(n / 4);
    let large = make(4 * n);
    assert!(large.len() >= 12 * small.len(), "{what}: sizes");
    let refused = what.starts_with("overlong");
    const REPEATS: u32 = 16;
    let run = |body: &str, times: u32| {
        let t = Instant::now();
        for _ in 0..times {
            let read = std::hint::black_box(canonicalize(std::hint::black_box(body)));
            assert_eq!(read.is_err(), refused, "{what}");
        }
        t.elapsed() / times
    };
    run(&small, 1);
    let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
    for _ in 0..4 {
        t_small = t_small.min(run(&small, REPEATS));
        t_large = t_large.min(run(&large, 1));
    }
    let ratio = t_large.as_secs_f64() / t_small.max(Duration::from_micros(50)).as_secs_f64();
    assert!(
        ratio < 64.0,
        "{what}: {t_small:?} for N, {t_large:?} for 16N (x{ratio:.1})"
    );
}

#[test]
fn cost_is_linear_in_the_body() {
    assert_linear("array of numbers", 50_000, |n| {
        let items: Vec<String> = (0..n).map(|i| format!("{i}.50e-3")).collect();
        wrap(&format!(r#"{{"a":[{}]}}"#, items.join(",")))
    });
    assert_linear("distinct keys", 25_000, |n| {
        wrap(&members(n, |i| format!("k{i}")))
    });
    assert_linear("duplicate keys", 25_000, |n| {
        wrap(&members(n, |_| "k".into()))
    });
    assert_linear("keys with a long common prefix", 100_000, |n| {
        let prefix = "p".repeat(64);
        wrap(&members(n / 8, |i| format!("{prefix}{i}")))
    });
    assert_linear("escapes", 100_000, |n| {
        wrap(&format!(r#"{{"s":"{}"}}"#, r"\u0000\u00e9".repeat(n)))
    });
    assert_linear("raw specials", 50_000, |n| {
        wrap(&format!(
            "{{\"s\":\"{}\"}}",
            "\u{85}\u{2028}é\u{7f}".repeat(n)
        ))
    });
    assert_linear("long numbers", 100_000, |n| {
        let number = format!("1.{}e-7", "7".repeat(10_000));
        wrap(&format!(
            r#"{{"a":[{}]}}"#,
            vec![number; n / 1_000].join(",")
        ))
    });
    assert_linear("overlong numbers", 100_000, |n| {
        wrap(&format!(r#"{{"n":1.{}e-7}}"#, "7".repeat(10 * n)))
    });
    assert_linear("exponent zeros", 100_000, |n| {
        let number = format!("1e{}1", "0".repeat(10_000));
        wrap(&format!(
            r#"{{"a":[{}]}}"#,
            vec![number; n / 1_000].join(",")
        ))
    });
    assert_linear("small objects", 25_000, |n| {
        let items: Vec<String> = (0..n / 2)
            .map(|i| format!(r#"{{"a":{i},"b":null,"c":"x"}}"#))
            .collect();
        wrap(&format!(r#"{{"a":[{}]}}"#, items.join(",")))
    });
    assert_linear("small objects with duplicates", 25_000, |n| {
        let items: Vec<String> = (0..n / 2)
            .map(|i| format!(r#"{{"a":{i},"b":null,"a":"x"}}"#))
            .collect();
        wrap(&format!(r#"{{"a":[{}]}}"#, items.join(",")))
    });
    assert_linear("repeated messageEvent members", 100_000, |n| {
        let member = r#""messageEvent":{"a":[1,2,{"b":1,"b":2}]}"#;
        format!("{{{}}}", vec![member; n / 8].join(","))
    });
    assert_linear("nesting near the limit, repeated", 100_000, |n| {
        let deep = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        wrap(&format!(r#"{{"a":[{}]}}"#, vec![deep; n / 500].join(",")))
    });
}
