//! Test data that neither compresses nor deduplicates; shared by the
//! backup crate's tests and the command-line tests (`#[path]`).

/// `len` bytes of xorshift output from `seed`: the same for the same
/// arguments, so a restored copy can be compared without keeping one.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}
