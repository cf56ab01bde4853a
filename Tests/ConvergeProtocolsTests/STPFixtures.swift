/// Byte-commented BPDUs: the payload after an 802.3 header, from the LLC header on.
enum STPFixtures {
    static let llc: [UInt8] = [0x42, 0x42, 0x03]  // LLC: spanning tree SAPs, UI
    static let pvstSNAP: [UInt8] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x0b]  // SNAP, Cisco, PVST+

    /// Flags through forward delay: root 32768/00:1b:1b:aa:bb:cc (extension 1), cost 19, bridge
    /// 32768/00:1b:1b:aa:bb:dd, port 0x8003, timers 1, 20, 2, 15 s (in 1/256 s).
    static func body(flags: UInt8) -> [UInt8] {
        [
            flags,
            0x80, 0x01, 0x00, 0x1b, 0x1b, 0xaa, 0xbb, 0xcc,  // root id: priority 32768, ext 1, MAC
            0x00, 0x00, 0x00, 0x13,  // root path cost 19
            0x80, 0x01, 0x00, 0x1b, 0x1b, 0xaa, 0xbb, 0xdd,  // bridge id
            0x80, 0x03,  // port id
            0x01, 0x00, 0x14, 0x00, 0x02, 0x00, 0x0f, 0x00,  // message age, max age, hello, forward delay
        ]
    }

    /// 802.1D configuration BPDU with the topology change flag.
    static let configuration: [UInt8] = llc + [0x00, 0x00, 0x00, 0x00] + body(flags: 0x01)
    /// Topology change notification: only the header.
    static let tcn: [UInt8] = llc + [0x00, 0x00, 0x00, 0x80]
    /// RSTP: designated port, learning and forwarding, version 1 length 0.
    static let rapid: [UInt8] = llc + [0x00, 0x00, 0x02, 0x02] + body(flags: 0x3c) + [0x00]
    /// Cisco PVST+ RST BPDU on VLAN 3: the originating VLAN TLV after the BPDU.
    static let pvst: [UInt8] = pvstSNAP + [0x00, 0x00, 0x02, 0x02] + body(flags: 0x3c) + [0x00]
        + [0x00, 0x00, 0x00, 0x02, 0x00, 0x03]

    /// MSTP with two MSTI records.
    static let mst: [UInt8] =
        llc + [0x00, 0x00, 0x03, 0x02] + body(flags: 0x7c) + [0x00]
        + [0x00, 0x60]  // version 3 length: 64 + 2 × 16
        + [0x00] + [UInt8](repeating: 0x41, count: 32) + [0x00, 0x01]  // format selector, name "AAA…", revision 1
        + [UInt8](repeating: 0xee, count: 16)  // configuration digest
        + [0x00, 0x00, 0x00, 0x00]  // CIST internal root path cost
        + [0x70, 0x00, 0x00, 0x1b, 0x1b, 0xaa, 0xbb, 0xee]  // CIST bridge id 28672/00:1b:1b:aa:bb:ee
        + [0x14]  // remaining hops
        + [UInt8](repeating: 0x01, count: 32)  // two MSTI records
}
