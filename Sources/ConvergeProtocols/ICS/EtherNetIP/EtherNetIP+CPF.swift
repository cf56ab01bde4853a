import ConvergeModel
import ConvergeWire

extension EtherNetIP {
    /// Common packet format item types (CIP Vol. 2, 2-6).
    public enum ItemType {
        public static let nullAddress: UInt16 = 0x0000
        public static let listIdentity: UInt16 = 0x000c
        public static let connectedAddress: UInt16 = 0x00a1
        public static let connectedData: UInt16 = 0x00b1
        public static let unconnectedData: UInt16 = 0x00b2
        public static let listServices: UInt16 = 0x0100
        public static let socketAddressOToT: UInt16 = 0x8000
        public static let socketAddressTToO: UInt16 = 0x8001
        public static let sequencedAddress: UInt16 = 0x8002
    }

    /// At most this many CPF items are read; real messages hold two to four.
    public static let maxCPFItems = 8

    /// One CPF item, as offsets into the message.
    struct Item {
        var type: UInt16
        var offset: Int
        var length: Int
    }

    /// Walks the CPF at `at` (item count, then type/length/data items), up to `maxCPFItems`.
    /// Returns false when an item overruns the message.
    @discardableResult
    static func forEachItem(_ message: Span<UInt8>, at start: Int, _ body: (Item) -> Void) -> Bool {
        guard let count = le16(message, start) else { return false }
        var position = start &+ 2
        for _ in 0..<min(Int(count), maxCPFItems) {
            guard let type = le16(message, position), let length = le16(message, position &+ 2) else { return false }
            let dataOffset = position &+ 4
            guard dataOffset &+ Int(length) <= message.count else { return false }
            body(Item(type: type, offset: dataOffset, length: Int(length)))
            position = dataOffset &+ Int(length)
        }
        return true
    }

    /// Reads the items into the frame and checks them against each other and the length field.
    static func parseCPF(_ message: Span<UInt8>, at start: Int, frame: inout Frame) {
        guard let count = le16(message, start) else {
            frame.anomalies.insert(.invalidLength)
            return
        }
        frame.itemCount = count
        if Int(count) > maxCPFItems { frame.anomalies.insert(.tooManyItems) }
        var end = start &+ 2
        let fits = forEachItem(message, at: start) { item in
            end = item.offset &+ item.length
            switch item.type {
            case ItemType.nullAddress:
                frame.addressItem = item.type
                if item.length != 0 { frame.anomalies.insert(.invalidLength) }
            case ItemType.connectedAddress:
                frame.addressItem = item.type
                frame.connectionID = le32(message, item.offset)
                if item.length != 4 { frame.anomalies.insert(.invalidLength) }
            case ItemType.sequencedAddress:
                frame.addressItem = item.type
                frame.connectionID = le32(message, item.offset)
                frame.sequence = le32(message, item.offset &+ 4)
                if item.length != 8 { frame.anomalies.insert(.invalidLength) }
            case ItemType.connectedData, ItemType.unconnectedData:
                if frame.dataItem != nil { frame.anomalies.insert(.invalidItem) }
                frame.dataItem = item.type
                frame.identityItemOffset = item.offset
                frame.identityItemLength = item.length
            case ItemType.socketAddressOToT, ItemType.socketAddressTToO:
                frame.socketAddressItems &+= 1
                if item.length != 16 { frame.anomalies.insert(.invalidLength) }
            case ItemType.listIdentity, ItemType.listServices:
                if frame.identityItemLength == 0 {
                    frame.identityItemOffset = item.offset
                    frame.identityItemLength = item.length
                }
            default:
                frame.anomalies.insert(.invalidItem)
            }
        }
        if !fits || (Int(count) <= maxCPFItems && end != message.count) { frame.anomalies.insert(.invalidLength) }
        if frame.command.carriesCIP && frame.dataItem == nil { frame.anomalies.insert(.invalidItem) }
    }

    /// The CIP message in the data item: connected data starts with a 16-bit sequence count.
    /// Then the class-specific parts (Unconnected Send, Forward Open/Close, PCCC, Multiple
    /// Service Packet) and request/response pairing.
    static func parseCIPPayload(_ message: Span<UInt8>, frame: inout Frame, time: Timestamp, state: inout State) {
        guard let dataItem = frame.dataItem else { return }
        var offset = frame.identityItemOffset
        var length = frame.identityItemLength
        // The data item's position served only to get here; the identity fields stay for list replies.
        frame.identityItemOffset = 0
        frame.identityItemLength = 0
        if dataItem == ItemType.connectedData {
            guard let sequence = le16(message, offset) else {
                frame.anomalies.insert(.invalidLength)
                return
            }
            frame.sequence = UInt32(sequence)
            offset &+= 2
            length &-= 2
        }
        guard length > 0,
            let cip = parseCIP(message, offset: offset, length: length, anomalies: &frame.anomalies)
        else { return }
        frame.cip = cip
        if cip.isResponse {
            parseCIPResponse(message, frame: &frame, cip: cip, time: time, state: &state)
        } else {
            parseCIPRequest(message, frame: &frame, cip: cip, time: time, state: &state)
        }
    }

    /// The pairing key: the sender context for SendRRData, the sequence count for connected data.
    static func pairingKey(_ frame: Frame) -> UInt64 {
        if frame.command == .sendUnitData { return 1 << 63 | UInt64(frame.sequence ?? 0) }
        return frame.senderContext
    }
}
