import ConvergeModel

extension PROFINET {
    /// snake_case name of a frame's function.
    static func functionName(_ frame: Frame) -> String {
        switch frame.kind {
        case .dcp:
            switch frame.serviceID {
            case Service.get: "dcp_get"
            case Service.set: "dcp_set"
            case Service.identify: "dcp_identify"
            case Service.hello: "dcp_hello"
            default: "dcp_service_\(frame.serviceID)"
            }
        case .cyclic: "rt_cyclic"
        case .alarm: "rt_alarm"
        case .ptcp: "ptcp"
        case .other: "rt_other"
        }
    }

    /// Identify and hello find devices, get reads them; a set that renames, readdresses, resets
    /// or signals a device controls it, any other set writes. Alarms are diagnostics; cyclic IO
    /// data and time sync are `other` (their direction of meaning needs the IO configuration).
    static func operation(_ frame: Frame) -> Operation {
        switch frame.kind {
        case .dcp:
            switch frame.serviceID {
            case Service.identify, Service.hello: return .discovery
            case Service.get: return .read
            case Service.set:
                let controlling =
                    1 << ControlSuboption.signal | 1 << ControlSuboption.factoryReset
                    | 1 << ControlSuboption.resetToFactory
                if frame.setsName || frame.setsIP || frame.controlSuboptions & UInt8(controlling) != 0 {
                    return .control
                }
                return .write
            default: return .other
            }
        case .alarm: return .diagnostic
        case .cyclic, .ptcp, .other: return .other
        }
    }

    /// Device role bits as names (`io_device,io_controller`).
    static func roleText(_ role: UInt8) -> String {
        LinkText.flags(
            UInt32(role),
            names: [(0x01, "io_device"), (0x02, "io_controller"), (0x04, "io_multidevice"), (0x08, "pn_supervisor")])
    }

    /// DCP block error codes (Control / Response).
    static func blockErrorName(_ code: UInt8) -> String {
        switch code {
        case 0: "ok"
        case 1: "option_not_supported"
        case 2: "suboption_not_supported"
        case 3: "suboption_not_set"
        case 4: "resource_error"
        case 5: "set_not_possible"
        case 6: "in_operation"
        default: "block_error_\(code)"
        }
    }

    /// Vendor names of a few PROFINET vendor ids (PI vendor list), nil for the rest.
    static func vendorName(_ id: UInt16) -> String? {
        switch id {
        case 0x002A: "Siemens"
        case 0x00B0: "Phoenix Contact"
        case 0x011E: "Hilscher"
        default: nil
        }
    }

    static func hex16(_ value: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        var text = "0x"
        for shift in stride(from: 12, through: 0, by: -4) { text.append(digits[Int(value >> UInt16(shift) & 0xF)]) }
        return text
    }

    static func ipText(_ value: UInt32) -> String { IPAddress(v4: value).description }
}
