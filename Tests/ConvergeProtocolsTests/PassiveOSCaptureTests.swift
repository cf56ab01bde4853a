import ConvergeModel
import Foundation
import Testing
@testable import ConvergeProtocols

/// The SYNs of real captures (Tests/Fixtures/passive-os, cut from ../shared/captures) against p0f
/// 3.09b's output on the same files (`*.p0f.txt`, made by `regenerate-p0f.sh`):
/// - our p0f text equals p0f's `raw_sig` for every SYN and SYN+ACK p0f reports;
/// - our OS family equals the family of p0f's label wherever p0f names one, except for the
///   signatures `disagreements.tsv` lists with the reason;
/// - our guesses match the committed baseline `guesses.tsv` (PASSIVE_OS_REGENERATE=1 rewrites it).
@Suite struct PassiveOSCaptureTests {
    static let fixtures = [
        "c37-win10", "c37118-linux-pmu", "dns-macos-loopback", "dnp3-win7", "enip-embedded", "enip-ttl255",
        "iec104-mixed", "iec104-winxp", "ipv6-macos", "linux-it-mix", "modbus-linux-loopback", "modbus-plc",
        "modbus-remote", "mqtt-ipv6-loopback", "opcua-linux26", "opendnp3-win-loopback", "s7-1200",
        "c37118-pdc-server", "iec61850-ied", "fox-jace", "omron-fins",
    ]

    static func fixtureURL(_ name: String) -> URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests", url.path != "/" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/passive-os/\(name)")
    }

    /// One SYN or SYN+ACK as p0f reported it.
    struct P0fEntry {
        var key: String
        var os: String
        var rawSignature: String
    }

    /// p0f's blocks: `.-[ client/port -> server/port (syn) ]-` then `| os = …` and `| raw_sig = …`.
    static func p0fEntries(_ text: String) -> [P0fEntry] {
        var entries: [P0fEntry] = []
        var key: String?
        var os = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".-[ ") {
                let inner = line.dropFirst(4).prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
                key = inner.hasSuffix("(syn)") || inner.hasSuffix("(syn+ack)") ? inner : nil
                os = ""
            } else if key != nil, line.hasPrefix("| os ") {
                os = value(line)
            } else if let current = key, line.hasPrefix("| raw_sig ") {
                entries.append(P0fEntry(key: current, os: os, rawSignature: value(line)))
            }
        }
        return entries
    }

    static func value(_ line: Substring) -> String {
        guard let equals = line.firstIndex(of: "=") else { return "" }
        return line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    }

    /// Addresses as p0f prints them: dotted IPv4, IPv6 as eight unpadded hex groups.
    static func p0fAddress(_ address: IPAddress) -> String {
        if address.isV4 { return address.description }
        return (0..<8).map { String(UInt16(truncatingIfNeeded: address.bits >> (112 - 16 * UInt128($0))), radix: 16) }
            .joined(separator: ":")
    }

    /// p0f's OS families, by the first word of its label.
    static func p0fFamily(_ label: String) -> PassiveOSGuess.Family? {
        if label.hasPrefix("Linux") { return .linux }
        if label.hasPrefix("Windows") { return .windows }
        if label.hasPrefix("Mac OS") || label.hasPrefix("MacOS") || label.hasPrefix("iOS") { return .apple }
        if label.hasPrefix("FreeBSD") { return .freeBSD }
        if label.hasPrefix("OpenBSD") { return .openBSD }
        if label.hasPrefix("Solaris") { return .solaris }
        return nil
    }

    struct Row {
        var fixture: String
        var key: String
        var signature: PassiveOSSignature
        var guess: PassiveOSGuess?
        var line: String {
            [fixture, key, signature.p0fText, guess?.family.rawValue ?? "-", guess?.label ?? "-",
             guess?.confidence.rawValue ?? "-", guess?.reason ?? "-"].joined(separator: "\t")
        }
    }

    static func rows(_ fixture: String) throws -> [Row] {
        let pcap = try #require(LinkTestPcap(contentsOf: fixtureURL(fixture + ".pcap")))
        var rows: [Row] = []
        for record in pcap.records {
            var packet = DecodedPacket()
            _ = PacketDecoder.decode(record.bytes.span, linkType: pcap.linkType, into: &packet)
            guard let sig = PassiveOSSignature.read(record.bytes.span, packet: packet) else { continue }
            let source = p0fAddress(packet.source) + "/" + String(packet.sourcePort)
            let destination = p0fAddress(packet.destination) + "/" + String(packet.destinationPort)
            // p0f names a connection from the client's side, whichever packet it fingerprints.
            let key = sig.isSynAck
                ? destination + " -> " + source + " (syn+ack)" : source + " -> " + destination + " (syn)"
            rows.append(Row(fixture: fixture, key: key, signature: sig, guess: PassiveOS.guess(sig)))
        }
        return rows
    }

    /// raw_sig → why our family differs from p0f's label.
    static func disagreements() throws -> [String: String] {
        let text = try String(contentsOf: fixtureURL("disagreements.tsv"), encoding: .utf8)
        var reasons: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            if fields.count == 2 { reasons[String(fields[0])] = String(fields[1]) }
        }
        return reasons
    }

    @Test(arguments: fixtures)
    func agreesWithP0f(fixture: String) throws {
        let golden = try String(contentsOf: Self.fixtureURL(fixture + ".p0f.txt"), encoding: .utf8)
        let entries = Self.p0fEntries(golden)
        let rows = try Self.rows(fixture)
        let reasons = try Self.disagreements()
        #expect(!entries.isEmpty, "p0f reported nothing for \(fixture)")
        for entry in entries {
            let mine = rows.filter { $0.key == entry.key }
            #expect(!mine.isEmpty, "\(fixture): no SYN read for p0f's \(entry.key)")
            #expect(mine.contains { $0.signature.p0fText == entry.rawSignature },
                    "\(fixture) \(entry.key): p0f \(entry.rawSignature), ours \(mine.map(\.signature.p0fText))")
            guard let family = Self.p0fFamily(entry.os), let row = mine.first else { continue }
            if row.guess?.family != family {
                #expect(reasons[entry.rawSignature] != nil,
                        "\(fixture) \(entry.key): p0f says \(entry.os), we say \(row.guess?.label ?? "nothing")")
            }
        }
    }

    /// Every listed disagreement is still one (a fixed one must leave the list).
    @Test func disagreementsAreReal() throws {
        var seen: Set<String> = []
        for fixture in Self.fixtures {
            let golden = try String(contentsOf: Self.fixtureURL(fixture + ".p0f.txt"), encoding: .utf8)
            let rows = try Self.rows(fixture)
            for entry in Self.p0fEntries(golden) {
                guard let family = Self.p0fFamily(entry.os),
                      let row = rows.first(where: { $0.key == entry.key }), row.guess?.family != family
                else { continue }
                seen.insert(entry.rawSignature)
            }
        }
        #expect(Set(try Self.disagreements().keys) == seen)
    }

    @Test func guessesMatchBaseline() throws {
        var lines = ["# fixture\tconnection\tp0f text\tfamily\tlabel\tconfidence\treason"]
        for fixture in Self.fixtures { lines += try Self.rows(fixture).map(\.line) }
        let text = lines.joined(separator: "\n") + "\n"
        let url = Self.fixtureURL("guesses.tsv")
        if ProcessInfo.processInfo.environment["PASSIVE_OS_REGENERATE"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let baseline = try String(contentsOf: url, encoding: .utf8)
        #expect(baseline == text)
    }
}
