import ConvergeModel

@testable import ConvergeProtocols

/// Byte-level SNMP fixtures and a few helpers for the SNMP tests.
enum SNMPFixtures {
    static let manager = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 40000)
    static let agent = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 161)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 7, client: manager, server: agent, direction: direction)
    }

    /// v2c get-request, community "public", request-id 0x1234, one varbind sysDescr.0 = NULL.
    static let getSysDescr: [UInt8] = [
        0x30, 0x27,  // SEQUENCE, 39
        0x02, 0x01, 0x01,  // version 1 (v2c)
        0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63,  // community "public"
        0xa0, 0x1a,  // get-request, 26
        0x02, 0x02, 0x12, 0x34,  // request-id 0x1234
        0x02, 0x01, 0x00,  // error-status 0
        0x02, 0x01, 0x00,  // error-index 0
        0x30, 0x0e,  // varbind list, 14
        0x30, 0x0c,  // varbind, 12
        0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,  // OID 1.3.6.1.2.1.1.1.0
        0x05, 0x00,  // NULL
    ]

    /// v2c response to the above: sysDescr.0 "Linux rtu1", sysName.0 "rtu1", sysObjectID.0
    /// 1.3.6.1.4.1.8072.3.2.10, sysLocation.0 "Hall 2".
    static let responseSystem: [UInt8] = sequence(
        integer(1) + octetString("public")
            + tlv(
                0xa2,
                integer(0x1234) + integer(0) + integer(0)
                    + sequence(
                        varbind([1, 3, 6, 1, 2, 1, 1, 1, 0], octetString("Linux rtu1"))
                            + varbind([1, 3, 6, 1, 2, 1, 1, 5, 0], octetString("rtu1"))
                            + varbind([1, 3, 6, 1, 2, 1, 1, 2, 0], tlv(0x06, oid([1, 3, 6, 1, 4, 1, 8072, 3, 2, 10])))
                            + varbind([1, 3, 6, 1, 2, 1, 1, 6, 0], octetString("Hall 2")))))

    /// v1 trap, exactly sv-snmpv1-trap.pcap frame 1 (Wireshark wiki capture): enterprise
    /// 1.3.6.1.4.1.4.1.2.21, agent 127.0.0.1, coldStart, one varbind ifNumber.0 = 33.
    static let v1Trap: [UInt8] = [
        0x30, 0x38,  // SEQUENCE, 56
        0x02, 0x01, 0x00,  // version 0 (v1)
        0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63,  // community "public"
        0xa4, 0x2b,  // Trap-PDU, 43
        0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x04, 0x01, 0x02, 0x15,  // enterprise 1.3.6.1.4.1.4.1.2.21
        0x40, 0x04, 0x7f, 0x00, 0x00, 0x01,  // agent-addr 127.0.0.1
        0x02, 0x01, 0x00,  // generic-trap 0 (coldStart)
        0x02, 0x01, 0x00,  // specific-trap 0
        0x43, 0x01, 0x00,  // time-stamp 0
        0x30, 0x0f, 0x30, 0x0d,  // varbind list, varbind
        0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x01, 0x00,  // ifNumber.0
        0x02, 0x01, 0x21,  // INTEGER 33
    ]

    /// v3 get-bulk, noAuthNoPriv, user "noAuthUser", engine id 80 00 1f 88 … (Net-SNMP, 8072).
    static let v3GetBulk: [UInt8] = sequence(
        integer(3)
            + sequence(integer(42) + integer(65507) + octetString([0x04]) + integer(3))
            + octetString(
                sequence(
                    octetString([0x80, 0x00, 0x1f, 0x88, 0x80, 0x01, 0x02, 0x03, 0x04]) + integer(1) + integer(100)
                        + octetString("noAuthUser") + octetString([]) + octetString([])))
            + sequence(
                octetString([0x80, 0x00, 0x1f, 0x88, 0x80, 0x01, 0x02, 0x03, 0x04]) + octetString([])
                    + tlv(
                        0xa5,
                        integer(77) + integer(0) + integer(10)
                            + sequence(varbind([1, 3, 6, 1, 2, 1, 25, 1, 1, 0], [0x05, 0x00])))))

    /// v3 authPriv with an encrypted scoped PDU.
    static let v3Encrypted: [UInt8] = sequence(
        integer(3)
            + sequence(integer(43) + integer(65507) + octetString([0x07]) + integer(3))
            + octetString(
                sequence(
                    octetString([0x80, 0x00, 0x00, 0x09, 0x03, 0x00, 0x11, 0x22]) + integer(5) + integer(200)
                        + octetString("admin") + octetString(Array(repeating: 0xaa, count: 12))
                        + octetString(Array(repeating: 0xbb, count: 8))))
            + octetString(Array(repeating: 0xcc, count: 40)))

    /// v2c set-request sysContact.0 := "ops", community "s3cret".
    static let setContact: [UInt8] = sequence(
        integer(1) + octetString("s3cret")
            + tlv(
                0xa3,
                integer(9) + integer(0) + integer(0)
                    + sequence(varbind([1, 3, 6, 1, 2, 1, 1, 4, 0], octetString("ops")))))

    /// v2c response with error-status 17 (notWritable).
    static let notWritable: [UInt8] = sequence(
        integer(1) + octetString("s3cret")
            + tlv(0xa2, integer(9) + integer(17) + integer(1) + sequence([])))

    static let all: [[UInt8]] = [getSysDescr, responseSystem, v1Trap, v3GetBulk, v3Encrypted, setContact, notWritable]

    // MARK: BER building

    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        if n < 0x100 { return [0x81, UInt8(n)] }
        return [0x82, UInt8(n >> 8), UInt8(n & 0xff)]
    }
    static func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] { [tag] + length(value.count) + value }
    static func sequence(_ value: [UInt8]) -> [UInt8] { tlv(0x30, value) }
    static func octetString(_ text: String) -> [UInt8] { tlv(0x04, Array(text.utf8)) }
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }
    static func integer(_ value: Int) -> [UInt8] {
        var octets: [UInt8] = []
        var v = value
        repeat {
            octets.insert(UInt8(truncatingIfNeeded: v), at: 0)
            v >>= 8
        } while v != 0 && v != -1
        if value >= 0, octets[0] & 0x80 != 0 { octets.insert(0, at: 0) }
        if value < 0, octets[0] & 0x80 == 0 { octets.insert(0xff, at: 0) }
        return tlv(0x02, octets)
    }
    static func oid(_ arcs: [UInt64]) -> [UInt8] {
        var out: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
        for arc in arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7f)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7f) | 0x80, at: 0)
                rest >>= 7
            }
            out += chunk
        }
        return out
    }
    static func varbind(_ arcs: [UInt64], _ value: [UInt8]) -> [UInt8] { sequence(tlv(0x06, oid(arcs)) + value) }

    static func parse(_ bytes: [UInt8], _ direction: Direction = .toServer, state: inout SNMP.State, time: Int64 = 0)
        throws(DissectError) -> SNMP.Packet
    {
        let result = try SNMP.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: time), state: &state)
        return result.message
    }

    static func parse(_ bytes: [UInt8], _ direction: Direction = .toServer) throws(DissectError) -> SNMP.Packet {
        var state = SNMP.makeState()
        return try parse(bytes, direction, state: &state)
    }

    static func event(
        _ packet: SNMP.Packet, _ bytes: [UInt8], _ direction: Direction = .toServer, state: inout SNMP.State
    ) -> Message {
        SNMP.event(packet, bytes: bytes.span, context: context(direction), state: &state)
    }

    static func event(_ packet: SNMP.Packet, _ bytes: [UInt8], _ direction: Direction = .toServer) -> Message {
        var state = SNMP.makeState()
        return event(packet, bytes, direction, state: &state)
    }

    static func facts(_ packet: SNMP.Packet, _ bytes: [UInt8], _ direction: Direction = .toServer) -> [AssetFact] {
        SNMP.facts(packet, bytes: bytes.span, context: context(direction), state: SNMP.makeState())
    }
}
