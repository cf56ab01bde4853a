import ConvergeCapture
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// Real OpenLDAP traffic (Tests/Fixtures/ldap/ldap.pcap, make-capture.sh) and CLDAP datagrams
/// (cldap.pcap, make-cldap.py) through the real reader and decoder: per-protocolOp counts, bind
/// names and search bases must equal tshark's (ldap.tshark.txt, regenerate-golden.sh).
@Suite struct LDAPCaptureTests {
    static func golden(_ capture: String) throws -> [String: Int] {
        let text = try String(contentsOfFile: ITStreamRunner.fixture("ldap", "ldap.tshark.txt"), encoding: .utf8)
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, fields[0] == capture else { continue }
            // "<kind> <value> <count>": the value may hold spaces, the count is the last word.
            let rest = fields[1] + " " + fields[2]
            guard let space = rest.lastIndex(of: " "), let count = Int(rest[rest.index(after: space)...]) else {
                continue
            }
            result[String(rest[..<space])] = count
        }
        return result
    }

    /// Function counts as the engine keeps them (stepped-over bytes are not messages), names from events.
    static func summary(_ events: [Message], functions: [Int: Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (code, count) in functions { result["function \(code)"] = count }
        for event in events {
            guard let dn = event.targets.first(where: { $0.kind == "dn" })?.name else { continue }
            if event.functionCode == 0 { result["name \(dn)", default: 0] += 1 }
            if event.functionCode == 3 { result["base \(dn)", default: 0] += 1 }
        }
        return result
    }

    @Test func tcpEqualsTshark() throws {
        let result = ITStreamRunner.run(LDAP.self, path: ITStreamRunner.fixture("ldap", "ldap.pcap"), ports: [389])
        #expect(result.errors.isEmpty && result.malformed == 0 && result.rejectedFlows == 0)
        let expected = try Self.golden("ldap")
        #expect(!expected.isEmpty)
        #expect(Self.summary(result.messages, functions: result.functions) == expected)
        let anomalies = result.messages.flatMap(\.anomalies)
        #expect(anomalies.filter { $0 == "cleartext_password" }.count == 9)
        #expect(anomalies.contains("anonymous_bind") && anomalies.contains("invalid_credentials"))
        #expect(!anomalies.contains("unsolicited_response") && !anomalies.contains("invalid_ber"))
        #expect(
            result.messages.contains {
                $0.functionName == "search_result_done" && $0.status == .exception(code: 4, name: "size_limit_exceeded")
            })
        #expect(
            result.messages.contains { $0.targets.contains { $0.kind == "sasl_mechanism" && $0.name == "DIGEST-MD5" } })
        #expect(result.facts.contains { $0.kind == .userName && $0.value == "cn=admin,dc=converge,dc=test" })
        #expect(result.facts.contains { $0.kind == .role && $0.value == "ldap_server" })
        // Every answer in the clear found its request: 12 binds, 4 searches, 5 writes and compares, StartTLS.
        let answered = result.messages.filter { event in
            event.roundTripNanoseconds != nil && LDAP.Op.isFinalResponse(UInt8(truncatingIfNeeded: event.functionCode))
        }
        #expect(answered.count == 22)
    }

    @Test func cldapEqualsTshark() throws {
        let url = URL(fileURLWithPath: ITStreamRunner.fixture("ldap", "cldap.pcap"))
        let result = ITCLDAPRunner.run(url)
        let expected = try Self.golden("cldap")
        #expect(!expected.isEmpty)
        let functions = Dictionary(grouping: result.events, by: \.functionCode).mapValues(\.count)
        #expect(Self.summary(result.events, functions: functions) == expected)
        #expect(result.facts.contains { $0.kind == .hostname && $0.value == "dc1.converge.test" })
        #expect(result.facts.contains { $0.kind == .domain && $0.value == "converge.test" })
        #expect(result.events.contains { $0.targets.contains { $0.kind == "filter_attribute" && $0.name == "NtVer" } })
    }
}

/// CLDAP datagrams may hold several messages: parse until the datagram is used up, as the engine does.
enum ITCLDAPRunner {
    struct Result {
        var events: [Message] = []
        var facts: [AssetFact] = []
    }

    static func run(_ url: URL) -> Result {
        var result = Result()
        var state = CLDAP.makeState()
        var packet = DecodedPacket()
        let errors = CaptureSet(paths: [url.path]).forEachPacket { header, bytes in
            _ = PacketDecoder.decode(bytes, linkType: header.linkType, into: &packet)
            guard packet.transport == .udp, packet.sourcePort == 389 || packet.destinationPort == 389,
                packet.payloadLength > 0, packet.payloadOffset + packet.payloadLength <= bytes.count
            else { return }
            let toServer = packet.destinationPort == 389
            let source = Endpoint(address: packet.source, port: packet.sourcePort)
            let destination = Endpoint(address: packet.destination, port: packet.destinationPort)
            let context = MessageContext(
                time: header.timestamp, flowID: 1, client: toServer ? source : destination,
                server: toServer ? destination : source, direction: toServer ? .toServer : .toClient)
            var payload: [UInt8] = []
            for index in packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength) {
                payload.append(bytes[index])
            }
            var used = 0
            while used < payload.count {
                let rest = Array(payload[used...])
                do throws(DissectError) {
                    let (message, consumed) = try CLDAP.parse(
                        rest.span, direction: context.direction, time: context.time, state: &state)
                    let taken = Array(rest[0..<consumed])
                    result.events.append(CLDAP.event(message, bytes: taken.span, context: context, state: &state))
                    result.facts += CLDAP.facts(message, bytes: taken.span, context: context, state: state)
                    used += consumed
                } catch {
                    Issue.record("cldap: \(error)")
                    break
                }
            }
        }
        #expect(errors.isEmpty)
        return result
    }
}
