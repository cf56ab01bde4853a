import ConvergeModel

@testable import ConvergeProtocols

/// LDAPMessages built field by field with `DER` (KerberosFixtures.swift): each reads as its ASN.1.
enum LDAPFixtures {
    static let client = Endpoint(address: IPAddress(v4: 0x0a00_0009), port: 51000)
    static let server = Endpoint(address: IPAddress(v4: 0x0a00_0002), port: 389)

    static func context(_ direction: Direction, time: Int64 = 0) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: time), flowID: 4, client: client, server: server, direction: direction)
    }

    /// LDAPMessage ::= SEQUENCE { messageID, protocolOp, controls [0] OPTIONAL }.
    static func message(_ id: Int64, _ op: [UInt8]) -> [UInt8] { DER.seq(DER.int(id), op) }
    /// A primitive `[APPLICATION n]` (unbind NULL, delete DN, abandon id).
    static func primitive(_ number: UInt8, _ value: [UInt8]) -> [UInt8] { DER.tlv(0x40 | number, value) }
    /// `[n]` primitive, context class.
    static func implicit(_ number: UInt8, _ value: [UInt8]) -> [UInt8] { DER.tlv(0x80 | number, value) }

    /// BindRequest v3, simple, as cn=admin with a password.
    static let simpleBind = message(
        1,
        DER.app(
            0,
            DER.int(3),  // version 3
            DER.octets("cn=admin,dc=converge,dc=test"),  // name
            implicit(0, Array("adminpw".utf8))))  // simple [0] password
    /// BindRequest v3, anonymous (empty name and password).
    static let anonymousBind = message(1, DER.app(0, DER.int(3), DER.octets(""), implicit(0, [])))
    /// BindRequest v3, SASL GSSAPI with credentials.
    static let saslBind = message(
        2,
        DER.app(
            0,
            DER.int(3), DER.octets(""),
            DER.tlv(0xA3, DER.octets("GSSAPI") + DER.octets("token"))))  // sasl [3] { mechanism, credentials }
    /// BindResponse with `code`.
    static func bindResponse(_ id: Int64, _ code: Int64) -> [UInt8] {
        message(id, DER.app(1, DER.enumerated(code), DER.octets(""), DER.octets(code == 0 ? "" : "bad")))
    }
    /// SearchRequest: base dc=converge,dc=test, subtree, (|(uid=alice)(&(objectClass=person)(cn=a*)))
    /// with a present and an extensible test, asking for cn and mail.
    static let searchRequest = message(
        2,
        DER.app(
            3,
            DER.octets("dc=converge,dc=test"),  // baseObject
            DER.enumerated(2),  // scope wholeSubtree
            DER.enumerated(0),  // derefAliases never
            DER.int(0), DER.int(0),  // sizeLimit, timeLimit
            DER.tlv(0x01, [0x00]),  // typesOnly FALSE
            DER.tlv(
                0xA1,  // or
                DER.tlv(0xA3, DER.octets("uid") + DER.octets("alice"))  //   equality uid
                    + DER.tlv(
                        0xA0,  //   and
                        DER.tlv(0xA3, DER.octets("objectClass") + DER.octets("person"))
                            + DER.tlv(0xA4, DER.octets("cn") + DER.seq(implicit(0, Array("a".utf8)))))  // substrings cn
                    + implicit(7, Array("mail".utf8))  //   present mail
                    + DER.tlv(0xA9, implicit(2, Array("sn".utf8)) + implicit(3, Array("x".utf8)))),  // extensible sn
            DER.seq(DER.octets("cn"), DER.octets("mail"))))  // attributes
    /// The root DSE entry, as Active Directory returns it.
    static let rootDSEEntry = message(
        3,
        DER.app(
            4,
            DER.octets(""),  // objectName: root DSE
            DER.seq(
                DER.seq(DER.octets("dnsHostName"), DER.set(DER.octets("dc1.converge.test"))),
                DER.seq(DER.octets("defaultNamingContext"), DER.set(DER.octets("DC=converge,DC=test"))),
                DER.seq(
                    DER.octets("serverName"),
                    DER.set(
                        DER.octets(
                            "CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=converge,DC=test"
                        ))),
                DER.seq(DER.octets("supportedLDAPVersion"), DER.set(DER.octets("3"), DER.octets("2"))))))
    static let searchDone = message(3, DER.app(5, DER.enumerated(0), DER.octets(""), DER.octets("")))
    static let addRequest = message(
        4,
        DER.app(
            8,
            DER.octets("uid=alice,ou=people,dc=converge,dc=test"),
            DER.seq(DER.seq(DER.octets("uid"), DER.set(DER.octets("alice"))))))
    static let deleteRequest = message(5, primitive(10, Array("uid=alice,ou=people,dc=converge,dc=test".utf8)))
    static let abandonRequest = message(6, primitive(16, [0x02]))
    static let unbindRequest = message(7, primitive(2, []))
    /// ExtendedRequest StartTLS and its successful response.
    static let startTLSRequest = message(8, DER.app(23, implicit(0, Array("1.3.6.1.4.1.1466.20037".utf8))))
    static let startTLSResponse = message(
        8,
        DER.app(
            24,
            DER.enumerated(0), DER.octets(""), DER.octets(""), implicit(10, Array("1.3.6.1.4.1.1466.20037".utf8))))

    static let all: [[UInt8]] = [
        simpleBind, anonymousBind, saslBind, bindResponse(1, 49), searchRequest, rootDSEEntry, searchDone,
        addRequest, deleteRequest, abandonRequest, unbindRequest, startTLSRequest, startTLSResponse,
    ]

    static func parse(
        _ bytes: [UInt8], _ direction: Direction = .toServer, time: Int64 = 0, state: inout LDAP.State
    ) throws(DissectError) -> (message: LDAP.Message, consumed: Int) {
        try LDAP.parse(bytes.span, direction: direction, time: Timestamp(nanoseconds: time), state: &state)
    }

    static func parse(_ bytes: [UInt8], _ direction: Direction = .toServer) throws(DissectError) -> LDAP.Message {
        var state = LDAP.makeState()
        return try parse(bytes, direction, state: &state).message
    }

    static func event(_ bytes: [UInt8], _ direction: Direction = .toServer) throws -> Message {
        var state = LDAP.makeState()
        let message = try parse(bytes, direction, state: &state).message
        return LDAP.event(message, bytes: bytes.span, context: context(direction), state: &state)
    }

    static func facts(_ bytes: [UInt8], _ direction: Direction) throws -> [AssetFact] {
        var state = LDAP.makeState()
        let message = try parse(bytes, direction, state: &state).message
        return LDAP.facts(message, bytes: bytes.span, context: context(direction), state: state)
    }

    static func probe(_ bytes: [UInt8]) -> ProbeResult { LDAP.probe(bytes.span, direction: .toServer) }
}
