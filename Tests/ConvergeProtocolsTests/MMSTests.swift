import ConvergeModel
import ConvergeTestSupport
import Foundation
import Testing

@testable import ConvergeProtocols

/// MMS over ISO-on-TCP: session, presentation, ACSE and MMS PDUs from real captures (bytes
/// commented), pairing, targets, identity facts, truncation, random input and tshark counts.
@Suite struct MMSTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var high: UInt8? = nil
        for scalar in hex.unicodeScalars {
            guard let digit = UInt8(String(scalar), radix: 16) else { continue }
            if let h = high {
                result.append(h << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return result
    }

    /// piccolo.pcap frame 1: TPKT (03 00 00bf), COTP DT EOT (02 f0 80), session CN (0d b6) with
    /// PIs 05 (protocol options), 14 (requirements), 33/34 (selectors), user data PGI c1 a0:
    /// presentation CP SET (31 81 9d) { mode [0], normal-mode [2] { selectors, context list [4]
    /// (ACSE id 1, MMS id 3), user data 61 62 { PDV 30 60 { 02 01 01, a0 5b AARQ 60 59 { … a2
    /// called AP title 1.1.1.999.1, be 33 user-information { 28 31 { 06 02 51 01, 02 01 03,
    /// a0 28 initiate-RequestPDU a8 26 { 80 03 00ff00 max PDU 65280, 81 01 0a, 82 01 0a, 83 01 05,
    /// a4 16 { 80 01 01 version 1, 81 03 05f100 CBB, 82 0c 03 ee1c00000400000001 0118 services }}}}}}}}}
    static let initiateRequest = bytes(
        "030000bf02f0800db60506130100160102140200023302000134020001c1a031819da003800101a28195810400000001"
            + "820400000001a423300f0201010604520100013004060251013010020103060528ca22020130040602510161623060"
            + "020101a05b6059a107060528ca220203a20706052901876701a30302010ca606060429018767a70302010cbe332831"
            + "06025101020103a028a826800300ff0081010a82010a830105a416800101810305f100820c03ee1c00000400000001"
            + "0118")
    /// piccolo.pcap frame 3: DT (01 00 01 00), presentation 61 0e { 30 0c { 02 01 03 (MMS context),
    /// a0 07 { a0 05 confirmed-RequestPDU { 02 01 01 invoke 1, 82 00 identify }}}}.
    static let identifyRequest = bytes("0300001b02f08001000100610e300c020103a007a0050201018200")
    /// piccolo.pcap frame 4: confirmed-ResponsePDU a1 26 { 02 01 01, a2 21 identify { 80 09
    /// "INFO TECH", 81 0d "S61850 for PC", 82 05 "0.0.1" }}.
    static let identifyResponse = bytes(
        "0300003c02f08001000100612f302d020103a028a126020101a2218009494e464f2054454348810d53363138353020"
            + "666f722050438205302e302e31")
    /// iec61850_read.pcap frame 12: a0 14 { 02 01 00 invoke 0, a4 0f read { 80 01 00
    /// specificationWithResult false, a1 0a { a0 08 listOfVariable { 30 06 { a0 04 name { 80 02
    /// "mu" vmd-specific }}}}}}.
    static let readRequest = bytes(
        "0300002a02f08001000100611d301b020103a016a014020100a40f800100a10aa0083006a00480026d75")
    /// Sample_File_MMS_and_GOOSE.pcap frame 126: confirmed-ErrorPDU a2 0c { 80 03 04a273 invoke
    /// 303731, a2 05 serviceError { a0 03 { 87 01 02 access class, code 2 }}}.
    static let errorPDU = bytes("0300002202f0800100010061153013020103a00ea20c800304a273a205a003870102")
    /// Its request (frame 124): a0 2c { 02 03 04a273 invoke 303731, a6 25 getVariableAccessAttributes
    /// { a0 23 name { a1 21 domain-specific { 1a 0e "AA1E1Q01FP2LD0", 1a 0f "LLN0$BR$rcb_B02" }}}}.
    static let errorRequest = bytes(
        "0300004202f0800100010061353033020103a02ea02c020304a273a625a023a1211a0e41413145315130314650324c"
            + "44301a0f4c4c4e30244252247263625f423032")
    /// mms-startRequest.pcap frame 16: MMS bare in COTP DT: a0 21 { 02 01 01, bf 28 1b start [40]
    /// { 80 17 "R395024397Application_1", 81 00 }}.
    static let bareStart = bytes(
        "0300002a02f080a021020101bf281b8017523339353032343339374170706c69636174696f6e5f318100")

    static func context(_ direction: Direction) -> MessageContext {
        MessageContext(
            time: Timestamp(nanoseconds: 0), flowID: 1,
            client: Endpoint(address: IPAddress(v4: 0x0a0a_0021), port: 1068),
            server: Endpoint(address: IPAddress(v4: 0x0a0a_001e), port: 102), direction: direction)
    }

    static func parse(_ bytes: [UInt8], state: inout MMS.State, direction: Direction = .toServer) throws
        -> MMS.Frame
    {
        let (frame, consumed) = try MMS.parse(
            bytes.span, direction: direction, time: Timestamp(nanoseconds: 5), state: &state)
        #expect(consumed == bytes.count)
        return frame
    }

    @Test func initiateRequestThroughSessionPresentationAndACSE() throws {
        var state = MMS.State()
        let frame = try Self.parse(Self.initiateRequest, state: &state)
        #expect(frame.kind == .mms)
        #expect(frame.spdu == MMS.SPDU.connect)
        #expect(frame.acseTag == MMS.ACSETag.aarq)
        #expect(frame.pduType == MMS.PDUType.initiateRequest)
        #expect(frame.functionCode == 108)
        #expect(frame.mmsContextID == 3 && frame.acseContextID == 1)
        #expect(state.mmsContextID == 3)
        #expect(frame.initiate.maxPDUSize == 65280)
        #expect(frame.initiate.maxOutstandingCalling == 10 && frame.initiate.maxOutstandingCalled == 10)
        #expect(frame.initiate.nestingLevel == 5 && frame.initiate.version == 1)
        #expect(frame.initiate.servicesBits == 85)
        #expect(frame.initiate.supports(1) && frame.initiate.supports(2) && frame.initiate.supports(4))
        #expect(frame.initiate.supports(0) && !frame.initiate.supports(3))
        let event = MMS.event(frame, bytes: Self.initiateRequest.span, context: Self.context(.toServer), state: &state)
        #expect(event.functionName == "initiate_request")
        #expect(event.operation == .session)
        #expect(event.targets.contains { $0.kind == "ap_title" && $0.name == "1.1.1.999.1" && $0.value == "called" })
        let initiate = try #require(event.targets.first { $0.kind == "initiate" })
        #expect(initiate.address == 65280)
        #expect(initiate.value?.contains("get_name_list,identify") == true)
    }

    @Test func identifyPairsAndNamesTheServer() throws {
        var state = MMS.State()
        let request = try Self.parse(Self.identifyRequest, state: &state)
        #expect(request.functionCode == 2 && request.hasFunction && request.invokeID == 1)
        #expect(state.pending.count == 1)
        let response = try Self.parse(Self.identifyResponse, state: &state, direction: .toClient)
        #expect(response.pduType == MMS.PDUType.confirmedResponse && response.service == 2)
        #expect(response.request?.invokeID == 1)
        // The same invoke id answered the other way round is not this request's answer.
        var crossed = MMS.State()
        _ = try Self.parse(Self.identifyRequest, state: &crossed)
        let wrongWay = try Self.parse(Self.identifyResponse, state: &crossed, direction: .toServer)
        #expect(wrongWay.request == nil && wrongWay.anomalies.contains(.unsolicitedResponse))
        #expect(response.anomalies.isEmpty)
        let event = MMS.event(
            response, bytes: Self.identifyResponse.span, context: Self.context(.toClient), state: &state)
        #expect(event.operation == .discovery && event.status == .ok)
        let facts = MMS.facts(
            response, bytes: Self.identifyResponse.span, context: Self.context(.toClient), state: state)
        #expect(facts.contains { $0.kind == .vendor && $0.value == "INFO TECH" })
        #expect(facts.contains { $0.kind == .model && $0.value == "S61850 for PC" })
        #expect(facts.contains { $0.kind == .revision && $0.value == "0.0.1" })
        #expect(facts.allSatisfy { $0.address == Self.context(.toClient).server.address })
    }

    @Test func readRequestNamesItsVariable() throws {
        var state = MMS.State()
        let frame = try Self.parse(Self.readRequest, state: &state)
        #expect(frame.functionCode == 4 && frame.contextID == 3)
        let event = MMS.event(frame, bytes: Self.readRequest.span, context: Self.context(.toServer), state: &state)
        #expect(event.functionName == "read" && event.operation == .read && event.status == .pending)
        #expect(event.targets.map(\.name) == ["mu"])
        #expect(event.targets.first?.kind == "named_variable")
    }

    @Test func errorPairsWithItsRequestByInvokeID() throws {
        var state = MMS.State()
        let request = try Self.parse(Self.errorRequest, state: &state)
        #expect(request.invokeID == 303_731 && request.service == 6)
        let event = MMS.event(request, bytes: Self.errorRequest.span, context: Self.context(.toServer), state: &state)
        #expect(event.targets.first?.name == "AA1E1Q01FP2LD0/LLN0$BR$rcb_B02")
        let error = try Self.parse(Self.errorPDU, state: &state, direction: .toClient)
        #expect(error.functionCode == 102 && error.hasFunction)
        #expect(error.request?.service == 6)
        #expect(error.errorClass == 7 && error.errorCode == 2)
        let errorEvent = MMS.event(error, bytes: Self.errorPDU.span, context: Self.context(.toClient), state: &state)
        #expect(errorEvent.operation == .discovery)
        #expect(errorEvent.status == .exception(code: 7 << 8 | 2, name: "access_2"))
    }

    @Test func bareMMSInCOTPIsReadToo() throws {
        var state = MMS.State()
        let frame = try Self.parse(Self.bareStart, state: &state)
        #expect(frame.spdu == 0 && frame.functionCode == 40)
        let event = MMS.event(frame, bytes: Self.bareStart.span, context: Self.context(.toServer), state: &state)
        #expect(event.functionName == "start" && event.operation == .control)
        #expect(event.targets.first?.kind == "program_invocation")
        #expect(event.targets.first?.name == "R395024397Application_1")
    }

    /// iec61850_write.pcap frame 12: a0 16 { 02 01 00, a5 0f write { a0 08 listOfVariable { 30 06 {
    /// a0 04 { 80 02 "mu" }}}, a0 03 listOfData { 85 01 00 integer 0 }}}.
    static let writeRequest = bytes(
        "0300002a02f08001000100611d301b020103a016a014020100a50fa0083006a00480026d75a003850100")

    @Test func writeCarriesItsValueAndAProcessValue() throws {
        var state = MMS.State()
        let frame = try Self.parse(Self.writeRequest, state: &state)
        let event = MMS.event(frame, bytes: Self.writeRequest.span, context: Self.context(.toServer), state: &state)
        #expect(event.operation == .write && event.functionName == "write")
        #expect(event.targets.count == 1)
        #expect(event.targets.first?.name == "mu" && event.targets.first?.values == [0])
        let values = MMS.processValues(
            frame, event: event, bytes: Self.writeRequest.span, context: Self.context(.toServer))
        #expect(values.count == 1)
        #expect(values.first?.tag == "mms://\(Self.context(.toServer).server.address)/mu")
        #expect(values.first?.written == true && values.first?.value == 0)
    }

    @Test func twoPDUsInOneSegmentAndOneDrippedByteByByte() throws {
        var state = MMS.State()
        let both = Self.identifyRequest + Self.readRequest
        let (first, used) = try MMS.parse(both.span, direction: .toServer, time: .zero, state: &state)
        #expect(first.service == 2 && used == Self.identifyRequest.count)
        let rest = Array(both[used...])
        let (second, _) = try MMS.parse(rest.span, direction: .toServer, time: .zero, state: &state)
        #expect(second.service == 4)
        var dripped = MMS.State()
        for length in 0..<Self.readRequest.count {
            let prefix = Array(Self.readRequest[0..<length])
            #expect(throws: DissectError.self) {
                _ = try MMS.parse(prefix.span, direction: .toServer, time: .zero, state: &dripped)
            }
        }
        #expect(try Self.parse(Self.readRequest, state: &dripped).service == 4)
    }

    @Test func rejectAndUnknownService() throws {
        var state = MMS.State()
        // Bare reject a4 06 { 80 01 05 original invoke 5, 82 01 01 confirmed-response reason 1 }.
        let reject = try Self.parse(Self.bytes("0300000f02f080a406800105820101"), state: &state)
        #expect(reject.functionCode == 104 && reject.invokeID == 5)
        let event = MMS.event(
            reject, bytes: Self.bytes("0300000f02f080a406800105820101").span, context: Self.context(.toClient),
            state: &state)
        #expect(event.status == .exception(code: 2 << 8 | 1, name: "reject_confirmed_response"))
        // a0 06 { 02 01 07, 9f 5a 00 service tag 90 }: beyond ISO 9506.
        let unknown = try Self.parse(Self.bytes("0300000f02f080a006020107 9f5a00"), state: &state)
        #expect(unknown.functionCode == 90 && unknown.anomalies.contains(.unknownService))
        #expect(MMS.functionName(unknown) == "service_90" && MMS.operation(unknown) == .other)
    }

    @Test func probeTellsMMSFromS7() {
        #expect(MMS.probe(Self.initiateRequest.span, direction: .toServer) == .match)
        #expect(MMS.probe(Self.bareStart.span, direction: .toServer) == .match)
        // S7comm setup communication: 03 00 00 19 02 f0 80 then protocol id 32.
        let s7 = Self.bytes("0300001902f08032010000000000080000f0000001000101e0")
        #expect(MMS.probe(s7.span, direction: .toServer) == .reject)
        #expect(S7Comm.probe(Self.initiateRequest.span, direction: .toServer) == .reject)
        #expect(MMS.probe(Self.bytes("0300").span, direction: .toServer) == .needMore)
    }

    @Test func foreignPayloadIsAnAnomaly() throws {
        var state = MMS.State()
        let frame = try Self.parse(Self.bytes("0300000902f08032ff"), state: &state)
        #expect(frame.kind == .foreign && frame.anomalies.contains(.notMMS) && !frame.hasFunction)
    }

    @Test func sessionLengthPastThePDUStops() throws {
        var state = MMS.State()
        // An accept SPDU claiming 0x89 bytes with 3 present (as iec61850_*.pcap frame 10).
        let frame = try Self.parse(Self.bytes("0300000c02f0800e89050100"), state: &state)
        #expect(frame.kind == .session && frame.anomalies.contains(.sessionLength) && !frame.hasFunction)
    }

    @Test(arguments: 0..<115) func truncatedIdentifyResponseNeverTraps(length: Int) {
        var bytes = Self.identifyResponse
        guard length < bytes.count else { return }
        bytes.removeLast(bytes.count - length)
        // Keep the TPKT length consistent so inner layers see the cut, too.
        if bytes.count >= 4 { bytes[3] = UInt8(bytes.count) }
        var state = MMS.State()
        if let (frame, _) = try? MMS.parse(
            bytes.span, direction: .toClient, time: Timestamp(nanoseconds: 0), state: &state)
        {
            _ = MMS.event(frame, bytes: bytes.span, context: Self.context(.toClient), state: &state)
            _ = MMS.facts(frame, bytes: bytes.span, context: Self.context(.toClient), state: state)
        }
    }

    @Test(arguments: 0..<191) func truncatedInitiateNeverTraps(length: Int) {
        var bytes = Self.initiateRequest
        guard length < bytes.count else { return }
        bytes.removeLast(bytes.count - length)
        var state = MMS.State()
        // Cut without fixing the TPKT length: the stream needs more.
        do throws(DissectError) {
            _ = try MMS.parse(bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
            Issue.record("a cut PDU parsed")
        } catch {
            if case .needMore = error {} else if length >= 4 { Issue.record("\(error)") }
        }
        if bytes.count >= 4 { bytes[3] = UInt8(bytes.count) }
        if let (frame, _) = try? MMS.parse(
            bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
        {
            _ = MMS.event(frame, bytes: bytes.span, context: Self.context(.toServer), state: &state)
        }
    }

    @Test func randomInputsNeverTrap() {
        var generator = SeededGenerator(seed: 0x4d4d_5321)
        var state = MMS.State()
        var parsed = 0
        let seeds = [Self.initiateRequest, Self.identifyResponse, Self.readRequest, Self.errorPDU, Self.bareStart]
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = seeds[round / 2 % seeds.count]
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let index = Int.random(in: 7..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                let count = Int.random(in: 0..<160, using: &generator)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if bytes.count >= 8 {
                    bytes.replaceSubrange(0..<7, with: [3, 0, 0, UInt8(bytes.count), 2, 0xf0, 0x80])
                }
            }
            _ = MMS.probe(bytes.span, direction: .toServer)
            guard
                let (frame, _) = try? MMS.parse(
                    bytes.span, direction: .toServer, time: Timestamp(nanoseconds: 0), state: &state)
            else { continue }
            parsed += 1
            let event = MMS.event(frame, bytes: bytes.span, context: Self.context(.toServer), state: &state)
            _ = MMS.facts(frame, bytes: bytes.span, context: Self.context(.toClient), state: state)
            #expect(event.proto == "mms")
            #expect(event.targets.count <= MMS.maxTargets)
        }
        #expect(parsed > 1000)
        #expect(state.pending.count <= MMS.State.pendingCapacity)
    }

    @Test(arguments: ["piccolo", "iec61850_write", "mms-startRequest"])
    func fixtureCaptureMatchesTshark(name: String) throws {
        let golden = try #require(ITStreamRunner.text(ITStreamRunner.fixture("mms", name + ".tshark.txt")))
        let path = ITStreamRunner.fixture("mms", name + ".pcap")
        let result = ITStreamRunner.run(MMSWiresharkView.self, path: path, ports: [102])
        #expect(result.functions == ITStreamRunner.golden(golden))
        #expect(result.malformed == 0 || name == "mms-startRequest")
        if name == "piccolo" {
            #expect(result.facts.contains { $0.kind == .vendor && $0.value == "INFO TECH" })
        }
    }

    /// PDUs decoded beyond tshark's counts, checked by hand: `iec` and the Sample file hold an
    /// association joined mid-stream (no CP seen, so Wireshark cannot map presentation context 3
    /// to MMS: a write and a conclude; 28 information reports); the `mms-*` files end with a bare
    /// conclude request `8b 00`, which Wireshark's heuristic refuses for its zero length.
    static let beyondWireshark: [String: [Int: Int]] = {
        var table: [String: [Int: Int]] = [
            "iec": [5: 1, 111: 1],
            "Sample_File_MMS_and_GOOSE": [200: 28],
        ]
        for name in [
            "mms-cancelRequest", "mms-confirmedRequestPDU", "mms-deleteProgramInvocation", "mms-getAlarmSummary",
            "mms-getDomainAttributes", "mms-initiateDownloadSequence", "mms-initiateUploadSequence",
            "mms-killRequest", "mms-relinquishControl", "mms-resetRequest", "mms-resumeRequest",
            "mms-startRequest", "mms-stopRequest", "mms-takeControl", "mms-terminateUploadSequence",
        ] {
            table[name] = [111: 1]
        }
        return table
    }()

    @Test func sharedCapturesMatchTshark() throws {
        guard let folder = ITStreamRunner.shared("public/iti/IEC61850") else {
            print("skipped: ../shared/captures/public/iti/IEC61850 is missing")
            return
        }
        var paths = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasSuffix(".pcap") || $0 == "iec"
        }
        .map { folder + "/" + $0 }
        let commands = folder + "/MMS - Specific Commands"
        paths += try FileManager.default.contentsOfDirectory(atPath: commands).map { commands + "/" + $0 }
        #expect(paths.count >= 26)
        for path in paths.sorted() {
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let golden = try #require(
                ITStreamRunner.text(ITStreamRunner.fixture("mms", "shared-golden/\(name).tshark.txt")))
            let expected = ITStreamRunner.golden(golden)
            let seen = ITStreamRunner.run(MMSWiresharkView.self, path: path, ports: [102], events: false)
            #expect(seen.functions == expected, "\(name)")
            // Everything decoded: what tshark counts plus what it leaves undecoded.
            let all = ITStreamRunner.run(MMS.self, path: path, ports: [102], events: false)
            var extra = all.functions
            for (code, count) in expected { extra[code, default: 0] -= count }
            extra = extra.filter { $0.value != 0 }
            #expect(extra == (Self.beyondWireshark[name] ?? [:]), "\(name)")
        }
    }
}
