import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeProtocols

/// The engine counts `cip.sc` per message through `forEachCIPService`, which reuses what `parse`
/// found instead of parsing again. These tests hold it to a plain walk that re-parses everything
/// (the way it used to count), and hold the string-free checks parse uses to the names.
@Suite struct CIPServiceCountTests {
    typealias B = ENIPBytes

    /// The reference: every service re-parsed from the bytes, depth-first, `maxNesting` deep.
    static func reference(_ frame: EtherNetIP.Frame, _ bytes: [UInt8]) -> [Int] {
        var codes: [Int] = []
        guard let cip = frame.cip, bytes.count >= frame.totalLength else { return codes }
        let message = bytes.span.extracting(0..<frame.totalLength)
        func visit(_ cip: EtherNetIP.CIPMessage, depth: Int) {
            codes.append(Int(cip.code))
            guard depth < EtherNetIP.maxNesting else { return }
            var scratch = EtherNetIP.Anomalies(rawValue: 0)
            if !cip.isResponse, cip.code == 0x52, cip.path.classID == EtherNetIP.ObjectClass.connectionManager {
                if let inner = EtherNetIP.parseUnconnectedSend(message, cip: cip, anomalies: &scratch) {
                    visit(inner, depth: depth + 1)
                }
            } else if cip.code == 0x0a {
                EtherNetIP.forEachEmbeddedService(message, in: cip) { offset, length in
                    guard let inner = EtherNetIP.parseCIP(message, offset: offset, length: length, anomalies: &scratch)
                    else { return }
                    visit(inner, depth: depth + 1)
                }
            }
        }
        visit(cip, depth: 0)
        return codes
    }

    /// Unconnected Send data: priority/tick, timeout, size, the request (padded), route path.
    static func unconnectedSend(_ inner: [UInt8]) -> [UInt8] {
        let padded = inner + (inner.count % 2 == 1 ? [0] : [])
        return B.request(0x52, path: B.logical(class: 0x06, instance: 1),
            data: [0x0a, 0xf0] + B.le16(inner.count) + padded + [0x01, 0x00, 0x01, 0x00])
    }

    /// A random CIP request or reply, nesting Multiple Service Packets and Unconnected Sends.
    static func randomService(depth: Int, using generator: inout SeededGenerator) -> [UInt8] {
        let pick = Int.random(in: 0..<10, using: &generator)
        if depth < 7 && pick < 3 {
            let services = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                randomService(depth: depth + 1, using: &generator)
            }
            if pick == 2 { return B.response(0x0a, data: B.multiple(services)) }
            return B.request(0x0a, path: B.logical(class: 0x02, instance: 1), data: B.multiple(services))
        }
        if depth < 7 && pick == 3 { return unconnectedSend(randomService(depth: depth + 1, using: &generator)) }
        let code = UInt8.random(in: 0...0x7f, using: &generator)
        if pick < 6 { return B.response(code, data: [1, 2]) }
        return B.request(code, path: B.logical(class: UInt8.random(in: 1...8, using: &generator), instance: 1))
    }

    @Test(arguments: [11, 12] as [UInt64])
    func countsEqualAFullReparse(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var nested = 0
        for round in 0..<1500 {
            var bytes = B.sendRRData(Self.randomService(depth: 0, using: &generator))
            // Every third input is damaged: sizes, offsets and codes that lie.
            if round % 3 == 0 {
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 40..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let direction: Direction = round % 2 == 0 ? .toServer : .toClient
            var state = EtherNetIP.makeState()
            guard case .success(let parsed) = ENIPHarness.parse(bytes, direction, state: &state) else { continue }
            let counted = ENIPHarness.services(parsed.message, bytes)
            #expect(counted == Self.reference(parsed.message, bytes))
            if counted.count > 2 { nested += 1 }
        }
        #expect(nested > 100)
    }

    @Test func unconnectedSendOfAMultipleServicePacket() throws {
        let multiple = B.request(0x0a, path: B.logical(class: 0x02, instance: 1), data: B.multiple([
            B.request(0x0e, path: B.logical(class: 1, instance: 1, attribute: 7)),
            Self.unconnectedSend(B.request(0x4c, path: B.symbol("Tank"), data: [1, 0])),
        ]))
        let bytes = B.sendRRData(Self.unconnectedSend(multiple))
        var state = EtherNetIP.makeState()
        let parsed = try #require(ENIPHarness.message(bytes, .toServer, state: &state))
        #expect(ENIPHarness.services(parsed.frame, bytes) == [0x52, 0x0a, 0x0e, 0x52, 0x4c])
        #expect(Self.reference(parsed.frame, bytes) == [0x52, 0x0a, 0x0e, 0x52, 0x4c])
    }

    @Test func commandIsKnownExactlyWhenNamed() {
        for raw in 0...UInt16.max {
            let command = EtherNetIP.Command(rawValue: raw)
            if command.isKnown != (command.name != nil) { Issue.record("command \(raw)") }
        }
    }

    @Test func commonServicesAreExactlyTheNamedOnes() {
        for code in 0...UInt8.max {
            #expect(EtherNetIP.isCommonService(code & 0x7f) == (EtherNetIP.commonServiceName(code & 0x7f) != nil))
        }
        // Outside the class-specific range no class names a service of its own.
        let targets = [nil, 0x06, 0x37, 0x67, 0x6b, 0x6c, 0x01].map {
            EtherNetIP.ServiceTarget(classID: $0, isSymbolic: false)
        } + [EtherNetIP.ServiceTarget(classID: nil, isSymbolic: true)]
        for code in UInt8(0)...0x7f where code < 0x4b || code > 0x63 {
            for target in targets {
                #expect((EtherNetIP.serviceName(code, target: target) != nil) == EtherNetIP.isCommonService(code))
            }
        }
    }

    @Test func pathKeepsTheFirstOfEachLogicalKind() {
        var path = EtherNetIP.Path()
        #expect(path.classID == nil && path.attribute == nil)
        path.classID = 0xa1
        path.attribute = 0xffff_ffff
        path[logical: EtherNetIP.LogicalType.special] = 5  // not kept
        #expect(path.classID == 0xa1 && path.attribute == 0xffff_ffff && path.instance == nil)
        #expect(path[logical: EtherNetIP.LogicalType.special] == nil)
        path.classID = nil
        #expect(path.classID == nil && path != EtherNetIP.Path())
        path.attribute = nil
        #expect(path == EtherNetIP.Path())
        // Two class segments, then an instance: the first class counts.
        let bytes: [UInt8] = [0x20, 0x01, 0x20, 0x02, 0x25, 0x00, 0x34, 0x12]
        let parsed = EtherNetIP.parsePath(bytes.span, offset: 0, length: bytes.count)
        #expect(parsed.classID == 1 && parsed.instance == 0x1234 && parsed.segmentCount == 3 && parsed.isValid)
    }
}
