import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// PCCC commands whose requests carry a function code byte after the transaction number.
    static func pcccHasFunction(_ command: UInt8) -> Bool {
        command == 0x06 || command == 0x07 || command == 0x0f
    }

    /// Execute PCCC (class 0x67, service 0x4b): a requestor id (its length byte counts itself,
    /// then vendor and serial), then the PCCC command, status, transaction and (requests of
    /// commands 0x06/0x07/0x0f) function code.
    static func parsePCCC(_ message: Span<UInt8>, cip: CIPMessage, anomalies: inout Anomalies) -> PCCCInfo? {
        let d = cip.dataOffset
        guard let idLength = u8(message, d), idLength >= 7 else {
            anomalies.insert(.invalidLength)
            return nil
        }
        let start = d &+ Int(idLength)
        guard let command = u8(message, start), let status = u8(message, start &+ 1),
            let transaction = le16(message, start &+ 2), start &+ 4 <= cip.dataEnd
        else {
            anomalies.insert(.invalidLength)
            return nil
        }
        var dataOffset = start &+ 4
        var function: UInt8?
        if !cip.isResponse && pcccHasFunction(command) {
            function = u8(message, dataOffset)
            if function != nil { dataOffset &+= 1 }
        } else if cip.isResponse && status == 0xf0 {
            dataOffset &+= 1  // extended status byte
        }
        let clipped = min(dataOffset, cip.dataEnd)
        return PCCCInfo(
            command: command, status: status, transaction: transaction, function: function,
            dataOffset: clipped, dataLength: cip.dataEnd &- clipped)
    }

    /// A PCCC command/function as snake_case (DF1 protocol and command set), nil when unnamed.
    public static func pcccName(command: UInt8, function: UInt8?) -> String? {
        switch (command & 0x0f, function) {
        case (0x01, _): "unprotected_read"
        case (0x08, _): "unprotected_write"
        case (0x06, 0x03?): "diagnostic_status"
        case (0x06, 0x00?): "echo"
        case (0x0f, 0x67?): "typed_write"
        case (0x0f, 0x68?): "typed_read"
        case (0x0f, 0x80?): "change_mode"
        case (0x0f, 0x11?): "get_edit_resource"
        case (0x0f, 0x12?): "return_edit_resource"
        case (0x0f, 0x26?): "read_link_parameters"
        case (0x0f, 0x29?): "read_modify_write"
        case (0x0f, 0x3a?): "set_cpu_mode"
        case (0x0f, 0x52?): "apply_port_configuration"
        case (0x0f, 0xa1?): "protected_typed_logical_read_2"
        case (0x0f, 0xa2?): "protected_typed_logical_read_3"
        case (0x0f, 0xa9?): "protected_typed_logical_write_2"
        case (0x0f, 0xaa?): "protected_typed_logical_write_3"
        case (0x0f, 0xab?): "protected_typed_logical_masked_write"
        case (0x0f, 0xaf?): "protected_typed_file_read"
        default: nil
        }
    }

    /// What a PCCC request does.
    public static func pcccOperation(command: UInt8, function: UInt8?) -> Operation {
        switch (command & 0x0f, function) {
        case (0x01, _), (0x0f, 0x68?), (0x0f, 0xa1?), (0x0f, 0xa2?), (0x0f, 0xaf?): .read
        case (0x08, _), (0x0f, 0x67?), (0x0f, 0xa9?), (0x0f, 0xaa?), (0x0f, 0xab?), (0x0f, 0x29?): .write
        case (0x0f, 0x80?), (0x0f, 0x3a?): .control
        case (0x0f, 0x11?), (0x0f, 0x12?): .program
        case (0x06, _): .diagnostic
        default: .other
        }
    }
}
