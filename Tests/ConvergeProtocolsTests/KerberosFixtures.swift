import ConvergeModel

@testable import ConvergeProtocols

/// A tiny DER writer for the Kerberos and LDAP fixtures: each fixture reads as its ASN.1.
enum DER {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        if count < 0x100 { return [0x81, UInt8(count)] }
        if count < 0x1_0000 { return [0x82, UInt8(count >> 8), UInt8(count & 0xff)] }
        return [0x83, UInt8(count >> 16), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
    }
    static func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] { [tag] + length(value.count) + value }
    static func seq(_ items: [UInt8]...) -> [UInt8] { tlv(0x30, items.flatMap { $0 }) }
    static func set(_ items: [UInt8]...) -> [UInt8] { tlv(0x31, items.flatMap { $0 }) }
    /// `[n] EXPLICIT` (context, constructed).
    static func ctx(_ number: UInt8, _ inner: [UInt8]) -> [UInt8] { tlv(0xA0 | number, inner) }
    /// `[APPLICATION n]` constructed.
    static func app(_ number: UInt8, _ items: [UInt8]...) -> [UInt8] { tlv(0x60 | number, items.flatMap { $0 }) }
    static func int(_ value: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: v), at: 0)
            v >>= 8
        } while !(v == 0 && bytes[0] & 0x80 == 0) && !(v == -1 && bytes[0] & 0x80 != 0)
        return tlv(0x02, bytes)
    }
    static func enumerated(_ value: Int64) -> [UInt8] { [0x0A] + Array(int(value).dropFirst()) }
    static func octets(_ text: String) -> [UInt8] { tlv(0x04, Array(text.utf8)) }
    static func general(_ text: String) -> [UInt8] { tlv(0x1B, Array(text.utf8)) }
    static func time(_ text: String) -> [UInt8] { tlv(0x18, Array(text.utf8)) }
    /// PrincipalName { name-type [0], name-string [1] SEQUENCE OF KerberosString }.
    static func principal(_ type: Int64, _ parts: [String]) -> [UInt8] {
        seq(ctx(0, int(type)), ctx(1, tlv(0x30, parts.flatMap { general($0) })))
    }
    /// EncryptedData { etype [0], kvno [1], cipher [2] } with `count` cipher bytes.
    static func encrypted(_ etype: Int64, kvno: Int64? = nil, count: Int = 16) -> [UInt8] {
        tlv(
            0x30,
            ctx(0, int(etype)) + (kvno.map { ctx(1, int($0)) } ?? [])
                + ctx(2, tlv(0x04, [UInt8](repeating: 0xEE, count: count))))
    }
}

enum KerberosFixtures {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0005), port: 50123)
    static let kdc = Endpoint(address: IPAddress(v4: 0x0a00_0001), port: 88)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(time: Timestamp(nanoseconds: time), flowID: 3, client: client, server: kdc, direction: direction)
    }

    static let realm = "CONVERGE.TEST"

    /// KDC-REQ-BODY for alice asking for krbtgt/CONVERGE.TEST, offering AES256 and RC4.
    static func requestBody(etypes: [Int64] = [18, 23], cname: [String]? = ["alice"]) -> [UInt8] {
        DER.ctx(
            4,
            DER.tlv(
                0x30,
                DER.ctx(0, DER.tlv(0x03, [0x00, 0x50, 0x00, 0x00]))  // kdc-options
                    + (cname.map { DER.ctx(1, DER.principal(1, $0)) } ?? [])  // cname NT-PRINCIPAL
                    + DER.ctx(2, DER.general(realm))  // realm
                    + DER.ctx(3, DER.principal(2, ["krbtgt", realm]))  // sname NT-SRV-INST
                    + DER.ctx(5, DER.time("20370913024805Z"))  // till
                    + DER.ctx(7, DER.int(0x1234_5678))  // nonce
                    + DER.ctx(8, DER.tlv(0x30, etypes.flatMap { DER.int($0) }))))  // etype list
    }

    /// AS-REQ without pre-authentication (the first try of a kinit).
    static let asRequest: [UInt8] = DER.app(
        10,
        DER.seq(
            DER.ctx(1, DER.int(5)),  // pvno 5
            DER.ctx(2, DER.int(10)),  // msg-type AS-REQ
            DER.ctx(3, DER.seq(DER.seq(DER.ctx(1, DER.int(128)), DER.ctx(2, DER.octets("0"))))),  // PA-PAC-REQUEST
            requestBody()))

    /// AS-REQ with PA-ENC-TIMESTAMP (the second try).
    static let asRequestPreauth: [UInt8] = DER.app(
        10,
        DER.seq(
            DER.ctx(1, DER.int(5)),
            DER.ctx(2, DER.int(10)),
            DER.ctx(
                3,
                DER.seq(
                    DER.seq(DER.ctx(1, DER.int(2)), DER.ctx(2, DER.tlv(0x04, DER.encrypted(18)))),  // PA-ENC-TIMESTAMP
                    DER.seq(DER.ctx(1, DER.int(128)), DER.ctx(2, DER.octets("0"))))),
            requestBody(etypes: [18, 17])))

    /// Ticket for `sname` in CONVERGE.TEST.
    static func ticket(_ sname: [String]) -> [UInt8] {
        DER.app(
            1,
            DER.seq(
                DER.ctx(0, DER.int(5)),  // tkt-vno
                DER.ctx(1, DER.general(realm)),  // realm
                DER.ctx(2, DER.principal(2, sname)),  // sname
                DER.ctx(3, DER.encrypted(18, kvno: 1, count: 64))))  // enc-part (skipped)
    }

    /// AS-REP to alice, session key `etype`.
    static func asReply(etype: Int64 = 18) -> [UInt8] {
        DER.app(
            11,
            DER.seq(
                DER.ctx(0, DER.int(5)),  // pvno
                DER.ctx(1, DER.int(11)),  // msg-type AS-REP
                DER.ctx(2, DER.seq(DER.seq(DER.ctx(1, DER.int(19)), DER.ctx(2, DER.octets("x"))))),  // ETYPE-INFO2
                DER.ctx(3, DER.general(realm)),  // crealm
                DER.ctx(4, DER.principal(1, ["alice"])),  // cname
                DER.ctx(5, ticket(["krbtgt", realm])),  // ticket
                DER.ctx(6, DER.encrypted(etype, kvno: 2, count: 48))))  // enc-part
    }

    /// KRB-ERROR `code` for `cname`.
    static func error(_ code: Int64, cname: String = "alice") -> [UInt8] {
        DER.app(
            30,
            DER.seq(
                DER.ctx(0, DER.int(5)),  // pvno
                DER.ctx(1, DER.int(30)),  // msg-type KRB-ERROR
                DER.ctx(4, DER.time("20261127073400Z")),  // stime
                DER.ctx(5, DER.int(12345)),  // susec
                DER.ctx(6, DER.int(code)),  // error-code
                DER.ctx(7, DER.general(realm)),  // crealm
                DER.ctx(8, DER.principal(1, [cname])),  // cname
                DER.ctx(9, DER.general(realm)),  // realm
                DER.ctx(10, DER.principal(2, ["krbtgt", realm])),  // sname
                DER.ctx(11, DER.general("NEEDED_PREAUTH"))))  // e-text
    }

    /// TGS-REQ: PA-TGS-REQ holding an AP-REQ (ticket + authenticator), body without cname.
    static let tgsRequest: [UInt8] = DER.app(
        12,
        DER.seq(
            DER.ctx(1, DER.int(5)),
            DER.ctx(2, DER.int(12)),  // msg-type TGS-REQ
            DER.ctx(
                3,
                DER.seq(
                    DER.seq(
                        DER.ctx(1, DER.int(1)),  // PA-TGS-REQ
                        DER.ctx(
                            2,
                            DER.tlv(
                                0x04,
                                DER.app(
                                    14,
                                    DER.seq(  // AP-REQ inside
                                        DER.ctx(0, DER.int(5)), DER.ctx(1, DER.int(14)),
                                        DER.ctx(2, DER.tlv(0x03, [0, 0, 0, 0, 0])),
                                        DER.ctx(3, ticket(["krbtgt", realm])),
                                        DER.ctx(4, DER.encrypted(18, count: 32))))))))),
            requestBody(etypes: [18], cname: nil)))

    static let all: [[UInt8]] = [asRequest, asRequestPreauth, asReply(), error(25), tgsRequest]

    static func parse(_ bytes: [UInt8], _ direction: Direction = .toServer) throws(DissectError) -> Kerberos.Message {
        var state = Kerberos.makeState()
        return try Kerberos.parse(bytes.span, direction: direction, time: .zero, state: &state).message
    }

    /// Parses `bytes` on a flow's `state`.
    static func parse(
        _ bytes: [UInt8], _ direction: Direction, time: Int64 = 0, state: inout Kerberos.State
    ) throws(DissectError) -> Kerberos.Message {
        try Kerberos.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: time), state: &state).message
    }

    static func probe(_ bytes: [UInt8], _ direction: Direction = .toServer) -> ProbeResult {
        Kerberos.probe(bytes.span, direction: direction)
    }

    /// The TCP form: a 4-byte record marker before the message.
    static func record(_ message: [UInt8]) -> [UInt8] {
        let n = message.count
        return [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + message
    }
}
