use std::cell::RefCell;
use std::convert::TryFrom;
use std::io;

use super::Decoder;
use crate::bulk::{Compressor, Decompressor};

// Rempart's patch (PATCHED.md): one compression and one decompression
// context per thread, reused by the one-shot functions below, instead of a
// new context (and its zeroed tables) for every call. rustic_core calls
// them once per blob.
thread_local! {
    static COMPRESSOR: RefCell<Option<(i32, Compressor<'static>)>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// Decompresses a single frame that states its size, with this thread's
/// context; `None` (use the stream decoder) for anything else.
fn decode_frame(data: &[u8]) -> Option<Vec<u8>> {
    let size = zstd_safe::get_frame_content_size(data).ok()??;
    let size = usize::try_from(size).ok().filter(|s| *s <= 1 << 30)?;
    DECOMPRESSOR.with(|cell| {
        let mut cell = cell.try_borrow_mut().ok()?;
        if cell.is_none() {
            *cell = Some(Decompressor::new().ok()?);
        }
        let out = cell.as_mut()?.decompress(data, size).ok()?;
        (out.len() == size).then_some(out)
    })
}

/// Compresses `data` as one frame with this thread's context.
fn encode_frame(data: &[u8], level: i32) -> io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell
            .try_borrow_mut()
            .map_err(|_| io::Error::other("zstd context busy"))?;
        match &mut *cell {
            Some((l, compressor)) if *l == level => compressor.compress(data),
            _ => {
                let mut compressor = Compressor::new(level)?;
                let out = compressor.compress(data);
                *cell = Some((level, compressor));
                out
            }
        }
    })
}

/// Decompress from the given source as if using a `Decoder`.
///
/// The input data must be in the zstd frame format.
pub fn decode_all<R: io::Read>(mut source: R) -> io::Result<Vec<u8>> {
    let mut input = Vec::new();
    source.read_to_end(&mut input)?;
    if let Some(out) = decode_frame(&input) {
        return Ok(out);
    }
    let mut result = Vec::new();
    copy_decode(&input[..], &mut result)?;
    Ok(result)
}

/// Decompress from the given source as if using a `Decoder`.
///
/// Decompressed data will be appended to `destination`.
pub fn copy_decode<R, W>(source: R, mut destination: W) -> io::Result<()>
where
    R: io::Read,
    W: io::Write,
{
    let mut decoder = Decoder::new(source)?;
    io::copy(&mut decoder, &mut destination)?;
    Ok(())
}

/// Compress all data from the given source as one frame.
///
/// Result will be in the zstd frame format.
///
/// A level of `0` uses zstd's default (currently `3`).
pub fn encode_all<R: io::Read>(source: R, level: i32) -> io::Result<Vec<u8>> {
    let mut result = Vec::<u8>::new();
    copy_encode(source, &mut result, level)?;
    Ok(result)
}

/// Compress all data from the given source as one frame.
///
/// Compressed data will be appended to `destination`.
///
/// A level of `0` uses zstd's default (currently `3`).
pub fn copy_encode<R, W>(
    mut source: R,
    mut destination: W,
    level: i32,
) -> io::Result<()>
where
    R: io::Read,
    W: io::Write,
{
    let mut input = Vec::new();
    source.read_to_end(&mut input)?;
    let out = encode_frame(&input, level)?;
    destination.write_all(&out)
}
