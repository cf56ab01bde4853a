import ConvergeEngine
import ConvergeInventory
import ConvergeModel
import Foundation
import Testing

@testable import ConvergeDetection

/// Every built-in rule is raised by something: a real capture from /work/shared/captures (read
/// in place as ../shared, skipped when that folder is missing) or, where no capture carries the
/// attack, events built by hand here. The capture runs with the asset directory its own inventory
/// gives, as `converge analyze` would, and no baseline.
@Suite struct BuiltInRuleTests {
    typealias F = DetectionFixtures

    static let captures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/captures")

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/detection")

    static let builtIn: [Rule] = (try? RuleLoader.builtIn()) ?? []

    /// Rule → a capture that raises it (relative to shared/captures).
    static let captureCases: [(rule: String, capture: String)] = [
        ("ads-add-route", "public/iti/beckoff/addroute1.pcapng"),
        ("arp-sender-mismatch", "public/suricata-verify/arp/detect-arp-03-vlan/input.pcap"),
        ("bacnet-write-new-writer", "generated/bacnet.pcap"),
        ("cip-firmware-update", "public/iti/openics/EIP-FirmwareChangeFailure.pcap"),
        ("cip-program-change", "public/iti/openics/EIP-SoftwareUpload.pcap"),
        ("cip-reset", "public/iti/openics/EIP-RebootorRestart.pcap"),
        ("cip-set-attribute", "public/iti/openics/EIP-ChangeDateAttempt.pcap"),
        ("cip-start", "public/iti/EthernetIP/cip_start_plc.pcap"),
        ("cip-stop", "public/iti/EthernetIP/cip_stop_plc.pcap"),
        ("cleartext-credentials", "generated/mqtt.pcap"),
        ("default-account-name", "public/iti/ModbusTCP/mb2.pcap"),
        ("dhcp-flood", "public/suricata-verify/dhcp-request-flood/test.pcap"),
        ("dnp3-control-new-master", "public/iti/dnp3/direct_operate_analog_output.pcap"),
        ("dnp3-disable-unsolicited", "public/iti/dnp3/disable_unsolcited_and_response.pcap"),
        ("dnp3-file-delete", "public/iti/dnp3/file_delete.pcap"),
        ("dnp3-file-transfer", "public/iti/dnp3/file_write.pcap"),
        ("dnp3-malformed", "public/iti/dnp3/direct_operate_crob_malform_but_good_crc.pcap"),
        ("dnp3-restart", "public/iti/dnp3/cold_restart_and_response.pcap"),
        ("dnp3-stop-application", "public/iti/dnp3/dnp3_test_data_part1.pcap"),
        ("enip-list-identity-sweep", "public/iti/openics/EIP-IPAddressChangeAttempt.pcap"),
        ("goose-replay", "public/iti/IEC61850/GOOSE/GOOSE.pcap"),
        ("ics-command-flood", "public/iti/openics/EIP-FirmwareChangeFailure.pcap"),
        ("ics-malformed", "public/iti/profinet/profinet-wireshark-bug.pcap"),
        ("iec104-clock-sync", "public/iti/IEC60870-5-104/TestDissectIec104.pcap"),
        ("iec104-command-new-master", "public/iti/IEC60870-5-104/TestDissectIec104.pcap"),
        ("iec104-malformed", "public/iti/IEC60870-5-104/TestDissectIec104.pcap"),
        ("iec104-setpoint-new-writer", "public/iti/IEC60870-5-104/090813_diverse.pcap"),
        ("it-to-ot-skips-dmz", "public/iti/profinet/profinet.pcap"),
        ("mms-program-download", "public/iti/IEC61850/MMS - Specific Commands/mms-deleteProgramInvocation.pcap"),
        ("mms-program-state", "public/iti/IEC61850/MMS - Specific Commands/mms-killRequest.pcap"),
        ("mms-program-upload", "public/iti/IEC61850/MMS - Specific Commands/mms-initiateUploadSequence.pcap"),
        ("modbus-brute-force-io", "public/iti/bro/modbus/modbusBig.pcap"),
        ("modbus-device-identification", "generated/modbus_attack.pcap"),
        ("modbus-exception-burst", "generated/modbus_attack.pcap"),
        ("modbus-first-write", "public/suricata-verify/modbus/modbus.pcap"),
        ("modbus-function-scan", "generated/modbus_attack.pcap"),
        ("modbus-listen-only-mode", "public/suricata-verify/modbus/modbus.pcap"),
        ("modbus-malformed", "public/iti/bro/modbus/fuzz-1011.pcap"),
        ("modbus-restart-communications", "public/suricata-verify/modbus/modbus.pcap"),
        ("modbus-umas-program-download", "public/iti/modicon/modicon_test.pcap"),
        ("modbus-unit-id-scan", "generated/modbus_attack.pcap"),
        ("opcua-method-call-new-client", "generated/opcua.pcap"),
        ("profinet-dcp-set", "public/iti/profinet/PROFINET-RT-DCP/ChangeIPUsingDCP.pcap"),
        ("s7-block-enumeration", "public/iti/s7/snap7_s300_everything.pcapng"),
        ("s7-delete-block", "public/iti/s7/snap7_s300_everything.pcapng"),
        ("s7-plc-start", "public/iti/s7/snap7_s300_everything.pcapng"),
        ("s7-plc-stop", "public/iti/s7/snap7_s300_stop.pcapng"),
        ("s7-program-download", "public/iti/s7/s7comm_downloading_block_db1.pcap"),
        ("s7-program-upload", "public/iti/s7/snap7_s300_everything.pcapng"),
        ("s7-szl-enumeration", "public/iti/s7/s7comm_program_blocklist_onlineview.pcap"),
        ("s7plus-program-change", "public/iti/s7/S7-1200-Uploading-OB1-TIAV12.pcap"),
        ("smb-weak-authentication", "public/iti/IEC61850/Sample_File_MMS_and_GOOSE.pcap"),
        ("smb1-in-use", "public/iti/hart/hart_ip.pcap"),
        ("snmp-default-community", "generated/it_mix.pcap"),
        ("sparkplug-command-new-host", "generated/mqtt.pcap"),
        ("user-name-on-wire", "public/iti/IEC61850/Sample_File_MMS_and_GOOSE.pcap"),
    ]

    /// The alerts of the built-in pack over one capture, with the capture's own inventory as context.
    /// nil only when neither the fixture copy nor ../shared/captures is there (the test then
    /// skips); a capture missing from a present ../shared/captures fails the test.
    static func run(_ relative: String, assets useInventory: Bool = true) throws -> [Alert]? {
        let fixture = fixtures.appendingPathComponent(
            relative.replacingOccurrences(of: "/", with: "__").replacingOccurrences(of: " ", with: "_")
        ).path
        var path = captures.appendingPathComponent(relative).path
        if FileManager.default.fileExists(atPath: fixture) {
            path = fixture
        } else if !FileManager.default.fileExists(atPath: captures.path) {
            return nil
        }
        try #require(FileManager.default.fileExists(atPath: path), "no capture \(relative)")
        let (events, inventory) = DetectionFixtures.events(path)
        let assets = useInventory ? inventory : AssetDirectory()
        let detector = Detector(rules: builtIn, assets: assets, captures: [path])
        for event in events { detector.observe(event) }
        return detector.finish()
    }

    @Test(arguments: 0..<captureCases.count) func aCaptureRaisesTheRule(_ i: Int) throws {
        let (rule, capture) = Self.captureCases[i]
        guard let alerts = try Self.run(capture) else {
            print("skipped: ../shared/captures/\(capture) is missing")
            return
        }
        let alert = try #require(alerts.first { $0.rule == rule }, "\(rule) not raised by \(capture)")
        let definition = try #require(Self.builtIn.first { $0.id == rule })
        #expect(alert.severity == definition.severity && alert.id.hasPrefix(rule + ":"))
        if definition.subject == .message {
            #expect(!alert.evidence.isEmpty && alert.evidence.allSatisfy { !$0.capture.isEmpty && $0.frame > 0 })
        }
    }

    /// The captures of normal operation raise nothing of high severity (no baseline; with and
    /// without the inventory's asset context).
    @Test(arguments: ["generated/modbus_normal.pcap", "public/iti/ModbusTCP/ModbusTCP.pcap"])
    func normalPollingRaisesNoHighAlert(_ capture: String) throws {
        for useInventory in [true, false] {
            guard let alerts = try Self.run(capture, assets: useInventory) else {
                print("skipped: ../shared/captures/\(capture) is missing")
                return
            }
            let loud = alerts.filter { $0.severity >= .high }
            #expect(loud.isEmpty, "\(loud.map(\.id))")
        }
    }

    // MARK: - Rules no capture here carries: events built by hand

    static func assets(_ pairs: [(String, AssetContext)]) -> AssetDirectory {
        var d = AssetDirectory()
        for (address, context) in pairs { d[F.ip(address)] = context }
        return d
    }

    static let itToPLC = assets([
        ("10.0.0.5", F.context(.itWorkstation, .level4)), ("10.0.0.9", F.context(.plc, .level1)),
    ])

    static func burst(_ n: Int, every seconds: Double, _ make: (Int, Double) -> Event) -> [Event] {
        (0..<n).map { make($0, Double($0) * seconds) }
    }

    static let handBuilt: [String: (events: [Event], assets: AssetDirectory, baseline: any BaselineView)] = [
        "modbus-umas-program-upload": (
            [.message(F.message(code: 90, name: "umas.upload_block", operation: .program, frame: 1))], .init(),
            NoBaseline()
        ),
        "modbus-umas-plc-start-stop": (
            [.message(F.message(code: 90, name: "umas.stop_plc", operation: .control, frame: 1))], .init(), NoBaseline()
        ),
        "modbus-write-unseen-writer": ([.message(F.message(frame: 1))], .init(), FixedBaseline()),
        "modbus-flood": (
            burst(1000, every: 0.005) { i, t in
                .message(F.message(code: 3, name: "read_holding_registers", operation: .read, seconds: t, frame: i + 1))
            }, .init(), NoBaseline()
        ),
        "s7-force": (
            [
                .message(
                    F.message("s7comm", serverPort: 102, code: 0x4109, name: "force", operation: .control, frame: 1))
            ],
            .init(), NoBaseline()
        ),
        "s7-write-unseen-writer": (
            [.message(F.message("s7comm", serverPort: 102, code: 5, name: "write_var", frame: 1))], .init(),
            FixedBaseline()
        ),
        "dnp3-control-unseen-master": (
            [
                .message(
                    F.message("dnp3", serverPort: 20000, code: 5, name: "direct_operate", operation: .control, frame: 1)
                )
            ],
            .init(), FixedBaseline()
        ),
        "iec104-command-unseen-master": (
            [
                .message(
                    F.message(
                        "iec104", serverPort: 2404, code: 45, name: "c_sc_na_1.activation", operation: .control,
                        frame: 1))
            ], .init(), FixedBaseline()
        ),
        "iec104-reset-process": (
            [
                .message(
                    F.message(
                        "iec104", serverPort: 2404, code: 105, name: "c_rp_na_1.activation", operation: .control,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "bacnet-who-is-sweep": (
            burst(10, every: 2) { i, t in
                .message(
                    F.message(
                        "bacnet", server: "10.0.255.255", serverPort: 47808, code: 264, name: "who_is",
                        operation: .discovery, seconds: t, frame: i + 1))
            }, .init(), NoBaseline()
        ),
        "bacnet-reinitialize-device": (
            [
                .message(
                    F.message(
                        "bacnet", serverPort: 47808, code: 20, name: "reinitialize_device", operation: .control,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "bacnet-communication-control": (
            [
                .message(
                    F.message(
                        "bacnet", serverPort: 47808, code: 17, name: "device_communication_control",
                        operation: .control, frame: 1))
            ], .init(), NoBaseline()
        ),
        "tristation-program-change": (
            [
                .message(
                    F.message(
                        "tristation", serverPort: 1502, code: 1, name: "start_download_change", operation: .program,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "tristation-control": (
            [
                .message(
                    F.message(
                        "tristation", serverPort: 1502, code: 21, name: "halt_program", operation: .control,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "tristation-new-client": (
            [
                .message(
                    F.message(
                        "tristation", serverPort: 1502, code: 19, name: "get_cp_status", operation: .diagnostic,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "safety-controller-from-it": (
            [.flow(F.flow(serverPort: 1502, transport: .udp, application: "tristation"))],
            assets([("10.0.0.5", F.context(.itServer, .level4)), ("10.0.0.9", F.context(.safetyController, .level1))]),
            NoBaseline()
        ),
        "controller-program-transfer": (
            [
                .message(
                    F.message(
                        "fins", serverPort: 9600, code: 0x0306, name: "program_area_write", operation: .program,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "controller-run-state": (
            [
                .message(
                    F.message(
                        "melsec", serverPort: 5007, code: 0x1002, name: "remote_stop", operation: .control,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "controller-firmware": (
            [
                .message(
                    F.message(
                        "codesys", serverPort: 2455, code: 1, name: "firmware_update", operation: .firmware,
                        frame: 1))
            ], .init(), NoBaseline()
        ),
        "arp-address-conflict": (
            [("10.0.0.5", "00:00:00:00:00:01"), ("10.0.0.5", "00:00:00:00:00:66")].enumerated().map { i, b in
                .message(
                    F.message(
                        "arp", client: b.0, server: "10.0.0.1", serverPort: 0, code: 2, name: "reply",
                        operation: .discovery,
                        targets: [.init(kind: "binding", address: 0, name: b.0, value: b.1)], seconds: Double(i),
                        frame: i + 1))
            }, .init(), NoBaseline()
        ),
        "tcp-port-scan": (
            burst(20, every: 0.1) { i, t in .flow(F.flow(serverPort: UInt16(i + 1), state: "syn_sent", seconds: t)) },
            .init(), NoBaseline()
        ),
        "host-sweep": (
            burst(20, every: 0.1) { i, t in
                .flow(F.flow(server: "10.0.1.\(i)", serverPort: 445, state: "reset", seconds: t))
            },
            .init(), NoBaseline()
        ),
        "remote-access-it-to-ot": ([.flow(F.flow(serverPort: 3389, application: "rdp"))], itToPLC, NoBaseline()),
        "remote-access-protocol-to-controller": (
            [.flow(F.flow(client: "10.0.0.7", serverPort: 22, application: "ssh"))], itToPLC, NoBaseline()
        ),
        "ics-protocol-from-internet": (
            [.flow(F.flow(client: "203.0.114.7", serverPort: 502, application: "modbus"))], .init(), NoBaseline()
        ),
        "ot-asset-to-internet": (
            [.flow(F.flow(client: "10.0.0.9", server: "8.8.8.8", serverPort: 443, application: "tls"))], itToPLC,
            NoBaseline()
        ),
        "ot-protocol-to-internet": (
            [.flow(F.flow(server: "8.8.4.4", serverPort: 102, application: "s7comm"))], .init(), NoBaseline()
        ),
    ]

    @Test(arguments: handBuilt.keys.sorted()) func handBuiltEventsRaiseTheRule(_ rule: String) throws {
        let (events, assets, baseline) = try #require(Self.handBuilt[rule])
        let alerts = F.alerts(Self.builtIn, events, assets: assets, baseline: baseline)
        #expect(alerts.contains { $0.rule == rule }, "\(rule) not raised; got \(alerts.map(\.rule))")
    }

    @Test func everyBuiltInRuleHasATest() {
        let tested = Set(Self.captureCases.map(\.rule)).union(Self.handBuilt.keys)
        let untested = Self.builtIn.map(\.id).filter { !tested.contains($0) }
        #expect(untested.isEmpty, "no test raises \(untested)")
        #expect(tested.isSubset(of: Set(Self.builtIn.map(\.id))))
    }
}
