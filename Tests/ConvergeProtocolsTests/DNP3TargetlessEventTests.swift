import ConvergeModel
import Testing

@testable import ConvergeProtocols



/// An event built without targets (`MessageContext.wantsTargets` false, the detection feed when
/// no rule reads them) still walks the objects for what the status and anomalies need.
@Suite struct DNP3TargetlessEventTests {
    typealias B = DNP3Bytes

    /// Application payloads whose status or anomalies come from the object walk.
    static let responses: [(name: String, app: [UInt8])] = {
        let count = 3000
        let packed: [UInt8] = [0xc0, 0x81, 0, 0, 0x01, 0x01, 0x01, 0x00, 0x00,
            UInt8((count - 1) & 0xff), UInt8((count - 1) >> 8)] + [UInt8](repeating: 0xff, count: count / 8)
        // 2,000 listed indexes (qualifier 0x28: 2-byte count, 2-byte indexes) of g30v1 without values.
        var listed: [UInt8] = [0xc0, 0x81, 0, 0, 0x1e, 0x01, 0x28, 0xd0, 0x07]
        for i in 0..<2000 { listed += [UInt8(i & 0xff), UInt8(i >> 8)] + [0, 0, 0, 0, 0] }
        let crobFailed: [UInt8] = [0xc7, 0x81, 0x00, 0x00, 0x0c, 0x01, 0x28, 0x01, 0x00, 0x01, 0x00,
            0x03, 0x01, 0x64, 0, 0, 0, 0x64, 0, 0, 0, 0x04]
        let iinTrouble: [UInt8] = [0xc0, 0x81, 0x08, 0x40]
        return [("packed points past the cap", packed), ("listed points", listed), ("failed CROB", crobFailed),
                ("IIN trouble", iinTrouble)]
    }()

    @Test(arguments: 0..<responses.count)
    func statusAndAnomaliesMatchTheFullEvent(_ i: Int) throws {
        let app = Self.responses[i].app
        var fullState = DNP3.makeState()
        var bareState = DNP3.makeState()
        let frames = B.fragment(app, chunk: 200, control: 0x44)
        let full = try #require(B.message(frames, .toClient, state: &fullState)).message
        let bare = try #require(B.message(frames, .toClient, state: &bareState, wantsTargets: false)).message
        #expect(!full.targets.isEmpty, "\(Self.responses[i].name)")
        #expect(bare.targets.isEmpty)
        #expect(bare.status == full.status, "\(Self.responses[i].name)")
        #expect(bare.anomalies == full.anomalies, "\(Self.responses[i].name)")
        #expect(bare.functionName == full.functionName && bare.operation == full.operation)
    }

    /// A read listing more indexes than the cap (qualifier 0x28: 2-byte count and indexes), then
    /// one whose count claims more indexes than its bytes hold.
    @Test(arguments: [3000, 40])
    func listedReadsCountTheSameWithoutTargets(_ listed: Int) throws {
        let claimed = listed == 40 ? 60 : listed
        var app: [UInt8] = [0xc0, 0x01, 0x1e, 0x01, 0x28, UInt8(claimed & 0xff), UInt8(claimed >> 8)]
        for i in 0..<listed { app += [UInt8(i & 0xff), UInt8(i >> 8)] }
        var fullState = DNP3.makeState()
        var bareState = DNP3.makeState()
        let frames = B.fragment(app, chunk: 200)
        let full = try #require(B.message(frames, .toServer, state: &fullState)).message
        let bare = try #require(B.message(frames, .toServer, state: &bareState, wantsTargets: false)).message
        #expect(bare.targets.isEmpty)
        #expect(full.targets.isEmpty == (listed != 3000))
        #expect(bare.anomalies == full.anomalies)
        #expect(full.anomalies.contains(listed == 3000 ? "dnp3.too_many_points" : "dnp3.objects_truncated"))
        #expect(bare.status == full.status)
    }

    @Test func cappedPointsStillReportTheCap() throws {
        var state = DNP3.makeState()
        let frames = B.fragment(Self.responses[0].app, chunk: 200, control: 0x44)
        let bare = try #require(B.message(frames, .toClient, state: &state, wantsTargets: false)).message
        #expect(bare.anomalies.contains("dnp3.too_many_points"))
    }

    @Test func failedControlStillFailsWithoutTargets() throws {
        var state = DNP3.makeState()
        _ = try #require(B.message([B.selectCROB], state: &state, time: 1_000, wantsTargets: false))
        let frames = B.fragment(Self.responses[2].app, control: 0x44)
        let bare = try #require(B.message(frames, .toClient, state: &state, time: 4_000, wantsTargets: false))
        #expect(bare.message.status == .exception(code: 4, name: "not_supported"))
    }
}
