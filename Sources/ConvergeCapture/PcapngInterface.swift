import ConvergeWire

/// Block type numbers of pcapng (draft-ietf-opsawg-pcapng), the ones the reader acts on.
enum PcapngBlock {
    static let sectionHeader: UInt32 = 0x0a0d_0d0a
    static let interfaceDescription: UInt32 = 1
    /// Obsolete Packet Block: like the enhanced one with a 16-bit interface id and a drop count.
    static let packet: UInt32 = 2
    static let simplePacket: UInt32 = 3
    static let enhancedPacket: UInt32 = 6
    static let byteOrderMagic: UInt32 = 0x1a2b_3c4d

    /// Options of an interface description block.
    static let optionEnd: UInt16 = 0
    static let optionTimestampResolution: UInt16 = 9
    static let optionTimestampOffset: UInt16 = 14
}

/// What an Interface Description Block says about the packets that name its interface.
struct PcapngInterface {
    var linkType: LinkType
    /// 0 means no limit.
    var snaplen: Int
    var scale: TimestampScale
    /// `if_tsoffset` in nanoseconds: added to every timestamp of the interface.
    var offset: Int64
}
