/// Bounds on every length a capture file states. A value past one of these is treated as damage,
/// so a hostile or corrupt file can never make the reader allocate or skip without bound.
public enum CaptureLimits {
    /// Largest packet (caplen) accepted, as Wireshark's `WTAP_MAX_PACKET_SIZE_STANDARD`: Wireshark
    /// rejects a record claiming more as a corrupt file, and so do we.
    public static let maxPacketLength = 262_144
    /// Largest pcapng block accepted (packet blocks are far smaller; this bounds name-resolution,
    /// decryption-secrets and custom blocks, which are skipped whole).
    public static let maxBlockLength = 16 * 1024 * 1024
    /// Largest record a streamed input (standard input, gzip) may buffer at once.
    public static let maxStreamRecord = maxBlockLength
    /// Interfaces one pcapng section may describe.
    public static let maxInterfaces = 65_536
    /// Initial size of a stream's window; it grows (up to `maxStreamRecord`) only for a larger record.
    static let streamWindowBytes = 256 * 1024
    /// A mapped file hands back the pages it has read each time it moves this far, bounding the
    /// resident size a large capture adds.
    static let mappedReleaseBytes = 16 * 1024 * 1024
    /// Bytes read from a file descriptor at a time by a stream.
    static let streamReadBytes = 64 * 1024
}
