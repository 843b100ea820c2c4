//! The Gearman binary protocol: packet types, framing, encoding.
//!
//! Nothing here does I/O; [`frame::decode`] reads from a byte slice and
//! [`encode::encode`] appends to a `Vec<u8>`.

pub mod encode;
pub mod frame;
pub mod packet_type;

pub use encode::{encode, encode_head, has_nul, header, request};
pub(crate) use frame::find_nul;
pub use frame::{
    decode, decode_bare, decode_header, Args, Decoded, FrameError, Header, Magic, PacketRef,
    DEFAULT_MAX_PACKET, HEADER_LEN, MAGIC_REQ, MAGIC_RES,
};
pub use packet_type::{Direction, PacketType, MAX_ARGS};

/// Longest job handle gearmand produces or accepts (`GEARMAN_JOB_HANDLE_SIZE`
/// is 64 including the terminating NUL).
pub const MAX_HANDLE_LEN: usize = 63;
/// libgearman's function-name limit (`GEARMAN_FUNCTION_MAX_SIZE`).
pub const MAX_FUNCTION_LEN: usize = 512;
/// libgearman's unique-key limit (`GEARMAN_MAX_UNIQUE_SIZE`).
pub const MAX_UNIQUE_LEN: usize = 64;

/// Strips trailing NUL bytes from a handle argument.
///
/// gearmand forwards an exception as WORK_FAIL whose handle still carries
/// its NUL terminator (protocol doc §5.4); matching must ignore it.
pub fn trim_handle(handle: &[u8]) -> &[u8] {
    let end = handle.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    &handle[..end]
}

#[cfg(test)]
mod tests {
    #[test]
    fn trim_handle() {
        assert_eq!(super::trim_handle(b"H:vm:84\0"), b"H:vm:84");
        assert_eq!(super::trim_handle(b"H:vm:84\0\0"), b"H:vm:84");
        assert_eq!(super::trim_handle(b"H:vm:84"), b"H:vm:84");
        assert_eq!(super::trim_handle(b"\0"), b"");
        assert_eq!(super::trim_handle(b""), b"");
    }
}
