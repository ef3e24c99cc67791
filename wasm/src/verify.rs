//! The verify module's calls: configure the URLs and secrets once, then verify bodies.

use dms_webhook::{Error, ErrorCode, Form, SignatureMethod, Verifier, VerifyOptions};

use crate::abi::{self, Lists, Shared, Slot};
use crate::arena;

/// The verifier of the configured URLs and secrets (HMAC keys scheduled), made by
/// `dms_configure` below the arena's mark.
static VERIFIER: Shared<Option<Verifier>> = Shared::new(None);

fn verifier() -> &'static mut Option<Verifier> {
    // SAFETY: single-threaded, and the reference does not outlive the call that takes it.
    unsafe { &mut *VERIFIER.get() }
}

/// Configures the URLs and secrets written in the options area (`len` bytes: the URL list,
/// then the secret list). Any earlier configuration and call are forgotten.
#[no_mangle]
pub extern "C" fn dms_configure(len: usize) -> u32 {
    // The old verifier lives in memory the reset hands out again: forget it, never drop it.
    core::mem::forget(verifier().take());
    arena::reset_all();
    let mut lists = Lists::new(len);
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

/// Verifies the `len` bytes of input against the configured URLs and secrets.
///
/// On success the result area holds the signature method, the form, URL and secret that
/// matched, the event's span and whether it holds wide integers.
#[no_mangle]
pub extern "C" fn dms_verify(
    len: usize,
    require_signature: u32,
    max_body_bytes: f64,
    now_ms: f64,
    max_age_ms: f64,
) -> u32 {
    let Some(v) = verifier() else {
        return abi::fail(Error::new(
            ErrorCode::InvalidOptions,
            "no URL and secret are configured",
        ));
    };
    let policy = abi::policy(require_signature, max_body_bytes, now_ms, max_age_ms);
    match v.check_with(abi::input(len), &policy) {
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
            abi::set(Slot::EventStart, abi::word(c.message_event.start));
            abi::set(Slot::EventEnd, abi::word(c.message_event.end));
            abi::set(Slot::Wide, u32::from(c.wide_integers));
            0
        }
        Err(e) => abi::fail(e),
    }
}
