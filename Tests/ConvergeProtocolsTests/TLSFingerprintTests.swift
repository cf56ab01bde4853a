import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

@Suite struct TLSFingerprintTests {
    /// The worked example of FoxIO's technical_details/JA4.md (Chrome: 15 ciphers, 16 extensions).
    @Test func ja4MatchesTheSpecExample() {
        var hello = TLS.ClientDetails()
        hello.legacyVersion = 0x0303
        hello.supportedVersions = [0x0a0a, 0x0304, 0x0303]
        hello.cipherSuites = [
            0x1a1a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
            0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
        ]
        hello.extensions = [
            0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005,
            0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
        ]
        hello.signatureAlgorithms = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
        hello.hasServerNameExtension = true
        hello.alpn = [Array("h2".utf8), Array("http/1.1".utf8)]
        #expect(TLS.Fingerprint.ja4(hello) == "t13d1516h2_8daaf6152771_e5627efa2ab1")
        hello.signatureAlgorithms = []
        #expect(TLS.Fingerprint.ja4(hello).hasSuffix("_6d807ffa2a79"))
        hello.cipherSuites = [0x0a0a]
        hello.extensions = [0x0000, 0x0010]
        #expect(TLS.Fingerprint.ja4(hello) == "t13d0002h2_000000000000_000000000000")
    }

    @Test func ja4ALPNRules() {
        #expect(TLS.Fingerprint.ja4ALPN(nil) == "00")
        #expect(TLS.Fingerprint.ja4ALPN([]) == "00")
        #expect(TLS.Fingerprint.ja4ALPN(Array("http/1.1".utf8)) == "h1")
        #expect(TLS.Fingerprint.ja4ALPN([0x61]) == "aa")
        #expect(TLS.Fingerprint.ja4ALPN([0xab]) == "ab")
        #expect(TLS.Fingerprint.ja4ALPN([0xab, 0xcd]) == "ad")
        #expect(TLS.Fingerprint.ja4ALPN([0x30, 0xab]) == "3b")
        #expect(TLS.Fingerprint.ja4ALPN([0x30, 0xab, 0xcd, 0x31]) == "01")
        #expect(TLS.Fingerprint.twoDigits(150) == "99")
        #expect(TLS.Fingerprint.ja4Version(0x7f17) == "00")
    }

    @Test func greaseValues() {
        #expect(TLS.isGREASE(0x0a0a) && TLS.isGREASE(0xfafa) && TLS.isGREASE(0x3a3a))
        #expect(!TLS.isGREASE(0x0a1a) && !TLS.isGREASE(0x1301) && !TLS.isGREASE(0x0000))
    }

    static func certificateMessage() throws -> [UInt8] {
        let der = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: ITStreamRunner.fixture("tls", "rsa_selfsigned.der"))))
        let entry = [UInt8(der.count >> 16), UInt8((der.count >> 8) & 0xff), UInt8(der.count & 0xff)] + der
        return [UInt8(entry.count >> 16), UInt8((entry.count >> 8) & 0xff), UInt8(entry.count & 0xff)] + entry
    }

    @Test func certificateFields() throws {
        let body = try Self.certificateMessage()
        let read = TLS.firstCertificate(body.span)
        let summary = try #require(read)
        #expect(summary.subjectCommonName == "plc-gateway.plant.example")
        #expect(summary.subjectOrganization == "Example Automation")
        #expect(summary.issuerCommonName == "plc-gateway.plant.example")
        #expect(summary.selfSigned)
        // openssl: notBefore=Nov 27 05:59:13 2026 GMT, notAfter=Nov 24 05:59:13 2036 GMT.
        #expect(summary.notBefore == 1_795_759_153)
        #expect(summary.notAfter == 2_111_119_153)
        #expect(summary.isExpired(at: Timestamp(seconds: 2_111_119_154, nanoseconds: 0)))
        #expect(!summary.isExpired(at: Timestamp(seconds: 2_000_000_000, nanoseconds: 0)))
        #expect(summary.isNotYetValid(at: Timestamp(seconds: 1_700_000_000, nanoseconds: 0)))
    }

    @Test func expiredCertificateIsAnEventAnomaly() throws {
        let record = TLSFixtures.record(22, TLSFixtures.handshake(11, try Self.certificateMessage()))
        var state = TLS.makeState()
        let out = TLSFixtures.run(record, .toClient, state: &state, time: 2_200_000_000 * 1_000_000_000)
        let event = try #require(out.events.first)
        #expect(event.functionName == "certificate" && event.operation == .auth)
        #expect(event.anomalies == ["tls.certificate_expired", "tls.self_signed_certificate"])
        #expect(out.facts.contains { $0.kind == .hostname && $0.value == "plc-gateway.plant.example" })
    }

    /// Every prefix of the certificate, and every byte flipped, reads or fails without trapping.
    @Test func certificateWalkerOnDamagedInput() throws {
        let body = try Self.certificateMessage()
        for length in 0..<body.count { _ = TLS.firstCertificate(Array(body[..<length]).span) }
        for index in 0..<min(body.count, 700) {
            var damaged = body
            damaged[index] ^= 0xff
            _ = TLS.firstCertificate(damaged.span)
        }
        let prefix = Array(body[..<300])
        let partial = TLS.firstCertificate(prefix.span)
        #expect(partial?.subjectCommonName == "plc-gateway.plant.example")
    }

    @Test func derTimes() {
        #expect(TLS.DER.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(TLS.DER.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    }
}
