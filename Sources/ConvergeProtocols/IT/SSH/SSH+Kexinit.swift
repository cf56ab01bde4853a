import ConvergeWire

extension SSH {
    /// Name-lists longer than this are cut in events (real ones are under 2 KiB).
    public static let maxNameListLength = 4096

    /// The ten name-lists of a KEXINIT (RFC 4253 7.1), as offsets into the packet.
    public struct Kexinit: Sendable, Equatable {
        /// kex, server_host_key, encryption c2s/s2c, mac c2s/s2c, compression c2s/s2c, languages.
        public var lists: [Range<Int>]

        public static let kex = 0
        public static let hostKey = 1
        public static let encryptionClientToServer = 2
        public static let encryptionServerToClient = 3
        public static let macClientToServer = 4
        public static let macServerToClient = 5
        public static let compressionClientToServer = 6
        public static let compressionServerToClient = 7

        /// Reads the lists from a whole packet (`bytes` starts at packet_length); nil when they do
        /// not fit the payload.
        public static func read(_ bytes: Span<UInt8>, frame: Frame) -> Kexinit? {
            guard frame.kind == .packet, frame.messageCode == MessageCode.kexinit else { return nil }
            let payloadEnd = min(packetHeaderLength &+ Int(frame.payloadLength), bytes.count)
            guard payloadEnd >= packetHeaderLength else { return nil }
            var r = WireReader(bytes.extracting(0..<payloadEnd))
            guard r.skip(packetHeaderLength &+ 1 &+ 16) else { return nil }  // header, code, cookie
            var lists: [Range<Int>] = []
            for _ in 0..<10 {
                guard let length = r.u32be(), Int(length) <= r.remaining else { return nil }
                lists.append(r.offset..<(r.offset &+ Int(length)))
                r.skip(Int(length))
            }
            return Kexinit(lists: lists)
        }

        public func text(_ bytes: Span<UInt8>, _ index: Int) -> String {
            guard index < lists.count else { return "" }
            let range = lists[index]
            var out: [UInt8] = []
            let end = min(range.upperBound, range.lowerBound &+ maxNameListLength, bytes.count)
            if range.lowerBound < end { for offset in range.lowerBound..<end { out.append(bytes[offset]) } }
            return String(decoding: out, as: UTF8.self)
        }

        /// HASSH (Salesforce): MD5 of `kex;enc;mac;compression` with the client-to-server lists;
        /// HASSHServer the same with the server-to-client lists.
        public func hasshAlgorithms(_ bytes: Span<UInt8>, server: Bool) -> String {
            let lists =
                server
                ? [Self.kex, Self.encryptionServerToClient, Self.macServerToClient, Self.compressionServerToClient]
                : [Self.kex, Self.encryptionClientToServer, Self.macClientToServer, Self.compressionClientToServer]
            return lists.map { text(bytes, $0) }.joined(separator: ";")
        }
    }
}
