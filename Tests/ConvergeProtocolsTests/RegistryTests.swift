import ConvergeModel
import Testing

@testable import ConvergeProtocols

@Suite struct RegistryTests {
    @Test func everyProtocolHasOneEntryInOrder() {
        #expect(Registry.entries.map(\.proto) == AppProtocol.allCases)
        #expect(Set(Registry.entries.map(\.name)).count == Registry.entries.count)
    }

    @Test func modbusEntry() {
        let entry = Registry.entry(.modbus)
        #expect(entry.name == "modbus")
        #expect(entry.ports.tcp == [502])
        #expect(entry.wantsStream)
        #expect(AppProtocol.modbus.description == "modbus")
        #expect(Registry.proto(named: "modbus") == .modbus)
        #expect(Registry.proto(named: "gopher") == nil)
    }

    @Test func candidateByPortThenProbe() {
        #expect(Registry.candidate(transport: .tcp, port: 502) == .modbus)
        #expect(Registry.candidate(transport: .udp, port: 502) == nil)
        #expect(Registry.candidate(transport: .tcp, port: 80) == .http)
        #expect(Registry.candidate(transport: .tcp, port: 7) == nil)
        #expect(Registry.candidate(transport: .tcp, serverPort: 50_000, clientPort: 502) == .modbus)
        let request: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1]
        #expect(AppProtocol.modbus.probe(request.span, direction: .toServer) == .match)
        #expect(AppProtocol.modbus.probe(Array("SSH-2.0-OpenSSH".utf8).span, direction: .toServer) == .reject)
    }
}
