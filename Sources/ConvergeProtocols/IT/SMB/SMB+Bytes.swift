extension SMB {
    /// Little-endian reads at an offset, nil past the end (SMB and NTLMSSP are little-endian).
    enum LE {
        static func u16(_ bytes: Span<UInt8>, _ offset: Int) -> UInt16? {
            guard offset >= 0, offset &+ 2 <= bytes.count else { return nil }
            return UInt16(bytes[offset]) | UInt16(bytes[offset &+ 1]) << 8
        }

        static func u32(_ bytes: Span<UInt8>, _ offset: Int) -> UInt32? {
            guard offset >= 0, offset &+ 4 <= bytes.count else { return nil }
            return bytes.loadUInt32LE(at: offset)
        }

        static func u64(_ bytes: Span<UInt8>, _ offset: Int) -> UInt64? {
            guard offset >= 0, offset &+ 8 <= bytes.count else { return nil }
            return UInt64(bytes.loadUInt32LE(at: offset)) | UInt64(bytes.loadUInt32LE(at: offset &+ 4)) << 32
        }
    }
}
