import Foundation
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// The fingerprints are built byte by byte: they must equal what joining strings gave (the former
/// implementation, kept here as the reference) on random hellos, GREASE values and empty lists.
@Suite struct TLSFingerprintBytesTests {
    enum Reference {
        static func decimal(_ values: [UInt16]) -> String {
            values.filter { !TLS.isGREASE($0) }.map { String($0) }.joined(separator: "-")
        }
        static func hex4(_ value: UInt16) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        static func ja3String(_ hello: TLS.ClientDetails) -> String {
            [
                String(hello.legacyVersion), decimal(hello.cipherSuites), decimal(hello.extensions),
                decimal(hello.supportedGroups), hello.pointFormats.map { String($0) }.joined(separator: "-"),
            ].joined(separator: ",")
        }
        /// The hash itself is held to the spec's worked example (`TLSFingerprintTests`).
        static func sha256Prefix(_ text: String) -> String { TLS.Fingerprint.sha256Prefix(text) }
        static func ja4Hashes(_ hello: TLS.ClientDetails) -> String {
            let ciphers = hello.cipherSuites.filter { !TLS.isGREASE($0) }
            let extensions = hello.extensions.filter { !TLS.isGREASE($0) }
            let cipherList = ciphers.sorted().map(hex4).joined(separator: ",")
            let sortedExtensions = extensions.filter { $0 != 0x0000 && $0 != 0x0010 }.sorted().map(hex4)
                .joined(separator: ",")
            let signatures = hello.signatureAlgorithms.filter { !TLS.isGREASE($0) }.map(hex4).joined(separator: ",")
            let b = ciphers.isEmpty ? "000000000000" : sha256Prefix(cipherList)
            let input = signatures.isEmpty ? sortedExtensions : sortedExtensions + "_" + signatures
            let c = sortedExtensions.isEmpty ? "000000000000" : sha256Prefix(input)
            return b + "_" + c
        }
    }

    @Test func numbersAsBefore() {
        for value: UInt16 in [0, 1, 9, 10, 99, 100, 255, 256, 4095, 4096, 0x0a0a, 0x1301, 65_535] {
            #expect(TLS.Fingerprint.hex4(value) == Reference.hex4(value))
            #expect(TLS.Fingerprint.decimal([value]) == Reference.decimal([value]))
        }
        #expect(TLS.Fingerprint.decimal([]) == "")
        #expect(TLS.Fingerprint.decimal([0x0a0a, 0x1a1a]) == "")
        #expect(TLS.Fingerprint.decimal([0x0a0a, 1, 0x1a1a, 65_535]) == "1-65535")
        #expect(TLS.Fingerprint.sha256Prefix("") == "e3b0c44298fc")
    }

    @Test func randomHellosAsBefore() {
        var generator = SeededGenerator(seed: 0x7A3)
        func list(_ maximum: UInt64) -> [UInt16] {
            (0..<Int(generator.next() % maximum)).map { _ in
                // A GREASE value now and then, small numbers and large ones.
                switch generator.next() % 4 {
                case 0: UInt16(0x0a0a) &+ UInt16(generator.next() % 16) &* 0x1010
                case 1: UInt16(generator.next() % 20)
                default: UInt16(truncatingIfNeeded: generator.next())
                }
            }
        }
        for _ in 0..<500 {
            var hello = TLS.ClientDetails()
            hello.legacyVersion = UInt16(truncatingIfNeeded: generator.next())
            hello.supportedVersions = list(4)
            hello.cipherSuites = list(40)
            hello.extensions = list(24) + (generator.next() % 2 == 0 ? [0x0000, 0x0010] : [])
            hello.supportedGroups = list(8)
            hello.pointFormats = (0..<Int(generator.next() % 4)).map { _ in
                UInt8(truncatingIfNeeded: generator.next())
            }
            hello.signatureAlgorithms = list(12)
            hello.hasServerNameExtension = generator.next() % 2 == 0
            #expect(TLS.Fingerprint.ja3String(hello) == Reference.ja3String(hello))
            #expect(TLS.Fingerprint.ja3(hello) == TLS.Fingerprint.md5(Reference.ja3String(hello)))
            #expect(TLS.Fingerprint.ja4(hello).dropFirst(11) == Reference.ja4Hashes(hello))
        }
    }
}
