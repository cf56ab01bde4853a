import ConvergeModel

extension PNIOCM {
    /// The DCE/RPC interfaces Converge names (IEC 61158-6-10 for PNIO; DCE 1.1 for the mapper).
    public enum Interface: UInt8, Sendable {
        case other = 0
        case device = 1
        case controller = 2
        case supervisor = 3
        case parameterServer = 4
        case endpointMapper = 5

        public static let deviceUUID: UInt128 = 0xDEA0_0001_6C97_11D1_8271_00A0_2442_DF7D
        public static let controllerUUID: UInt128 = 0xDEA0_0002_6C97_11D1_8271_00A0_2442_DF7D
        public static let supervisorUUID: UInt128 = 0xDEA0_0003_6C97_11D1_8271_00A0_2442_DF7D
        public static let parameterServerUUID: UInt128 = 0xDEA0_0004_6C97_11D1_8271_00A0_2442_DF7D
        public static let endpointMapperUUID: UInt128 = 0xE1AF_8308_5D1F_11C9_91A4_0800_2B14_A0FA

        public init(uuid: UInt128) {
            self =
                switch uuid {
                case Self.deviceUUID: .device
                case Self.controllerUUID: .controller
                case Self.supervisorUUID: .supervisor
                case Self.parameterServerUUID: .parameterServer
                case Self.endpointMapperUUID: .endpointMapper
                default: .other
                }
        }

        public var isPNIO: Bool { self != .other && self != .endpointMapper }

        public var name: String {
            switch self {
            case .other: "other"
            case .device: "pnio_device"
            case .controller: "pnio_controller"
            case .supervisor: "pnio_supervisor"
            case .parameterServer: "pnio_parameter_server"
            case .endpointMapper: "epm"
            }
        }
    }

    /// Connectionless packet types (DCE 1.1 RPC, chapter 12).
    public enum PacketType {
        public static let request: UInt8 = 0
        public static let ping: UInt8 = 1
        public static let response: UInt8 = 2
        public static let fault: UInt8 = 3
        public static let working: UInt8 = 4
        public static let nocall: UInt8 = 5
        public static let reject: UInt8 = 6
        public static let ack: UInt8 = 7
        public static let clCancel: UInt8 = 8
        public static let fack: UInt8 = 9
        public static let cancelAck: UInt8 = 10

        public static func name(_ type: UInt8) -> String {
            switch type {
            case request: "request"
            case ping: "ping"
            case response: "response"
            case fault: "fault"
            case working: "working"
            case nocall: "nocall"
            case reject: "reject"
            case ack: "ack"
            case clCancel: "cl_cancel"
            case fack: "fack"
            case cancelAck: "cancel_ack"
            default: "packet_type_\(type)"
            }
        }
    }

    /// An operation's name and what it does.
    public struct Function: Sendable, Equatable {
        public var name: String
        public var operation: Operation
    }

    /// What an opnum of an interface means: PNIO's Connect/Release/Read/Write/Control/Read
    /// Implicit, the endpoint mapper's operations (lookup and map are discovery); else `opnum_<n>`.
    public static func function(interface: Interface, opnum: UInt16) -> Function {
        if interface.isPNIO {
            switch opnum {
            case 0: return Function(name: "connect", operation: .session)
            case 1: return Function(name: "release", operation: .session)
            case 2: return Function(name: "read", operation: .read)
            case 3: return Function(name: "write", operation: .write)
            case 4: return Function(name: "control", operation: .control)
            case 5: return Function(name: "read_implicit", operation: .read)
            default: break
            }
        } else if interface == .endpointMapper {
            switch opnum {
            case 0: return Function(name: "ept_insert", operation: .other)
            case 1: return Function(name: "ept_delete", operation: .other)
            case 2: return Function(name: "ept_lookup", operation: .discovery)
            case 3: return Function(name: "ept_map", operation: .discovery)
            case 4: return Function(name: "ept_lookup_handle_free", operation: .discovery)
            case 5: return Function(name: "ept_inq_object", operation: .discovery)
            case 6: return Function(name: "ept_mgmt_delete", operation: .other)
            default: break
            }
        }
        return Function(name: "opnum_\(opnum)", operation: .other)
    }

    /// PNIO block types Converge names (IEC 61158-6-10, BlockType).
    public static func blockName(_ type: UInt16) -> String {
        switch type {
        case 0x0008: "iod_write_req"
        case 0x8008: "iod_write_res"
        case 0x0009: "iod_read_req"
        case 0x8009: "iod_read_res"
        case 0x0101: "ar_block_req"
        case 0x8101: "ar_block_res"
        case 0x0102: "iocr_block_req"
        case 0x8102: "iocr_block_res"
        case 0x0103: "alarm_cr_block_req"
        case 0x8103: "alarm_cr_block_res"
        case 0x0104: "expected_submodule_block_req"
        case 0x8104: "module_diff_block"
        case 0x0110, 0x0111, 0x0112, 0x0113, 0x0116, 0x0117, 0x0118: "control_req"
        case 0x8110, 0x8111, 0x8112, 0x8113, 0x8116, 0x8117, 0x8118: "control_res"
        case 0x0114: "release_req"
        case 0x8114: "release_res"
        default: "block_\(type)"
        }
    }

    /// The commands of an IODControlReq's ControlCommand bits, lowest first, joined by `+`.
    public static func controlCommandName(_ bits: UInt16) -> String {
        let names: [(UInt16, String)] = [
            (0x0001, "prm_end"), (0x0002, "application_ready"), (0x0004, "release"), (0x0008, "done"),
            (0x0010, "ready_for_companion"), (0x0020, "ready_for_rt_class_3"), (0x0040, "prm_begin"),
        ]
        let set = names.filter { bits & $0.0 != 0 }.map(\.1)
        return set.isEmpty ? "control_command_\(bits)" : set.joined(separator: "+")
    }
}
