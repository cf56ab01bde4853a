import ConvergeModel

/// How bad a disallowed operation is, and the ATT&CK for ICS technique it looks like.
enum ViolationMapping {
    struct Technique {
        var techniques: [String]
        var tactics: [String]
    }

    /// MITRE ATT&CK for ICS ids: T0843 Program Download / T0845 Program Upload (program),
    /// T0839 Module Firmware, T0855 Unauthorized Command Message with T0836 Modify Parameter
    /// (write), T0858 Change Operating Mode (control), T0888 Remote System Information Discovery
    /// (diagnostic), T0846 Remote System Discovery, T0801 Monitor Process State (read),
    /// T0859 Valid Accounts (auth), T0886 Remote Services (a protocol no conduit carries).
    static func technique(_ operation: Operation) -> Technique {
        switch operation {
        case .program: Technique(techniques: ["T0843", "T0845"], tactics: ["TA0109", "TA0100"])
        case .firmware: Technique(techniques: ["T0839"], tactics: ["TA0110", "TA0106"])
        case .write: Technique(techniques: ["T0855", "T0836"], tactics: ["TA0106"])
        case .control: Technique(techniques: ["T0855", "T0858"], tactics: ["TA0106", "TA0104"])
        case .diagnostic: Technique(techniques: ["T0888"], tactics: ["TA0102"])
        case .discovery: Technique(techniques: ["T0846"], tactics: ["TA0102"])
        case .read: Technique(techniques: ["T0801"], tactics: ["TA0100"])
        case .auth: Technique(techniques: ["T0859"], tactics: ["TA0109"])
        case .session, .other: Technique(techniques: [], tactics: [])
        }
    }

    static let remoteServices = Technique(techniques: ["T0886"], tactics: ["TA0109"])

    static func severity(_ operation: Operation) -> Alert.Severity {
        switch operation {
        case .program, .firmware: .critical
        case .write, .control: .high
        case .auth, .diagnostic, .discovery: .medium
        case .read, .session, .other: .low
        }
    }
}
