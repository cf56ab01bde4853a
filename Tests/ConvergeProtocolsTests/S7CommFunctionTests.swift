import ConvergeModel
import Testing

@testable import ConvergeProtocols

/// S7comm functions: names, operations, targets with values, pairing and status.
@Suite struct S7CommFunctionTests {
    @Test func readVariablePairsAndCarriesValues() throws {
        var state = S7Comm.makeState()
        let request = try #require(S7Fixtures.s7(S7Fixtures.readJob, .toServer, state: &state, time: 1_000))
        #expect(request.message.functionName == "read_var" && request.message.operation == .read)
        #expect(request.message.status == .pending)
        #expect(request.message.targets == [Message.Target(kind: "db1", address: 0, count: 1)])
        let response = try #require(S7Fixtures.s7(S7Fixtures.readAck, .toClient, state: &state, time: 4_000))
        #expect(response.frame.request?.function == 0x04)
        #expect(response.message.roundTripNanoseconds == 3_000)
        #expect(response.message.status == .ok)
        #expect(response.message.targets == [Message.Target(kind: "db1", address: 0, count: 1, values: [0x1234])])
        #expect(response.message.anomalies.isEmpty)
        #expect(state.pending.count == 0)
    }

    @Test func writeVariableValuesAndItemError() throws {
        var state = S7Comm.makeState()
        let request = try #require(S7Fixtures.s7(S7Fixtures.writeJob, .toServer, state: &state))
        #expect(request.message.operation == .write && request.message.functionCode == 5)
        #expect(request.message.targets == [Message.Target(kind: "db5", address: 2, count: 2, values: [0xab, 0xcd])])
        let response = try #require(S7Fixtures.s7(S7Fixtures.writeAck, .toClient, state: &state))
        #expect(response.message.status == .exception(code: 5, name: "invalid_address"))
        #expect(response.message.targets.map(\.kind) == ["db5"])
    }

    @Test func unsolicitedResponseAndHeaderError() throws {
        var state = S7Comm.makeState()
        var failed = S7Fixtures.readAck
        failed[17] = 0x81  // error class: application relationship
        failed[18] = 0x04
        let response = try #require(S7Fixtures.s7(failed, .toClient, state: &state))
        #expect(response.frame.anomalies.contains(.unsolicitedResponse))
        #expect(response.message.status == .exception(code: 0x8104, name: "service_not_implemented"))
        #expect(response.message.targets.first?.kind == "unknown")
    }

    @Test func setupCommunication() throws {
        var state = S7Comm.makeState()
        let setup = try #require(S7Fixtures.s7(S7Fixtures.setupJob, .toServer, state: &state))
        #expect(setup.message.functionName == "setup_communication" && setup.message.operation == .session)
        #expect(setup.message.targets == [Message.Target(kind: "pdu_size", address: 0, values: [480])])
    }

    @Test func plcStopAndColdStart() throws {
        var state = S7Comm.makeState()
        let stop = try #require(S7Fixtures.s7(S7Fixtures.stopJob, .toServer, state: &state))
        #expect(stop.message.functionName == "plc_stop" && stop.message.operation == .control)
        #expect(stop.frame.piService == .stop && stop.frame.anomalies.isEmpty)
        let cold = try #require(S7Fixtures.s7(S7Fixtures.coldStartJob, .toServer, state: &state))
        #expect(cold.message.functionName == "plc_cold_start" && cold.message.operation == .control)
        #expect(cold.message.functionCode == 0x28)
        var hot = S7Fixtures.coldStartJob
        // The same PI service without its "C " argument is a hot start (parameter block length 0).
        hot.removeSubrange(27...28)
        hot[26] = 0
        hot[3] = UInt8(hot.count)
        hot[14] = 0x14
        let warm = try #require(S7Fixtures.s7(hot, .toServer, state: &state))
        #expect(warm.message.functionName == "plc_hot_start")
        #expect(warm.frame.anomalies.isEmpty)
    }

    @Test func blockUploadAndDelete() throws {
        var state = S7Comm.makeState()
        let upload = try #require(S7Fixtures.s7(S7Fixtures.startUploadJob, .toServer, state: &state))
        #expect(upload.message.functionName == "start_upload" && upload.message.operation == .program)
        #expect(upload.message.targets == [Message.Target(kind: "ob", address: 0)])
        let delete = try #require(S7Fixtures.s7(S7Fixtures.deleteJob, .toServer, state: &state))
        #expect(delete.message.functionName == "delete_block" && delete.message.operation == .program)
        #expect(delete.message.targets == [Message.Target(kind: "sdb", address: 2000)])
        // Its ack-data is named like the request.
        let ack = S7Fixtures.hex("0300001502f0803203000074000002000000002800")
        let answer = try #require(S7Fixtures.s7(ack, .toClient, state: &state))
        #expect(answer.message.functionName == "delete_block" && answer.message.targets.first?.address == 2000)
    }

    @Test func unknownPIServiceIsAnAnomaly() throws {
        var state = S7Comm.makeState()
        var job = S7Fixtures.deleteJob
        job[job.count - 1] = 0x58  // "_DELX"
        let frame = try #require(S7Fixtures.s7(job, .toServer, state: &state)).frame
        #expect(frame.piService == .unknown && frame.anomalies.contains(.unknownPIService))
    }

    @Test func userdataSZLAndPassword() throws {
        var state = S7Comm.makeState()
        let szl = try #require(S7Fixtures.s7(S7Fixtures.szlRequest, .toServer, state: &state))
        #expect(!szl.frame.hasFunction)  // tshark shows no s7comm.param.func for userdata
        #expect(szl.message.functionCode == 0x1401 && szl.message.functionName == "read_szl")
        #expect(szl.message.operation == .discovery)
        #expect(szl.message.targets == [Message.Target(kind: "szl", address: 0x11, values: [0])])
        let password = try #require(S7Fixtures.s7(S7Fixtures.passwordRequest, .toServer, state: &state))
        #expect(password.message.functionName == "plc_password" && password.message.operation == .auth)
        let answer = try #require(S7Fixtures.s7(S7Fixtures.passwordResponse, .toClient, state: &state))
        #expect(answer.message.operation == .auth && answer.frame.request != nil)
        // The empty item (0x0a, no data) with userdata error 0 is the PLC's plain acknowledgement.
        #expect(answer.message.status == .ok)
    }

    @Test func namesAndOperationsCoverTheGroups() {
        #expect(S7Comm.userdataFunctionName(group: 3, subfunction: 3) == "get_block_info")
        #expect(S7Comm.userdataFunctionName(group: 7, subfunction: 2) == "set_clock")
        #expect(S7Comm.userdataFunctionName(group: 5, subfunction: 2) == "clear_password")
        #expect(S7Comm.userdataFunctionName(group: 9, subfunction: 1) == nil)
        var frame = S7Comm.Frame(direction: .toServer)
        frame.rosctr = S7Comm.ROSCTR.userdata
        frame.userdataGroup = 7
        frame.userdataSubfunction = 2
        #expect(S7Comm.operation(frame) == .control)
        frame.userdataSubfunction = 1
        #expect(S7Comm.operation(frame) == .diagnostic)
        frame.userdataGroup = 4
        frame.szlID = 0x0232
        #expect(S7Comm.operation(frame) == .diagnostic)
        frame.szlID = 0x011c
        #expect(S7Comm.operation(frame) == .discovery)
        frame.userdataGroup = 1
        frame.userdataSubfunction = 8
        #expect(S7Comm.operation(frame) == .write)
        frame.userdataSubfunction = 0x09  // force
        #expect(S7Comm.operation(frame) == .control)
        frame.userdataSubfunction = 0x0e  // enable job: what the job does
        frame.jobFunction = 0x02
        #expect(S7Comm.operation(frame) == .read)
        frame.jobFunction = 0x09
        #expect(S7Comm.operation(frame) == .control)
        frame.userdataSubfunction = 0x01
        #expect(S7Comm.operation(frame) == .diagnostic)
        #expect(S7Comm.userdataFunctionName(group: 1, subfunction: 0x01) == "request_diag_data")
        #expect(S7Comm.userdataFunctionName(group: 1, subfunction: 0x02) == "variable_table")
        #expect(S7Comm.userdataFunctionName(group: 1, subfunction: 0x09) == "force")
        #expect(S7Comm.jobFunctionName(0x99, piService: .none) == "unknown_0x99")
    }
}
