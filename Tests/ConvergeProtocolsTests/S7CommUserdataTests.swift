import ConvergeModel
import Foundation
import Testing

@testable import ConvergeProtocols

/// S7 userdata beyond SZL identity on the real captures of ../shared/captures/public/iti/s7:
/// block functions, time functions, security, CPU message services and programmer commands,
/// each named, mapped to an operation and carrying its targets and values.
@Suite struct S7CommUserdataTests {
    static func messages(_ name: String) -> [Message] {
        let path = S7CaptureHarness.sharedCaptures.appendingPathComponent("public/iti/s7/" + name).path
        return S7CaptureHarness.run(S7Comm.self, path: path).messages.filter { $0.functionCode >= 0x1000 }
    }

    static func first(_ messages: [Message], _ name: String, _ direction: Direction) -> Message? {
        messages.first { $0.functionName == name && $0.direction == direction && !$0.targets.isEmpty }
    }

    static let enabled = S7CommCaptureTests.sharedAvailable

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func blockInfoNamesTheBlock() throws {
        let messages = Self.messages("tia_s300_goOnline.pcapng")
        let infos = messages.filter { $0.functionName == "get_block_info" && $0.direction == .toClient }
        let ob1 = try #require(infos.first { $0.targets.first?.kind == "ob" }?.targets.first)
        #expect(ob1.address == 1 && ob1.values == [3, 324, 206])
        #expect(ob1.value?.contains("language=fbd") == true)
        #expect(ob1.value?.contains("code_time=2015-12-15T23:27:04.820") == true)
        #expect(ob1.value?.contains("interface_time=2007-08-03T16:55:08.419") == true)
        let db1 = try #require(infos.first { $0.targets.first?.kind == "db" }?.targets.first)
        #expect(db1.address == 1 && db1.name == "CTU")
        let text = db1.value ?? ""
        for field in ["author=SIMATIC", "family=IEC_TC", "version=1.0", "security=know_how_protect", "load_size=102"] {
            #expect(text.contains(field), "\(text)")
        }
        let request = try #require(Self.first(messages, "get_block_info", .toServer))
        #expect(request.operation == .discovery && request.status == .pending)
        #expect(infos.allSatisfy { $0.status == .ok && $0.roundTripNanoseconds != nil })
    }

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func blockListsCountAndNumberBlocks() throws {
        let messages = Self.messages("s7comm_program_blocklist_onlineview.pcap")
        let list = try #require(Self.first(messages, "list_blocks", .toClient))
        let counts = Dictionary(uniqueKeysWithValues: list.targets.map { ($0.kind, $0.count) })
        #expect(counts == ["ob": 1, "fb": 0, "fc": 0, "db": 1, "sdb": 12, "sfc": 71, "sfb": 14])
        let ofType = try #require(Self.first(messages, "list_blocks_of_type", .toServer))
        #expect(ofType.targets == [Message.Target(kind: "db", address: -1, count: 0)])
        let blocks = try #require(Self.first(messages, "list_blocks_of_type", .toClient))
        #expect(blocks.targets == [Message.Target(kind: "db", address: 1, values: [5], value: "db")])
        // A missing block is an exception named by the userdata error code.
        let missing = messages.first { $0.functionName == "get_block_info" && $0.direction == .toClient }
        #expect(missing?.status == .exception(code: 0xd209, name: "block_not_found"))
        let asked = try #require(Self.first(messages, "get_block_info", .toServer))
        #expect(asked.targets == [Message.Target(kind: "sdb", address: 32768)])
    }

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func clockIsReadAndSet() throws {
        let messages = Self.messages("s7comm_reading_setting_plc_time.pcap")
        let read = try #require(Self.first(messages, "read_clock", .toClient))
        #expect(read.targets == [Message.Target(kind: "clock", address: 0, value: "2014-08-20T11:59:43.912")])
        #expect(read.status == .ok && read.operation == .diagnostic)
        let set = try #require(Self.first(messages, "set_clock", .toServer))
        #expect(set.operation == .control)
        #expect(set.targets.first?.value == "2014-08-20T11:59:33.040")
        let answer = try #require(messages.first { $0.functionName == "set_clock" && $0.direction == .toClient })
        #expect(answer.status == .ok)  // an empty item (0x0a, no data) is the plain acknowledgement
    }

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func passwordIsFlaggedNeverKept() throws {
        let messages = Self.messages("step7_s300_AuthPassword.pcapng")
        let password = try #require(Self.first(messages, "plc_password", .toServer))
        #expect(password.operation == .auth)
        #expect(password.targets == [Message.Target(kind: "password", address: 0, value: "sent")])
        // The scrambled bytes (21 3a 1b 1d 6e 68 1b 1d) are nowhere in the event.
        #expect(password.targets.allSatisfy { $0.values.isEmpty && $0.name == nil })
    }

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func alarmSubscriptionsAndQueries() throws {
        let messages = Self.messages("wincc_s300_setup-alarm-read.pcapng")
        let subscriptions = messages.filter { $0.functionName == "message_service" && $0.direction == .toServer }
        // Subscribe to mode transitions, then alarms; at the end sign off and abort the alarms.
        #expect(subscriptions.map { $0.targets.first?.value } == [
            "mode_transition", "mode_transition,alarms,alarm_s_initiate", "none", "alarms,alarm_s_abort",
        ])
        #expect(subscriptions.allSatisfy { $0.targets.first?.name == "HmiRtm" && $0.operation == .diagnostic })
        let query = try #require(Self.first(messages, "alarm_query", .toServer))
        #expect(query.targets == [Message.Target(kind: "alarm_query", address: 4, values: [1], value: "alarm_s")])
    }

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func diagnosticMessagesAndAlarms() throws {
        let stop = Self.messages("step7_s300_stop.pcapng")
        let diagnostic = try #require(Self.first(stop, "diagnostic_message", .toClient))
        #expect(diagnostic.targets == [Message.Target(
            kind: "diagnostic_event", address: 0x4304, values: [255, 132], value: "1994-01-09T21:53:42.152")])
        let mode = try #require(Self.first(stop, "mode_transition", .toClient))
        #expect(mode.targets == [Message.Target(kind: "cpu_mode", address: 0, value: "stop")])
        let production = Self.messages("wincc_s400_production.pcapng")
        let subscribe = try #require(Self.first(production, "change_driven_transfer", .toServer))
        #expect(subscribe.operation == .read && subscribe.targets.count == 23)
        #expect(subscribe.targets.first == Message.Target(kind: "db68", address: 358, count: 1))
        #expect(subscribe.targets.last == Message.Target(kind: "db109", address: 332, count: 4))
        let unsubscribe = try #require(Self.first(production, "cyclic_unsubscribe", .toServer))
        #expect(unsubscribe.targets.first?.kind == "job")
        let notify = try #require(Self.first(production, "notify_indication", .toClient))
        #expect(notify.targets.first?.kind == "alarm" && notify.targets.first?.address == 1)
        #expect(notify.targets.first?.value == "1994-01-06T00:47:42.697")
        #expect(notify.targets.first?.values == [1, 1, 1])
    }

    @Test(.enabled(if: enabled, "../shared/captures is missing")) func variableTableModifyAndJobs() throws {
        let messages = Self.messages("step7_s300_rwVarTab.pcapng")
        let modify = try #require(Self.first(messages, "modify_variable", .toServer))
        #expect(modify.operation == .write)
        #expect(modify.targets == [
            Message.Target(kind: "flag", address: 0, count: 1, values: [0x4133_851f]),
            Message.Target(kind: "flag", address: 4, count: 1, values: [0xdead]),
            Message.Target(kind: "input_bit", address: 8 * 8 + 1, count: 1, values: [1]),
        ])
        let enable = try #require(Self.first(messages, "enable_job", .toServer))
        #expect(enable.operation == .write)  // it enables the modify job
        #expect(enable.targets == [Message.Target(kind: "job", address: 2, values: [8], name: "modify_variable")])
        let enabled = messages.first { $0.functionName == "enable_job" && $0.direction == .toClient }
        #expect(enabled?.operation == .write && enabled?.status == .ok)

        let watch = Self.messages("step7_s300_readVarTab.pcapng")
        let table = try #require(Self.first(watch, "variable_table", .toServer))
        #expect(table.operation == .read)
        #expect(table.targets == [
            Message.Target(kind: "flag", address: 0, count: 6), Message.Target(kind: "input", address: 8, count: 1),
        ])
        let values = try #require(Self.first(watch, "variable_table", .toClient))
        #expect(values.targets.map(\.values) == [[0x41, 0x33, 0x85, 0x1f, 0xde, 0xad], [0x02]])
    }

    /// Every userdata function the public captures carry has a name (no `userdata_g_ss`
    /// fallback) and no `unknown_function` anomaly.
    @Test(.enabled(if: enabled, "../shared/captures is missing"), arguments: [
        "s7comm_downloading_block_db1.pcap", "s7comm_program_blocklist_onlineview.pcap",
        "s7comm_reading_plc_status.pcap", "s7comm_reading_setting_plc_time.pcap", "snap7_s300_everything.pcapng",
        "step7_s300_AuthPassword.pcapng", "step7_s300_download.pcapng", "step7_s300_readDiagData.pcapng",
        "step7_s300_readVarTab.pcapng", "step7_s300_rwVarTab.pcapng", "step7_s300_stop.pcapng",
        "tia_s300_downloadHwConfig.pcapng", "tia_s300_downloadOb1.pcapng", "tia_s300_flashLed.pcapng",
        "tia_s300_goOnline.pcapng", "wincc_s300_setup-alarm-read-write.pcapng", "wincc_s400_production.pcapng",
    ])
    func everyUserdataFunctionIsNamed(capture: String) {
        let messages = Self.messages(capture)
        #expect(!messages.isEmpty)
        for message in messages {
            #expect(!message.functionName.hasPrefix("userdata_"), "\(capture): \(message.functionName)")
            #expect(!message.anomalies.contains("s7comm.unknown_function"), "\(capture): \(message.functionName)")
        }
    }
}
