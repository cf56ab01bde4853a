import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// A product name is cut at this many bytes (the wire allows up to 255).
    public static let maxProductNameLength = 64

    /// The identity object's attributes 1–7 (and, in ListIdentity, the state): plain scalars and
    /// the product name's position.
    public struct Identity: Sendable, Equatable {
        public var vendor: UInt16
        public var deviceType: UInt16
        public var productCode: UInt16
        public var revisionMajor: UInt8
        public var revisionMinor: UInt8
        public var status: UInt16
        public var serial: UInt32
        public var nameOffset: Int
        public var nameLength: Int
        /// ListIdentity only; 0xff when absent.
        public var state: UInt8 = 0xff
    }

    /// Identity attributes in Get Attributes All order, starting at `offset`.
    static func parseIdentityAttributes(_ bytes: Span<UInt8>, at offset: Int, end: Int) -> Identity? {
        guard let vendor = le16(bytes, offset), let deviceType = le16(bytes, offset &+ 2),
            let productCode = le16(bytes, offset &+ 4), let major = u8(bytes, offset &+ 6),
            let minor = u8(bytes, offset &+ 7), let status = le16(bytes, offset &+ 8),
            let serial = le32(bytes, offset &+ 10), let nameLength = u8(bytes, offset &+ 14),
            offset &+ 15 &+ Int(nameLength) <= end
        else { return nil }
        return Identity(
            vendor: vendor, deviceType: deviceType, productCode: productCode, revisionMajor: major,
            revisionMinor: minor, status: status, serial: serial, nameOffset: offset &+ 15,
            nameLength: Int(nameLength))
    }

    /// The identity a message reveals: a ListIdentity reply's identity item (version, socket
    /// address, then the attributes and state) or a successful Get Attributes All reply from the
    /// identity object.
    public static func identity(_ frame: Frame, bytes: Span<UInt8>) -> Identity? {
        guard !frame.isRequest, bytes.count >= frame.totalLength else { return nil }
        if frame.command == .listIdentity, frame.identityItemLength > 0 {
            let start = frame.identityItemOffset
            let end = start &+ frame.identityItemLength
            guard var identity = parseIdentityAttributes(bytes, at: start &+ 18, end: end) else { return nil }
            identity.state = u8(bytes, identity.nameOffset &+ identity.nameLength) ?? 0xff
            return identity
        }
        guard let cip = frame.cip, cip.isResponse, cip.generalStatus == 0,
            cip.code == Service.getAttributesAll, let request = frame.request,
            request.classID == ObjectClass.identity
        else { return nil }
        return parseIdentityAttributes(bytes, at: cip.dataOffset, end: cip.dataEnd)
    }

    /// Vendor, model (product name), product code, revision, serial and device type (as a role
    /// hint) of the device that answered.
    public static func facts(_ frame: Frame, bytes: Span<UInt8>, context: MessageContext) -> [AssetFact] {
        guard let identity = identity(frame, bytes: bytes) else { return [] }
        let source = frame.command == .listIdentity ? "enip/list_identity" : "cip/identity"
        func fact(_ kind: AssetFact.Kind, _ value: String) -> AssetFact {
            AssetFact(time: context.time, address: context.server.address, kind: kind, value: value, source: source)
        }
        var facts = [
            fact(.vendor, vendorName(identity.vendor) ?? "vendor \(identity.vendor)"),
            fact(.productCode, String(identity.productCode)),
            fact(.revision, "\(identity.revisionMajor).\(identity.revisionMinor)"),
            fact(.serial, hex(identity.serial, digits: 8)),
            fact(.role, deviceTypeName(identity.deviceType) ?? "device type \(identity.deviceType)"),
        ]
        let name = text(bytes, offset: identity.nameOffset, length: identity.nameLength, cap: maxProductNameLength)
        if !name.isEmpty { facts.insert(fact(.model, name), at: 1) }
        return facts
    }

    /// Names of common ODVA vendor ids (the full list has over a thousand entries).
    public static func vendorName(_ id: UInt16) -> String? {
        switch id {
        case 1: "Rockwell Automation/Allen-Bradley"
        case 5: "Rockwell Automation/Reliance Electric"
        case 40: "WAGO"
        case 43: "Balluff"
        case 44: "Yaskawa"
        case 46: "ABB"
        case 47: "Omron"
        case 48: "Turck"
        case 57: "Pepperl+Fuchs"
        case 68: "Eaton"
        case 82: "Mitsubishi Electric Automation"
        case 83: "Opto 22"
        case 90: "HMS Networks"
        case 108: "Beckhoff Automation"
        case 109: "National Instruments"
        case 145: "Siemens Energy & Automation"
        case 161: "Mitsubishi Electric"
        case 176: "Red Lion"
        case 243: "Schneider Electric"
        case 255: "Bosch Rexroth"
        case 283: "Hilscher"
        case 309: "ProSoft Technology"
        case 345: "Endress+Hauser"
        case 356: "FANUC Robotics America"
        case 367: "Keyence"
        default: nil
        }
    }

    /// CIP device profile names (CIP Vol. 1, chapter 6) for the common device types.
    public static func deviceTypeName(_ type: UInt16) -> String? {
        switch type {
        case 0x00: "generic_device"
        case 0x02: "ac_drive"
        case 0x03: "motor_overload"
        case 0x04: "limit_switch"
        case 0x05: "inductive_proximity_switch"
        case 0x06: "photoelectric_sensor"
        case 0x07: "general_purpose_discrete_io"
        case 0x09: "resolver"
        case 0x0c: "communications_adapter"
        case 0x0e: "programmable_logic_controller"
        case 0x10: "position_controller"
        case 0x13: "dc_drive"
        case 0x15: "contactor"
        case 0x16: "motor_starter"
        case 0x17: "soft_start"
        case 0x18: "human_machine_interface"
        case 0x1a: "mass_flow_controller"
        case 0x1b: "pneumatic_valve"
        case 0x1c: "vacuum_pressure_gauge"
        case 0x22: "encoder"
        case 0x23: "safety_discrete_io"
        case 0x25: "cip_motion_drive"
        case 0x2b: "generic_device_keyable"
        case 0x2c: "managed_switch"
        default: nil
        }
    }
}
