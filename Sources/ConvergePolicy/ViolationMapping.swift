import ConvergeModel

/// How bad a disallowed operation is, and the ATT&CK for ICS technique it honestly is. A
/// violation says only that traffic crossed a zone boundary the policy closes, so a technique is
/// named only where the operation itself is that technique's act; the rest carry none.
enum ViolationMapping {
    struct Technique {
        var techniques: [String]
        var tactics: [String]

        mutating func add(_ other: Technique) {
            for id in other.techniques where !techniques.contains(id) { techniques.append(id) }
            for id in other.tactics where !tactics.contains(id) { tactics.append(id) }
        }
    }

    /// MITRE ATT&CK for ICS ids: T0843 Program Download (Lateral Movement) / T0845 Program Upload
    /// (Collection) for program transfers (the direction is not known here, so both), T0839 Module
    /// Firmware (Persistence, Impair Process Control), T0855 Unauthorized Command Message (Impair
    /// Process Control) for writes and control commands the policy does not authorise, T0888 Remote
    /// System Information Discovery and T0846 Remote System Discovery (Discovery), T0801 Monitor
    /// Process State (Collection) for reads. Not named: T0836 Modify Parameter and T0858 Change
    /// Operating Mode (a write or a control command is not known to be either), T0859 Valid Accounts
    /// (a login is not known to use stolen credentials).
    static func technique(_ operation: Operation) -> Technique {
        switch operation {
        case .program: Technique(techniques: ["T0843", "T0845"], tactics: ["TA0109", "TA0100"])
        case .firmware: Technique(techniques: ["T0839"], tactics: ["TA0110", "TA0106"])
        case .write, .control: Technique(techniques: ["T0855"], tactics: ["TA0106"])
        case .diagnostic: Technique(techniques: ["T0888"], tactics: ["TA0102"])
        case .discovery: Technique(techniques: ["T0846"], tactics: ["TA0102"])
        case .read: Technique(techniques: ["T0801"], tactics: ["TA0100"])
        case .auth, .session, .other: Technique(techniques: [], tactics: [])
        }
    }

    /// Remote-access protocols: carried between zones without a conduit they are T0886 Remote
    /// Services (Initial Access, Lateral Movement). Other protocols without a conduit name no
    /// technique by themselves (their operations may).
    static let remoteServices: Set<String> = ["rdp", "ssh", "telnet", "vnc", "smb", "winrm", "rfb"]

    static func protocolWithoutConduit(_ proto: String) -> Technique {
        remoteServices.contains(proto.lowercased())
            ? Technique(techniques: ["T0886"], tactics: ["TA0108", "TA0109"]) : Technique(techniques: [], tactics: [])
    }

    static func severity(_ operation: Operation) -> Alert.Severity {
        switch operation {
        case .program, .firmware: .critical
        case .write, .control: .high
        case .auth, .diagnostic, .discovery: .medium
        case .read, .session, .other: .low
        }
    }
}
