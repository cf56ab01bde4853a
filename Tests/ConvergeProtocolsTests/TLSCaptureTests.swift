import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// Real captures against tshark's counts (`Tests/Fixtures/tls/regenerate.sh` writes the goldens).
@Suite struct TLSCaptureTests {
    static let ports = Set(TLS.tlsPorts)

    static func check(_ capture: String, golden stem: String, clean: Bool = true) throws -> ITStreamRunner.Result {
        let result = ITStreamRunner.run(TLS.self, path: capture, ports: ports)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let goldenText = try #require(ITStreamRunner.text(ITStreamRunner.fixture("tls", stem + ".golden")))
        #expect(result.functions == ITStreamRunner.golden(goldenText), "\(stem): \(result.functions)")
        if clean { #expect(result.malformed == 0) }
        // JA3 and JA3S of every hello, in capture order, equal tshark's.
        let ja3 = result.messages.filter { $0.functionCode == 1 }.compactMap { message in
            message.targets.first { $0.kind == TLS.TargetKind.ja3 }?.value
        }
        let ja3s = result.messages.filter { $0.functionCode == 2 }.compactMap { message in
            message.targets.first { $0.kind == TLS.TargetKind.ja3s }?.value
        }
        let expectedJA3 = ITStreamRunner.text(ITStreamRunner.fixture("tls", stem + ".ja3")) ?? ""
        let expectedJA3S = ITStreamRunner.text(ITStreamRunner.fixture("tls", stem + ".ja3s")) ?? ""
        #expect(ja3 == expectedJA3.split(separator: "\n").map(String.init))
        #expect(ja3s == expectedJA3S.split(separator: "\n").map(String.init))
        return result
    }

    @Test func openSSLSessionsMatchTshark() throws {
        let result = try Self.check(ITStreamRunner.fixture("tls", "tls_openssl.pcapng"), golden: "tls_openssl")
        let names = Set(
            result.messages.flatMap { $0.targets.filter { $0.kind == TLS.TargetKind.serverName } }
                .compactMap(\.name))
        #expect(names.isSuperset(of: ["plc-gateway.plant.example", "fragmented.example", "hrr.example"]))
        // Certificates: the RSA one and the EC one, both self-signed.
        let certificates = result.facts.filter { $0.kind == .certificate }.map(\.value)
        #expect(certificates.contains { $0.hasPrefix("CN=plc-gateway.plant.example, O=Example Automation") })
        #expect(certificates.contains { $0.hasPrefix("CN=hmi01, O=Old Vendor") })
        let certificateEvents = result.messages.filter { $0.functionCode == 11 }
        #expect(certificateEvents.count == 4)
        #expect(certificateEvents.allSatisfy { $0.anomalies.contains("tls.self_signed_certificate") })
        #expect(result.facts.contains { $0.kind == .hostname && $0.value == "hmi01" })
        // The record-size-limited sessions split certificates across records: the pieces are
        // stepped over (no event of their own) and the reassembled certificates counted above.
        #expect(!result.messages.contains { $0.functionName == "handshake_fragment" })
        // JA4 of OpenSSL's TLS 1.3 ClientHello with ALPN http/1.1.
        let ja4 = result.messages.compactMap { $0.targets.first { $0.kind == TLS.TargetKind.ja4 }?.value }
        #expect(ja4.count == 8)
        #expect(ja4.contains { $0.hasPrefix("t13d") && $0.dropFirst(8).hasPrefix("h1") })
    }

    @Test func benchTLS13HandshakesMatchTshark() throws {
        let result = try Self.check(ITStreamRunner.fixture("tls", "bench_tls_small.pcap"), golden: "bench_tls_small")
        // Application data is skipped unread: no event, as in the engine.
        #expect(!result.messages.contains { $0.functionName == "application_data" })
        #expect(result.messages.contains { $0.functionCode == 1 })
    }

    @Test(arguments: [
        "iti/openics/EIP-LockPLCAttempt.pcap", "iti/openics/EIP-IPAddressChangeAttempt.pcap",
        "iti/openics/EIP-ChangePortConfigurationAttempt.pcap", "iti/hart/hart_ip.pcap",
    ])
    func midSessionCapturesCountNothing(relative: String) throws {
        guard let path = ITStreamRunner.shared("public/" + relative) else {
            print("skipped: ../shared/captures is missing")
            return
        }
        let stem =
            "shared_" + String(relative.split(separator: "/").last ?? "").replacingOccurrences(of: ".pcap", with: "")
        // These port-443 flows start mid-stream (tshark too sees only "Continuation Data" and a few
        // records): no handshake is counted, and nothing traps on the bytes that are not TLS.
        let result = try Self.check(path, golden: stem, clean: false)
        #expect(result.functions.isEmpty)
    }
}
