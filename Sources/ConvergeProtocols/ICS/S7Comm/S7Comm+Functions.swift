import ConvergeModel

extension S7Comm {
    /// Event function codes of userdata PDUs (Wireshark counts no `s7comm.param.func` for them):
    /// this base | group << 8 | subfunction, e.g. 0x1401 for CPU functions / read SZL.
    public static let userdataCodeBase = 0x1000

    /// The code an event carries: the job function byte, or the userdata code above.
    public static func eventFunctionCode(_ frame: Frame) -> Int {
        guard frame.kind == .pdu else { return -1 }
        if frame.isUserdata {
            return userdataCodeBase | Int(frame.userdataGroup) << 8 | Int(frame.userdataSubfunction)
        }
        return Int(frame.function)
    }

    /// The snake_case name of a job function, refined by its PI service.
    public static func jobFunctionName(_ function: UInt8, piService: PIService) -> String {
        switch function {
        case Function.cpuServices: return "cpu_services"
        case Function.readVariable: return "read_var"
        case Function.writeVariable: return "write_var"
        case Function.requestDownload: return "request_download"
        case Function.downloadBlock: return "download_block"
        case Function.downloadEnded: return "download_ended"
        case Function.startUpload: return "start_upload"
        case Function.upload: return "upload"
        case Function.endUpload: return "end_upload"
        case Function.plcStop: return "plc_stop"
        case Function.setupCommunication: return "setup_communication"
        case Function.piService:
            switch piService {
            case .hotStart: return "plc_hot_start"
            case .coldStart: return "plc_cold_start"
            case .insertBlock: return "insert_block"
            case .deleteBlock: return "delete_block"
            case .compressMemory: return "compress_memory"
            case .copyRAMToROM: return "copy_ram_to_rom"
            case .ncService: return "pi_service.nc"
            default: return "pi_service"
            }
        default: return "unknown_0x" + hex(Int(function), digits: 2)
        }
    }

    /// Userdata group/subfunction names in snake_case; nil when unknown. Mostly Wireshark's names;
    /// the programmer commands (Wireshark's "test and installation" jobs) use the names the
    /// engineering tools show: block status is "request diag data", variable status the
    /// "variable table".
    public static func userdataFunctionName(group: UInt8, subfunction: UInt8) -> String? {
        switch group {
        case Group.modeTransition: "mode_transition"
        case Group.programmerCommands: programmerCommandName(subfunction)
        case Group.cyclicData:
            switch subfunction {
            case 0x01: "cyclic_memory"
            case 0x04: "cyclic_unsubscribe"
            case 0x05: "change_driven_transfer"
            case 0x07: "change_driven_transfer_modify"
            case 0x08: "read_record"
            default: nil
            }
        case Group.blockFunctions:
            switch subfunction {
            case 0x01: "list_blocks"
            case 0x02: "list_blocks_of_type"
            case 0x03: "get_block_info"
            default: nil
            }
        case Group.cpuFunctions: cpuFunctionName(subfunction)
        case Group.security:
            switch subfunction {
            case 0x01: "plc_password"
            case 0x02: "clear_password"
            default: nil
            }
        case Group.bsendBrecv: subfunction == 0x01 ? "bsend_brecv" : nil
        case Group.timeFunctions:
            switch subfunction {
            case 0x01: "read_clock"
            case 0x02: "set_clock"
            case 0x03: "read_clock_following"
            case 0x04: "set_clock2"
            default: nil
            }
        case Group.ncProgramming: "nc_programming"
        default: nil
        }
    }

    /// Programmer commands: the subfunction is the test-and-installation job.
    static func programmerCommandName(_ subfunction: UInt8) -> String? {
        switch subfunction {
        case 0x01: "request_diag_data"
        case 0x02: "variable_table"
        case 0x03: "output_istack"
        case 0x04: "output_bstack"
        case 0x05: "output_lstack"
        case 0x06: "time_measurement"
        case 0x07: "force_selection"
        case 0x08: "modify_variable"
        case 0x09: "force"
        case 0x0a: "breakpoint"
        case 0x0b: "exit_hold"
        case 0x0c: "memory_reset"
        case 0x0d: "disable_job"
        case 0x0e: "enable_job"
        case 0x0f: "delete_job"
        case 0x10: "read_job_list"
        case 0x11: "read_job"
        case 0x12: "replace_job"
        case 0x13: "request_diag_data_v2"
        case 0x16: "flash_led"
        default: nil
        }
    }

    static func cpuFunctionName(_ subfunction: UInt8) -> String? {
        switch subfunction {
        case 0x01: "read_szl"
        case 0x02: "message_service"
        case 0x03: "diagnostic_message"
        case 0x05: "alarm8_indication"
        case 0x06: "notify_indication"
        case 0x07: "alarm8_lock"
        case 0x08: "alarm8_unlock"
        case 0x09: "scan_indication"
        case 0x0b: "alarm_ack"
        case 0x0c: "alarm_ack_indication"
        case 0x0d: "alarm_lock_indication"
        case 0x0e: "alarm_unlock_indication"
        case 0x11: "alarm_sq_indication"
        case 0x12: "alarm_s_indication"
        case 0x13: "alarm_query"
        case 0x16: "notify8_indication"
        default: nil
        }
    }

    /// The event's function name.
    public static func functionName(_ frame: Frame) -> String {
        switch frame.kind {
        case .foreign: return "not_s7comm"
        case .overflow: return "reassembly_overflow"
        case .pdu: break
        }
        if frame.isUserdata {
            return userdataFunctionName(group: frame.userdataGroup, subfunction: frame.userdataSubfunction)
                ?? "userdata_" + hex(Int(frame.userdataGroup), digits: 1) + "_"
                + hex(Int(frame.userdataSubfunction), digits: 2)
        }
        if !frame.hasFunction && frame.request == nil { return frame.rosctr == ROSCTR.ack ? "ack" : "no_function" }
        return jobFunctionName(frame.function, piService: frame.piService)
    }

    /// What a PDU does to the PLC (DESIGN.md operations).
    public static func operation(_ frame: Frame) -> Operation {
        guard frame.kind == .pdu else { return .other }
        if frame.isUserdata { return userdataOperation(frame) }
        guard frame.hasFunction || frame.request != nil else { return .other }
        switch frame.function {
        case Function.setupCommunication: return .session
        case Function.readVariable: return .read
        case Function.writeVariable: return .write
        case Function.requestDownload, Function.downloadBlock, Function.downloadEnded, Function.startUpload,
            Function.upload, Function.endUpload:
            return .program
        case Function.plcStop: return .control
        case Function.piService:
            switch frame.piService {
            case .insertBlock, .deleteBlock, .copyRAMToROM: return .program
            default: return .control
            }
        default: return .other
        }
    }

    static func userdataOperation(_ frame: Frame) -> Operation {
        switch frame.userdataGroup {
        case Group.programmerCommands:
            let subfunction = frame.userdataSubfunction
            let managesJob = subfunction == 0x0d || subfunction == 0x0e || subfunction == 0x0f || subfunction == 0x12
            // Enabling, disabling or deleting a job does what the job does.
            return programmerOperation(managesJob && frame.jobFunction != 0 ? frame.jobFunction : subfunction)
        case Group.cyclicData: return .read
        case Group.blockFunctions: return .discovery
        case Group.cpuFunctions:
            guard frame.userdataSubfunction == readSZL else {
                // Locking and acknowledging alarms changes their state; the rest subscribes,
                // queries or reports messages.
                switch frame.userdataSubfunction {
                case 0x07, 0x08, 0x0b: return .control
                default: return .diagnostic
                }
            }
            // The identity lists and the list of lists tell what the device is; the rest is state.
            let list = frame.szlID & 0x00ff
            return list == 0x00 || isIdentitySZL(frame.szlID) ? .discovery : .diagnostic
        case Group.security: return .auth
        case Group.timeFunctions:
            return frame.userdataSubfunction == 0x02 || frame.userdataSubfunction == 0x04 ? .control : .diagnostic
        case Group.ncProgramming: return .program
        case Group.modeTransition: return .diagnostic
        default: return .other
        }
    }

    /// What a test-and-installation job does: watching is a read, modifying a write; forcing,
    /// breakpoints, memory reset and changing the jobs that run are control.
    static func programmerOperation(_ subfunction: UInt8) -> Operation {
        switch subfunction {
        case 0x02: .read
        case 0x08: .write
        case 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x12: .control
        default: .diagnostic
        }
    }

    /// Lower-case hex with at least `digits` digits (for names of unknown codes only).
    static func hex(_ value: Int, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits &- text.count)) + text
    }
}
