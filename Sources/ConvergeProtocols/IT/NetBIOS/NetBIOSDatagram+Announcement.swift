import ConvergeModel
import ConvergeWire

extension NetBIOSDatagram {
    /// Fixed fields of a host, local-master or domain announcement ([MS-BRWS] §2.2.1): command,
    /// update count, periodicity, 16-byte name, OS major and minor, server type, browser version,
    /// signature; then a NUL-terminated comment.
    public static let announcementLength = 32

    /// A host announcement's contents. For a domain announcement `name` is the domain and
    /// `comment` its master browser's name.
    public struct Announcement: Sendable, Equatable {
        public var command: UInt8
        public var name: String
        public var osMajor: UInt8
        public var osMinor: UInt8
        public var serverType: UInt32
        public var comment: String
    }

    /// Announcements are commands 0x01, 0x0c and 0x0f.
    static func isAnnouncement(_ command: UInt8) -> Bool { command == 0x01 || command == 0x0c || command == 0x0f }

    /// The announcement in a frame, when it is one and its fixed fields fit.
    static func announcement(_ frame: Frame, bytes: Span<UInt8>) -> Announcement? {
        guard let command = frame.browserCommand, isAnnouncement(command) else { return nil }
        let start = Int(frame.browserOffset)
        let end = min(start &+ Int(frame.browserLength), bytes.count)
        guard start >= 0, start &+ announcementLength <= end else { return nil }
        var nameEnd = start &+ 6
        while nameEnd < start &+ 22, bytes[nameEnd] != 0 { nameEnd &+= 1 }
        var commentEnd = start &+ announcementLength
        while commentEnd < end, commentEnd < start &+ announcementLength &+ DNS.maxTextLength, bytes[commentEnd] != 0 {
            commentEnd &+= 1
        }
        let serverType = bytes.loadUInt32LE(at: start &+ 24)
        return Announcement(
            command: command, name: DNS.text(bytes.extracting((start &+ 6)..<nameEnd)),
            osMajor: bytes[start &+ 22], osMinor: bytes[start &+ 23], serverType: serverType,
            comment: DNS.text(bytes.extracting((start &+ announcementLength)..<commentEnd)))
    }

    /// Server type bits ([MS-BRWS] §2.2.1.2, SV_TYPE_*) that name a role.
    public static let serverRoles: [(bit: UInt32, role: String)] = [
        (0x0000_0002, "file_server"), (0x0000_0004, "sql_server"), (0x0000_0008, "domain_controller"),
        (0x0000_0010, "backup_domain_controller"), (0x0000_0020, "time_source"), (0x0000_0200, "print_server"),
        (0x0000_0400, "dial_in_server"), (0x0004_0000, "master_browser"), (0x0008_0000, "domain_master_browser"),
    ]

    /// The OS a host announcement implies: its version, and Samba when the UNIX bit (0x800) is set.
    static func osText(_ announcement: Announcement) -> String {
        let version = "\(announcement.osMajor).\(announcement.osMinor)"
        return announcement.serverType & 0x0000_0800 != 0 ? "Unix (Samba) \(version)" : "Windows \(version)"
    }
}
