/// TCP flag bits as computed constants: they fold into the code, where a `static let` from another
/// module (`TCPFlags.syn`) costs a lazy-initialisation check on every use.
enum TCPFlags {
    static var fin: UInt8 { 0x01 }
    static var syn: UInt8 { 0x02 }
    static var rst: UInt8 { 0x04 }
    static var ack: UInt8 { 0x10 }
}
