//! The WebAssembly boundary of dms-webhook: the two modules of the npm package.
//!
//! - Built without features: the *verify* module, what a receiver loads (`dms_configure`,
//!   `dms_verify`), built on the crate without its `full` feature.
//! - Built with `--features full`: the *full* module, loaded when first needed: the same calls
//!   for the bodies the verify module hands over, and `parse`, `canonicalize`, `sign`,
//!   `deliveryKey`, `explain`.
//!
//! Both talk to JavaScript through bytes in linear memory and integers only (`abi.rs`), import
//! nothing (the host's HMAC-SHA1 comes through the function table, `host.rs`), and carry no
//! logic of their own. They are built `no_std` with a panic handler that
//! traps: the crate builds its messages without `core::fmt`, so no formatting machinery is
//! linked, and a panic (a bug) surfaces in JavaScript as a `WebAssembly.RuntimeError`.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

pub mod abi;
#[cfg(target_arch = "wasm32")]
mod arena;
#[cfg(feature = "full")]
pub mod full;
pub mod host;
pub mod verify;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
