//! The verify module's calls: configure the URLs and secrets once, then verify bodies.

use dms_webhook::{Error, ErrorCode, Form, SignatureMethod, Verifier, VerifyOptions};

use crate::abi::{self, Shared, Slot};
use crate::{arena, host};

/// The verifier of the configured URLs and secrets (HMAC keys scheduled), made by
/// `dms_configure` below the arena's mark.
static VERIFIER: Shared<Option<Verifier>> = Shared::new(None);

fn verifier() -> &'static mut Option<Verifier> {
    // SAFETY: single-threaded, and the reference does not outlive the call that takes it.
    unsafe { &mut *VERIFIER.get() }
}

/// Configures the URLs and secrets written into the room `dms_config_input` made (`len` bytes:
/// the URL list, then the secret list).
#[no_mangle]
pub extern "C" fn dms_configure(len: usize) -> u32 {
    // The old verifier lived in memory `dms_config_input` handed out again: forget it, never
    // drop it.
    core::mem::forget(verifier().take());
    let mut lists = abi::config_lists(len);
    let mut options = VerifyOptions::new("", "");
    options.urls = lists.strings();
    options.secrets = lists.strings().into_iter().map(Into::into).collect();
    let status = match Verifier::new(options) {
        Ok(v) => {
            *verifier() = Some(v);
            0
        }
        Err(e) => abi::fail(e),
    };
    arena::set_mark();
    status
}

/// JavaScript string length (UTF-16 units) of UTF-8 text.
fn utf16_units(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

/// Verifies the `len` bytes of input against the configured URLs and secrets, with the
/// module's own HMAC-SHA1, or the host's when `host_hmac` is 1 (large bodies in Node) and the
/// host has handed it over (`dms_host_hmac`). A body that came from a JavaScript string
/// (`string_length` not negative) is UTF-8 already, and is not checked again.
///
/// On success the result area holds the signature method, the form, URL and secret that
/// matched, the event's span and whether it holds wide integers. The span is in bytes, or, when
/// the body came from a JavaScript string of `string_length` UTF-16 units (`string_length`
/// not negative), in string indices: counted over what lies before and after the event, which
/// in a DMS body is a few dozen bytes.
#[no_mangle]
pub extern "C" fn dms_verify(
    len: usize,
    require_signature: u32,
    max_body_bytes: f64,
    now_ms: f64,
    max_age_ms: f64,
    string_length: f64,
    host_hmac: u32,
) -> u32 {
    let Some(v) = verifier() else {
        return abi::fail(Error::new(
            ErrorCode::InvalidOptions,
            "no URL and secret are configured",
        ));
    };
    let policy = abi::policy(require_signature, max_body_bytes, now_ms, max_age_ms);
    let body = abi::input(len);
    let host_hmac = host_hmac != 0 && host::available();
    let checked = if string_length >= 0.0 {
        // SAFETY: a body that came as a JavaScript string was written by `TextEncoder`'s
        // `encodeInto`, which writes UTF-8 only (a lone surrogate becomes U+FFFD), whole
        // characters only, and `len` is the count of bytes it wrote.
        let text = unsafe { core::str::from_utf8_unchecked(body) };
        if host_hmac {
            v.check_str_with_tags(text, &policy, &mut host::tags)
        } else {
            v.check_str_with(text, &policy)
        }
    } else if host_hmac {
        v.check_with_tags(body, &policy, &mut host::tags)
    } else {
        v.check_with(body, &policy)
    };
    match checked {
        Ok(c) => {
            let method = match c.signature_method {
                SignatureMethod::HmacSha1 => 1,
                SignatureMethod::None => 0,
            };
            abi::set(Slot::OffsetOrMethod, method);
            let (form, url, secret) = match &c.matched {
                Some(m) => (
                    match m.form {
                        Form::Canonical => 0,
                        Form::Raw => 1,
                    },
                    abi::word(m.url_index),
                    abi::word(m.secret_index),
                ),
                None => (u32::MAX, u32::MAX, u32::MAX),
            };
            abi::set(Slot::Form, form);
            abi::set(Slot::Url, url);
            abi::set(Slot::Secret, secret);
            let (start, end) = (c.message_event.start, c.message_event.end);
            let (start, end) = if string_length >= 0.0 {
                let before = utf16_units(&body[..start]);
                let after = utf16_units(&body[end..]);
                (before, (string_length as usize).saturating_sub(after))
            } else {
                (start, end)
            };
            abi::set(Slot::EventStart, abi::word(start));
            abi::set(Slot::EventEnd, abi::word(end));
            abi::set(Slot::Wide, u32::from(c.wide_integers));
            0
        }
        Err(e) => abi::fail(e),
    }
}
